// One corpus size, measured in its own process (so peak RSS belongs to this size alone):
// index build rates, in-process answer latency per stage, HNSW recall against exact search,
// and the alternatives (exact search, BM25 alone, a transformers.js model). Writes one JSON file.
//   tsx bench/size.ts --size 10000 --out bench/results/tmp/10000.json [--questions 300]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createTransformersEmbedder } from "../src/embed/transformers";
import { createBm25Index } from "../src/index/bm25";
import { createExactIndex } from "../src/index/exact";
import { efSearchFor } from "../src/index/ef-search";
import { createHnswIndex } from "../src/index/hnsw";
import { buildHnswShards, DEFAULT_MIN_SHARD_SIZE, loadHnswShards, shardCount } from "../src/index/hnsw-shards";
import { ConfigSchema } from "../src/config";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../src/pipeline";
import { createAnalyzer, createProcessTerm, type ProcessTerm } from "../src/text";
import type { Corpus, Embedder, ScoredId, VectorIndex } from "../src/types";
import { writeTinyModel } from "../test/embed/tiny-model";
import { compareAddonBuilds } from "./lib/addon-builds";
import { devQuestions, generatedQuestions } from "./lib/questions";
import { perSecond, summarize, timed, type Summary } from "./lib/stats";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "real" },
    out: { type: "string" },
    questions: { type: "string", default: "300" },
    corpus: { type: "string", default: "corpus" },
    seed: { type: "string", default: "42" },
    // Also build HNSW with other (M, efConstruction) settings, for the parameter curve.
    sweep: { type: "boolean", default: false },
  },
});

export const EF_SEARCH_CURVE = [16, 32, 64, 128, 256, 512, 1024];
const RECALL_K = 10;
// The server's defaults: the graphs, their number and the efSearch the answer path uses.
const CONFIG = ConfigSchema.parse({});
const HNSW = { M: CONFIG.HNSW_M, efConstruction: CONFIG.HNSW_EF_CONSTRUCTION };
const INSERT_BATCH = 1000;
const EMBED_BATCH = 64;
const TINY_MODEL_PASSAGES = 256;
const STAGES = ["analyze", "lexical", "embed", "dense", "fusion", "sentences"] as const;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const log = (message: string) => console.error(`[size ${args.size}] ${message}`);

async function loadOrSynthesize(): Promise<{ corpus: Corpus; generateMs: number }> {
  const real = (await loadCorpusDir(args.corpus)).corpus;
  if (args.size === "real") return { corpus: real, generateMs: 0 };
  const passages = Number(args.size);
  const { value, ms } = await timed(() => {
    const files = synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages, seed: Number(args.seed) });
    return buildCorpus(files).corpus;
  });
  return { corpus: value, generateMs: ms };
}

async function embedAll(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) rows.push(...(await embedder.embed(texts.slice(i, i + EMBED_BATCH), "passage")));
  return rows;
}

/** A vector index whose backend can be switched between questions, so one pipeline serves every mode. */
function switchableIndex(dimension: number, initial: VectorIndex) {
  let current = initial;
  const index: VectorIndex = { dimension, get size() { return current.size; }, search: (q, k) => current.search(q, k) };
  return { index, use: (next: VectorIndex) => (current = next) };
}

/**
 * Profiling showed stemming dominates embedding; words repeat (Zipf), so a per-word memo of
 * processTerm is the candidate fix. Measured here side by side with the default analyzer.
 */
function memoized(processTerm: ProcessTerm): ProcessTerm {
  const memo = new Map<string, ReturnType<ProcessTerm>>();
  return (word) => {
    let terms = memo.get(word);
    if (terms === undefined && !memo.has(word)) {
      terms = processTerm(word);
      memo.set(word, terms);
    }
    return terms;
  };
}

async function analyzerExperiment(corpus: Corpus, limit: number) {
  const sample = { ...corpus, passages: corpus.passages.slice(0, limit) };
  const texts = sample.passages.map((p) => p.text);
  const run = async (analyzer: ReturnType<typeof createAnalyzer>) => {
    const { value: rows, ms: embedMs } = await timed(async () => embedAll(createBuiltInEmbedder(sample, analyzer), texts));
    const { ms: bm25Ms } = await timed(() => createBm25Index(texts.map((t) => analyzer.analyze(t))));
    return { rows, embedMs: Math.round(embedMs), bm25Ms: Math.round(bm25Ms) };
  };
  // Alternated twice, best of each kept: other processes share the CPU, and order should not matter.
  const before = await run(createAnalyzer());
  const after = await run(createAnalyzer({ processTerm: memoized(createProcessTerm()) }));
  const before2 = await run(createAnalyzer());
  const after2 = await run(createAnalyzer({ processTerm: memoized(createProcessTerm()) }));
  before.embedMs = Math.min(before.embedMs, before2.embedMs);
  before.bm25Ms = Math.min(before.bm25Ms, before2.bm25Ms);
  after.embedMs = Math.min(after.embedMs, after2.embedMs);
  after.bm25Ms = Math.min(after.bm25Ms, after2.bm25Ms);
  const identical = before.rows.every((row, i) => row.every((x, j) => x === after.rows[i][j]));
  return {
    passages: texts.length,
    before: { embedMs: before.embedMs, bm25Ms: before.bm25Ms },
    after: { embedMs: after.embedMs, bm25Ms: after.bm25Ms },
    identicalVectors: identical,
  };
}

const overlap = (a: ScoredId[], b: ScoredId[]) => {
  const ids = new Set(b.map((h) => h.id));
  return a.filter((h) => ids.has(h.id)).length;
};

/**
 * recall@10 by id, and by score: a hit also counts when it scores as high as the exact 10th
 * (within 1e-6), since synthetic corpora hold near-duplicate passages whose order is arbitrary.
 */
function recallOf(found: ScoredId[][], truth: ScoredId[][]) {
  let byId = 0;
  let byScore = 0;
  found.forEach((hits, i) => {
    const expected = Math.max(1, Math.min(RECALL_K, truth[i].length));
    const tenth = truth[i][truth[i].length - 1]?.score ?? 0;
    byId += overlap(hits, truth[i]) / expected;
    byScore += Math.min(expected, hits.filter((h) => h.score >= tenth - 1e-6).length) / expected;
  });
  const round = (x: number) => Math.round((x / Math.max(1, found.length)) * 10000) / 10000;
  return { recallAt10: round(byId), scoreRecallAt10: round(byScore) };
}

/** Other graph settings on the same vectors: build time and recall at efSearch 64 and 128. */
async function hnswSweep(rows: Float32Array[], dimension: number, queries: Float32Array[], truth: ScoredId[][]) {
  const settings = [{ M: 16, efConstruction: 100 }, { M: 32, efConstruction: 200 }];
  const results = [];
  for (const setting of settings) {
    const index = createHnswIndex({ dimension, ...setting, capacity: rows.length });
    const { ms } = await timed(() => {
      for (let start = 0; start < rows.length; start += INSERT_BATCH) index.add(rows.slice(start, start + INSERT_BATCH));
    });
    const recall = [64, 128].map((efSearch) => {
      index.setEfSearch(efSearch);
      const start = performance.now();
      const found = queries.map((v) => index.search(v, RECALL_K));
      return { efSearch, ...recallOf(found, truth), meanMs: Math.round(((performance.now() - start) / Math.max(1, queries.length)) * 1000) / 1000 };
    });
    results.push({ ...setting, buildMs: Math.round(ms), recall });
  }
  return results;
}

async function main() {
  const { corpus, generateMs } = await loadOrSynthesize();
  const n = corpus.passages.length;
  const texts = corpus.passages.map((p) => p.text);
  log(`${corpus.documents.length} documents, ${corpus.sentences.length} sentences, ${n} passages (generated in ${Math.round(generateMs)} ms)`);
  gc();
  const rssBeforeBuild = rssMb();

  // ---- index build, stage by stage, as the Node server does it ----
  const analyzer = createDefaultAnalyzer();
  const idf = await timed(() => createBuiltInEmbedder(corpus, analyzer));
  const embedder = idf.value;
  const embed = await timed(() => embedAll(embedder, texts));
  const { dimension } = embedder;
  // Flat row-major, as the store keeps them; the rows become views into it and the copies are dropped (as the store does).
  const flat = new Float32Array(new SharedArrayBuffer(n * dimension * 4));
  embed.value.forEach((row, i) => flat.set(row, i * dimension));
  embed.value.length = 0;
  const rows = Array.from({ length: n }, (_, i) => flat.subarray(i * dimension, (i + 1) * dimension));
  log(`embedded in ${Math.round(idf.ms + embed.ms)} ms`);

  // As the store builds it: graphs on worker threads, written to files and read back (both timed).
  const shards = shardCount(n, CONFIG.HNSW_SHARDS, DEFAULT_MIN_SHARD_SIZE);
  const graphDir = mkdtempSync(join(tmpdir(), "bench-hnsw-"));
  const graphPaths = Array.from({ length: shards }, (_, s) => join(graphDir, `index-${s}.hnsw`));
  const insert = await timed(async () => {
    await buildHnswShards({ vectors: flat, dimension, M: HNSW.M, efConstruction: HNSW.efConstruction, paths: graphPaths });
    return loadHnswShards(graphPaths, { dimension, efSearch: efSearchFor(n, CONFIG.HNSW_EF_SEARCH) });
  });
  const hnsw = insert.value;
  log(`HNSW built in ${Math.round(insert.ms)} ms (${shards} graphs)`);
  const lexical = await timed(() => createBm25Index(texts.map((t) => analyzer.analyze(t))));
  const bm25 = lexical.value;
  const switchable = switchableIndex(dimension, hnsw);
  // The BM25 index just timed is the one the pipeline uses, as the server builds it once.
  const assemble = await timed(() => createPipeline({ corpus, embedder, vectorIndex: switchable.index, analyzer, lexicalIndex: bm25 }));
  const { engine } = assemble.value;
  const rssAfterBuild = rssMb();
  const peakRssAfterBuild = maxRssMb();
  // What stays alive once garbage is collected (the peak also counts garbage V8 had not yet freed).
  gc();
  const live = { rssMb: rssMb(), heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20), externalMb: Math.round(process.memoryUsage().external / 2 ** 20) };
  log(`pipeline assembled in ${Math.round(assemble.ms)} ms; peak RSS ${peakRssAfterBuild} MB`);

  // ---- in-process answers: distinct questions, after a separate warm-up set ----
  // An English question too: it loads the translation lexicon, as the server's start-up probe does.
  const warmup = [...generatedQuestions(corpus, 30, 99), "What did the security council approve?"];
  const questions = [...devQuestions(), ...generatedQuestions(corpus, Number(args.questions), 7)];
  for (const question of warmup) await engine.answer({ question, topK: 5, history: [] });
  const total: number[] = [];
  const stages: Record<string, number[]> = Object.fromEntries(STAGES.map((s) => [s, []]));
  let abstained = 0;
  for (const question of questions) {
    const start = performance.now();
    const response = await engine.answer({ question, topK: 5, history: [] });
    total.push(performance.now() - start);
    if (response.abstained) abstained++;
    for (const stage of STAGES) stages[stage].push(response.timings[stage] ?? 0);
  }
  log(`answers p95 ${summarize(total).p95} ms`);

  // ---- alternatives on the same pipeline, modes rotated per question so none profits from warm caches alone ----
  const exact = createExactIndex(dimension, flat);
  const empty = createExactIndex(dimension);
  const modes: [string, VectorIndex][] = [["hnsw", hnsw], ["exact", exact], ["bm25-only", empty]];
  const modeTimes: Record<string, number[]> = Object.fromEntries(modes.map(([m]) => [m, []]));
  // The first citation each mode gives, to see how often approximate search changes the answer.
  const firstCitation: Record<string, string[]> = Object.fromEntries(modes.map(([m]) => [m, []]));
  for (const [q, question] of questions.entries()) {
    for (let j = 0; j < modes.length; j++) {
      const [mode, index] = modes[(q + j) % modes.length];
      switchable.use(index);
      const start = performance.now();
      const response = await engine.answer({ question, topK: 5, history: [] });
      modeTimes[mode].push(performance.now() - start);
      const cited = response.citations[0];
      firstCitation[mode][q] = response.abstained || !cited ? "abstained" : `${cited.docId}:${cited.start}`;
    }
  }
  switchable.use(hnsw);

  // ---- search alone: HNSW recall curve against exact, exact and BM25 latency ----
  const queryVectors = (await embedder.embed(questions, "query")).filter((v) => v.some((x) => x !== 0));
  const truth = queryVectors.map((v) => exact.search(v, RECALL_K));
  const searchTimes = (search: (v: Float32Array) => unknown) =>
    queryVectors.map((v) => {
      const start = performance.now();
      search(v);
      return performance.now() - start;
    });
  const curve = EF_SEARCH_CURVE.map((efSearch) => {
    hnsw.setEfSearch(efSearch);
    const found = queryVectors.map((v) => hnsw.search(v, RECALL_K));
    return { efSearch, ...recallOf(found, truth), latency: summarize(searchTimes((v) => hnsw.search(v, RECALL_K))) };
  });
  const defaultEfSearch = efSearchFor(n, CONFIG.HNSW_EF_SEARCH);
  hnsw.setEfSearch(defaultEfSearch);
  const sweep = args.sweep ? await hnswSweep(rows, dimension, queryVectors, truth) : [];
  // What the answer path actually asks for: 50 candidates at the default efSearch.
  const truth50 = queryVectors.map((v) => exact.search(v, 50));
  const recallAt50 = queryVectors.reduce((s, v, i) => s + overlap(hnsw.search(v, 50), truth50[i]) / Math.max(1, truth50[i].length), 0) / Math.max(1, queryVectors.length);
  const termLists = questions.map((q) => analyzer.analyze(q));
  const bm25Times = termLists.map((terms) => {
    const start = performance.now();
    bm25.search(terms, 50);
    return performance.now() - start;
  });
  const search = {
    queries: queryVectors.length,
    defaultEfSearch,
    hnswCurve: curve,
    hnswSweep: sweep,
    hnswDefaultRecallAt50: Math.round(recallAt50 * 10000) / 10000,
    exact: summarize(searchTimes((v) => exact.search(v, RECALL_K))),
    bm25: summarize(bm25Times),
  };
  log(`recall@10 at ef${defaultEfSearch} ${curve.find((c) => c.efSearch === defaultEfSearch)?.recallAt10}`);

  // ---- hnswlib-node built for this CPU vs the portable build: the same (first) graph, alternated ----
  const addonBuilds = await compareAddonBuilds({ graphPath: graphPaths[0], dimension, efSearch: defaultEfSearch, queries: queryVectors });
  rmSync(graphDir, { recursive: true, force: true });
  log("skipped" in addonBuilds ? `addon builds: ${addonBuilds.skipped}` : `dense search portable ${addonBuilds.portableMs} ms, native ${addonBuilds.nativeMs} ms`);

  // ---- a transformers.js model (tiny, generated): the per-passage cost of the plumbing alone ----
  const modelsDir = mkdtempSync(join(tmpdir(), "bench-model-"));
  let transformers: { passages: number; msPerPassage: number; hashingMsPerPassage: number } | { error: string };
  try {
    writeTinyModel(modelsDir);
    const tiny = await createTransformersEmbedder({ model: "tiny", modelsDir, quantized: false });
    const sample = texts.slice(0, TINY_MODEL_PASSAGES);
    const tinyRun = await timed(() => tiny.embed(sample, "passage"));
    const hashRun = await timed(() => embedder.embed(sample, "passage"));
    transformers = {
      passages: sample.length,
      msPerPassage: Math.round((tinyRun.ms / sample.length) * 1000) / 1000,
      hashingMsPerPassage: Math.round((hashRun.ms / sample.length) * 1000) / 1000,
    };
  } catch (error) {
    transformers = { error: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(modelsDir, { recursive: true, force: true });
  }

  // ---- before/after of the profiled fix (per-word stemming memo), on at most 10k passages ----
  const analyzerFix = await analyzerExperiment(corpus, 10_000);
  log(`analyzer memo: embed ${analyzerFix.before.embedMs} → ${analyzerFix.after.embedMs} ms, identical ${analyzerFix.identicalVectors}`);

  const buildMs = idf.ms + embed.ms + insert.ms + lexical.ms;
  const result = {
    size: args.size,
    corpus: { documents: corpus.documents.length, sentences: corpus.sentences.length, passages: n, generateMs: Math.round(generateMs) },
    build: {
      embedderIdfMs: Math.round(idf.ms),
      embedMs: Math.round(embed.ms),
      embedPerSecond: perSecond(n, idf.ms + embed.ms),
      hnswMs: Math.round(insert.ms),
      hnswPerSecond: perSecond(n, insert.ms),
      hnswShards: shards,
      dimension,
      bm25Ms: Math.round(lexical.ms),
      bm25PerSecond: perSecond(n, lexical.ms),
      pipelineMs: Math.round(assemble.ms),
      /** Embedding (with IDF learning) + HNSW + BM25: what indexing a corpus costs. */
      totalMs: Math.round(buildMs),
      passagesPerSecond: perSecond(n, buildMs),
    },
    memory: { rssBeforeBuildMb: rssBeforeBuild, rssAfterBuildMb: rssAfterBuild, peakRssAfterBuildMb: peakRssAfterBuild, peakRssMb: maxRssMb(), liveAfterBuild: live },
    query: {
      questions: questions.length,
      abstained,
      answer: summarize(total),
      stages: Object.fromEntries(STAGES.map((s) => [s, summarize(stages[s])])) as Record<string, Summary>,
      modes: Object.fromEntries(Object.entries(modeTimes).map(([m, t]) => [m, summarize(t)])),
      /** Share of questions whose first citation (or abstention) is the same as with exact search. */
      sameAnswerAsExact: Object.fromEntries(
        ["hnsw", "bm25-only"].map((m) => [m, Math.round((firstCitation[m].filter((c, i) => c === firstCitation.exact[i]).length / Math.max(1, questions.length)) * 1000) / 1000]),
      ),
    },
    search,
    transformers,
    analyzerFix,
    addonBuilds,
  };
  if (args.out) writeFileSync(args.out, JSON.stringify(result, null, 2) + "\n");
  else console.log(JSON.stringify(result, null, 2));
}

await main();
