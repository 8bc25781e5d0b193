// Which XQuAD questions the named-word check (retrieve/entities.ts) refuses, and for which words:
// every question of one half whose cited document never mentions a word it names, with whether
// that document is the question's own article. The diagnosis behind docs/quality-bridge.md §6.
//   SHARED_DIR=../shared npx tsx scripts/named-words.ts [--half fit|report] [--entities regions|names|…]
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import type { EntityCheckOptions } from "../src/retrieve/entities";
import { createCachedModel, fitArticlesOf, SHARED_DIR } from "./lib/cached-model";
import { buildModelPipeline } from "./lib/engine";
import { readQuestions, type EvalQuestion } from "./lib/evaluate";

const { values } = parseArgs({ options: { half: { type: "string", default: "fit" }, entities: { type: "string", default: "names" } } });
const CHECKS: Record<string, EntityCheckOptions> = { numbers: { kinds: ["number"] }, regions: { kinds: ["number", "region"] }, places: { kinds: ["number", "region", "place"] }, people: { kinds: ["number", "region", "place", "person"] }, "arabic-names": { nameLanguages: ["ar"] }, names: {} };
const entityCheck = CHECKS[values.entities!];
if (!entityCheck) throw new Error(`--entities: one of ${Object.keys(CHECKS).join(", ")}`);
const XQUAD = `${SHARED_DIR}/eval/xquad`;
const questions = readQuestions(`${XQUAD}/dev.jsonl`) as (EvalQuestion & { article: string })[];
const fit = fitArticlesOf(questions.map((q) => q.article));
const model = await createCachedModel("models");
const { corpus } = await loadCorpusDir(`${XQUAD}/corpus`);
const { retriever } = await buildModelPipeline(corpus, model, { retriever: { entityCheck } });
const flagged = new Map<string, { asked: number; flagged: number; ownArticle: number }>();
for (const question of questions.filter((q) => (values.half === "fit") === fit.has(q.article))) {
  const result = await retriever.retrieve(question.question, { topK: 5 });
  const counts = flagged.get(question.kind) ?? { asked: 0, flagged: 0, ownArticle: 0 };
  flagged.set(question.kind, counts);
  counts.asked++;
  const unmentioned = result.unmentioned ?? [];
  if (unmentioned.length === 0) continue;
  counts.flagged++;
  const own = result.candidates[0]?.sentence.docId.includes(question.article) ?? false;
  if (own) counts.ownArticle++;
  console.log(`${question.kind}\t${own ? "own article" : "other"}\t${unmentioned.join(",")}\t${question.question}`);
}
model.save();
console.log(JSON.stringify(Object.fromEntries(flagged)));
