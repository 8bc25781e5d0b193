// Ablation: the retrieval techniques switched off one at a time, all measured in one run on the
// same question sets with the calibrated threshold. Prints a markdown table for the README.
//   npx tsx scripts/ablation.ts [--lexicons]   (the optional lexicons: without them the synonym and
//   dictionary rows equal the first)
import { existsSync } from "node:fs";
import { createAnalyzer, createProcessTerm } from "../src/text";
import { ROOT_MARK } from "../src/text/root";
import { SNOWBALL_MARK } from "../src/text/stem";
import { DEFAULT_SENTENCE_WEIGHTS } from "../src/retrieve";
import { buildInMemoryPipeline, lexiconsFromArgs, loadCorpus, type InMemoryOptions } from "./lib/engine";
import { evaluate, readQuestions, type EvalQuestion } from "./lib/evaluate";

const withoutTerms = (mark: string) => {
  const processTerm = createProcessTerm();
  return createAnalyzer({
    processTerm: (word) => {
      const terms = processTerm(word);
      return Array.isArray(terms) ? terms.filter((t) => !t.startsWith(mark)) : terms;
    },
  });
};

const variants: [string, InMemoryOptions][] = [
  ["all techniques", {}],
  ["− Arabic synonyms (mythes-ar)", { expansion: { synonyms: false } }],
  ["− bilingual dictionaries (en, fr, de, es, ru → ar)", { expansion: { translation: false } }],
  ["− names by sound", { expansion: { transliteration: false } }],
  ["− root matching", { analyzer: withoutTerms(ROOT_MARK) }],
  ["− Snowball stems", { analyzer: withoutTerms(SNOWBALL_MARK) }],
  ["− near matches (common core)", { retriever: { fuzzyCredit: 0 } }],
  ["− dense (BM25 only)", { retriever: { fusion: { dense: 0, lexical: 1, k: 60 } } }],
  ["− BM25 (dense only)", { retriever: { fusion: { dense: 1, lexical: 0, k: 60 } } }],
  ["− word proximity", { retriever: { sentenceWeights: { ...DEFAULT_SENTENCE_WEIGHTS, proximity: 0 } } }],
  ["− sentence similarity", { retriever: { sentenceWeights: { ...DEFAULT_SENTENCE_WEIGHTS, similarity: 0 } } }],
  ["− evidence gate (two of the question's words)", { retriever: { evidence: { minWords: 0 } } }],
  ["− follow-up history", {}],
];

const sets: Record<string, EvalQuestion[]> = {};
if (existsSync("../shared/eval/dev.jsonl")) sets.dev = readQuestions("../shared/eval/dev.jsonl");
sets.heldout = readQuestions("test/questions/heldout.jsonl");
sets.followups = readQuestions("test/questions/followups.jsonl");
sets.offtopic = readQuestions("test/questions/offtopic.jsonl");

const corpus = await loadCorpus();
const lexicons = lexiconsFromArgs();
const f = (x: number | null) => (x === null ? "–" : x.toFixed(2));
const kinds = ["lexical", "paraphrase", "spelling", "crosslingual"];
console.log(`| variant | dev hit@1 | dev abstain | held-out hit@1 | hit@3 | ${kinds.join(" | ")} | false refusals | refusals of unanswerable | off-topic refused | follow-ups hit@1 |`);
console.log(`|---|---|---|---|---|${kinds.map(() => "---").join("|")}|---|---|---|---|`);
for (const [name, options] of variants) {
  const { engine } = await buildInMemoryPipeline(corpus, { lexicons, ...options });
  const noHistory = name.includes("history");
  const dev = sets.dev ? await evaluate(engine, sets.dev) : undefined;
  const held = await evaluate(engine, sets.heldout);
  const offtopic = await evaluate(engine, sets.offtopic);
  const follow = await evaluate(engine, noHistory ? sets.followups.map((q) => ({ ...q, history: [] })) : sets.followups);
  console.log(
    `| ${name} | ${f(dev?.overall.hit1 ?? null)} | ${f(dev?.overall.abstainAccuracy ?? null)} | ${f(held.overall.hit1)} | ${f(held.overall.hit3)} | ` +
      `${kinds.map((k) => f(held.byKind[k]?.hit1 ?? null)).join(" | ")} | ${f(held.overall.falseAbstain)} | ${f(held.overall.abstainAccuracy)} | ${f(offtopic.overall.abstainAccuracy)} | ${f(follow.overall.hit1)} |`,
  );
}
