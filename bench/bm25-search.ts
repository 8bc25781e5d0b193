// BM25 search strategies side by side in one process: term-at-a-time (the old path) against
// MaxScore, on the term lists the retriever really sends, interleaved per query (so a busy
// machine slows both alike), asserting both return the same ids, scores and order.
//   node --import tsx bench/bm25-search.ts --size 100000 [--legacy /tmp/bm25-head.ts]
// --legacy: a copy of an older src/index/bm25.ts (imports made absolute), timed as a third mode
// and checked against the others within 1e-9 (its scores sum terms in another order).
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createBm25Index } from "../src/index/bm25";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../src/pipeline";
import type { LexicalIndex, ScoredId } from "../src/types";
import { devQuestions, generatedQuestions } from "./lib/questions";
import { summarize } from "./lib/stats";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "10000" },
    questions: { type: "string", default: "300" },
    rounds: { type: "string", default: "5" },
    k: { type: "string", default: "50" },
    legacy: { type: "string" },
    modes: { type: "string", default: "term-at-a-time,maxscore" },
  },
});
const log = (message: string) => console.error(`[bm25-search ${args.size}] ${message}`);

const real = (await loadCorpusDir("corpus")).corpus;
const corpus = buildCorpus(synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: Number(args.size), seed: 42 })).corpus;
const analyzer = createDefaultAnalyzer();
const documents = corpus.passages.map((p) => analyzer.analyze(p.text));
const strategies = ["term-at-a-time", "maxscore"] as const;
const wanted = new Set(args.modes.split(","));
const modes: Record<string, LexicalIndex> = {};
for (const strategy of strategies) if (wanted.has(strategy)) modes[strategy] = createBm25Index(documents, { strategy });
if (args.legacy) {
  const legacy = (await import(pathToFileURL(resolve(args.legacy)).href)) as { createBm25Index: typeof createBm25Index };
  modes.legacy = legacy.createBm25Index(documents);
  // A second instance, as the pipeline makes of the current code: while a function has made only
  // one closure, V8 specialises its optimised code on that closure's context, which flatters it.
  legacy.createBm25Index([["a"]]).search(["a"], 1);
}
// Every mode is checked against plain term-at-a-time, timed or not.
const reference = modes["term-at-a-time"] ?? createBm25Index(documents, { strategy: "term-at-a-time" });
log(`${documents.length} passages indexed`);

// The retriever's own term lists: a pipeline whose lexical index records what it is asked.
const queries: { terms: string[]; weights?: number[] }[] = [];
const recorder: LexicalIndex = {
  size: reference.size,
  search(terms, k, weights) {
    queries.push({ terms: [...terms], weights: weights && [...weights] });
    return reference.search(terms, k, weights);
  },
};
const noVectors = { dimension: 1, size: 0, search: () => [] };
const { retriever } = createPipeline({ corpus, embedder: createBuiltInEmbedder(corpus, analyzer), vectorIndex: noVectors, analyzer, retriever: { lexicalIndex: recorder } });
for (const question of [...devQuestions(), ...generatedQuestions(corpus, Number(args.questions), 7)]) await retriever.retrieve(question);
log(`${queries.length} queries, ${summarize(queries.map((q) => q.terms.length)).p50} terms at p50`);

const k = Number(args.k);
const sameHits = (a: ScoredId[], b: ScoredId[], tolerance: number) =>
  a.length === b.length && a.every((hit, i) => hit.id === b[i].id && Math.abs(hit.score - b[i].score) <= tolerance * Math.max(1, Math.abs(hit.score)));
let legacyMismatches = 0;
for (const [q, { terms, weights }] of queries.entries()) {
  const expected = reference.search(terms, k, weights);
  for (const mode of strategies.filter((s) => modes[s])) {
    if (!sameHits(modes[mode].search(terms, k, weights), expected, 0)) throw new Error(`query ${q}: ${mode} differs from term-at-a-time`);
  }
  if (modes.legacy && !sameHits(modes.legacy.search(terms, k, weights), expected, 1e-9)) legacyMismatches++;
}
log(`identical results on every query${modes.legacy ? `; legacy differs (beyond 1e-9 or in order) on ${legacyMismatches}` : ""}`);

const names = Object.keys(modes);
const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
const rounds = Number(args.rounds);
for (let round = 0; round <= rounds; round++) {
  for (const [q, { terms, weights }] of queries.entries()) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(q + round + j) % names.length];
      const start = performance.now();
      modes[name].search(terms, k, weights);
      const ms = performance.now() - start;
      if (round > 0) samples[name].push(ms); // round 0 warms the JIT
    }
  }
}
const result = { passages: documents.length, queries: queries.length, k, ms: Object.fromEntries(names.map((name) => [name, summarize(samples[name])])) };
console.log(JSON.stringify(result, null, 1));
