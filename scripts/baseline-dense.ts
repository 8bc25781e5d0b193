// The comparison every retrieval change is measured by: the model alone (each question's vector
// against every sentence's, the best cosine cited) next to the whole pipeline as the server runs
// it (calibrated thresholds, refusals counted as misses), hit@1 per language, on XQuAD dev's two
// halves (split by article as in tune-model.ts) and on the seed article's question sets.
//   nice -n 10 npx tsx scripts/baseline-dense.ts [--lexicons] [--no-bridge] [--entities off|numbers|regions|places|people|arabic-names|names|arabic] [--models-dir models]
// (--no-bridge measures the pipeline without the model's bridge, retrieve/bridge.ts; --entities the
// named-word refusal of retrieve/entities.ts: off, numbers, numbers and countries (regions), those and
// Arabic places (places), and Arabic people (people, the service's default), those and names in
// Arabic questions, names in every language, or every Arabic word)
// Same vector cache as tune-model.ts (OS temp folder), so a second run takes seconds.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import { dot } from "../src/retrieve/fusion";
import type { Corpus } from "../src/types";
import type { EntityCheckOptions } from "../src/retrieve/entities";
import { createCachedModel, fitArticlesOf, SHARED_DIR } from "./lib/cached-model";
import { buildModelPipeline, lexiconsFromArgs } from "./lib/engine";
import { evaluate, hits, readQuestions, type EvalQuestion, type EvalRow } from "./lib/evaluate";

const { values } = parseArgs({
  options: {
    "models-dir": { type: "string", default: "models" },
    lexicons: { type: "boolean", default: false },
    "no-bridge": { type: "boolean", default: false },
    entities: { type: "string", default: "people" },
  },
});
const ENTITY_CHECKS: Record<string, EntityCheckOptions | false> = {
  off: false,
  numbers: { kinds: ["number"] },
  regions: { kinds: ["number", "region"] },
  places: { kinds: ["number", "region", "place"] },
  people: { kinds: ["number", "region", "place", "person"] },
  "arabic-names": { nameLanguages: ["ar"] },
  names: {},
  arabic: { arabicWords: true },
};
const entityCheck = ENTITY_CHECKS[values.entities!];
if (entityCheck === undefined) throw new Error(`--entities: one of ${Object.keys(ENTITY_CHECKS).join(", ")}`);
console.error(`bridge: ${values["no-bridge"] ? "off" : "on"}; entities: ${values.entities}`);
const lexicons = lexiconsFromArgs(values.lexicons ? ["--lexicons"] : []);
const XQUAD = `${SHARED_DIR}/eval/xquad`;
if (!existsSync(`${XQUAD}/dev.jsonl`)) throw new Error(`${XQUAD}/dev.jsonl is missing: set SHARED_DIR to the folder holding eval/xquad`);
const model = await createCachedModel(values["models-dir"]);

type Question = EvalQuestion & { article?: string };
interface Outcome {
  question: Question;
  dense: boolean;
  pipeline: EvalRow;
}

async function measure(corpusDir: string, questions: Question[]): Promise<Outcome[]> {
  const { corpus } = await loadCorpusDir(corpusDir);
  const { engine } = await buildModelPipeline(corpus, model, { lexicons, retriever: { entityCheck }, ...(values["no-bridge"] && { bridge: false as const }) });
  const rows = (await evaluate(engine, questions)).rows;
  const sentenceVectors = await model.embed(corpus.sentences.map((s) => s.text), "passage");
  const queryVectors = await model.embed(questions.map((q) => q.question), "query");
  return questions.map((question, i) => ({ question, dense: denseHit(corpus, sentenceVectors, queryVectors[i], question.gold), pipeline: rows[i] }));
}

/** Whether the sentence with the best cosine to the question overlaps a gold quote. */
function denseHit(corpus: Corpus, sentenceVectors: Float32Array[], queryVector: Float32Array, gold: string[]): boolean {
  let best = -1;
  let bestScore = -Infinity;
  sentenceVectors.forEach((v, i) => {
    const score = dot(queryVector, v);
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  if (best < 0) return false;
  const sentence = corpus.sentences[best];
  const text = corpus.documents.find((d) => d.id === sentence.docId)!.text;
  return gold.some((g) => hits(text, g, sentence.start, sentence.end));
}

const share = (rows: Outcome[], test: (o: Outcome) => boolean) => (rows.length ? (rows.filter(test).length / rows.length).toFixed(3) : "–");
const pipelineHit = (o: Outcome) => !o.pipeline.abstained && o.pipeline.rank === 1;

function report(setName: string, outcomes: Outcome[]) {
  for (const kind of [...new Set(outcomes.map((o) => o.question.kind))]) {
    const rows = outcomes.filter((o) => o.question.kind === kind);
    const answerable = rows.filter((o) => o.question.gold.length > 0);
    const unanswerable = rows.filter((o) => o.question.gold.length === 0);
    console.log(
      `| ${setName} | ${kind} | ${rows.length} | ${share(answerable, (o) => o.dense)} | ${share(answerable, pipelineHit)} | ${share(answerable, (o) => o.pipeline.abstained)} | ${share(unanswerable, (o) => o.pipeline.abstained)} |`,
    );
  }
}

const xquadQuestions = readQuestions(`${XQUAD}/dev.jsonl`) as Question[];
const fitArticles = fitArticlesOf(xquadQuestions.map((q) => q.article!));
const xquad = await measure(`${XQUAD}/corpus`, xquadQuestions);
const SEED_SETS = { calibration: "test/questions/calibration.jsonl", dev: `${SHARED_DIR}/eval/dev.jsonl`, heldout: "test/questions/heldout.jsonl", offtopic: "test/questions/offtopic.jsonl", russian: "test/questions/russian.jsonl" };
const seedSets = Object.entries(SEED_SETS).filter(([, file]) => existsSync(file));
const seed = await measure("corpus", seedSets.flatMap(([, file]) => readQuestions(file)));
model.save();

console.log("| set | kind | n | dense-only hit@1 | pipeline hit@1 | answerable refused | unanswerable refused |\n|---|---|---|---|---|---|---|");
report("xquad fit", xquad.filter((o) => fitArticles.has(o.question.article!)));
report("xquad report", xquad.filter((o) => !fitArticles.has(o.question.article!)));
let from = 0;
for (const [name, file] of seedSets) {
  const n = readQuestions(file).length;
  report(`seed ${name}`, seed.slice(from, from + n));
  from += n;
}
