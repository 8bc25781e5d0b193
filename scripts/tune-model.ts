// Fits the multilingual model's refusal thresholds and reports retrieval with the model, on XQuAD
// dev (../shared/eval/xquad, CC BY-SA 4.0, read in place) split in two halves by article, and on
// the seed article's question sets. The thresholds are fitted on the XQuAD "fit" half and the seed
// article's calibration split only (at most 5% of their answerable questions refused, per group:
// questions in the sources' language, and the others); everything else is only reported.
// The same split chose the weights in src/retrieve/profiles.ts (docs/quality.md: "Retrieval with the model").
//   npx tsx scripts/tune-model.ts [--write] [--models-dir models] [--lexicons]
// (--lexicons: with the optional lexicons of npm run lexicons, to measure what they add; never with --write)
// (--shift '{"strength":…,"apply":…,"arabic":…}': with the mean-vector shift, retrieve/language-shift.ts,
// to measure its effect on refusals with thresholds refitted; never with --write while it is off by default)
// Vectors are cached under the OS temp folder by embedder id, so a second run takes seconds.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import { MODEL_CROSS_LINGUAL } from "../src/retrieve/profiles";
import { createBackground, embedBackground } from "../src/retrieve/background";
import { buildModelPipeline, lexiconsFromArgs } from "./lib/engine";
import { createCachedModel, fitArticlesOf, SHARED_DIR } from "./lib/cached-model";
import { evaluate, readQuestions, type EvalQuestion, type EvalRow } from "./lib/evaluate";
import { languageShiftProfile, parseShift } from "./lib/language-shift";

const { values } = parseArgs({
  options: { write: { type: "boolean", default: false }, "models-dir": { type: "string", default: "models" }, lexicons: { type: "boolean", default: false }, shift: { type: "string" } },
});
if (values.write && (values.lexicons || values.shift)) throw new Error("--write fits the default configuration: leave out --lexicons and --shift");
const lexicons = lexiconsFromArgs(values.lexicons ? ["--lexicons"] : []);
const XQUAD = `${SHARED_DIR}/eval/xquad`;
const MAX_FALSE_REFUSAL = 0.05;
const SOURCE_LANGUAGE = "ar";
if (!existsSync(`${XQUAD}/dev.jsonl`)) throw new Error(`${XQUAD}/dev.jsonl is missing: this script needs the shared XQuAD sample beside the repository`);

const cached = await createCachedModel(values["models-dir"]);
const shift = values.shift ? await languageShiftProfile(cached, parseShift(values.shift)) : {};
console.error(`language shift: ${values.shift ?? "off"}`);
/** An engine over a corpus with the model's scoring and no refusal, so every confidence can be read. */
async function engineFor(corpusDir: string, questionTexts: string[]) {
  const { corpus } = await loadCorpusDir(corpusDir);
  await cached.embed(questionTexts, "query");
  // Thresholds at 0, the background kept: the cross-lingual confidence is the margin over it.
  const background = createBackground(await embedBackground((texts) => cached.embed(texts, "passage"), cached.dimension), cached.dimension);
  const crossLingual = { ...MODEL_CROSS_LINGUAL, abstainBelow: 0, background, ...shift };
  return (await buildModelPipeline(corpus, cached, { lexicons, retriever: { abstainBelow: 0, crossLingual } })).engine;
}

const questions = readQuestions(`${XQUAD}/dev.jsonl`) as (EvalQuestion & { article: string })[];
const fitArticles = fitArticlesOf(questions.map((q) => q.article));
const article = (row: EvalRow) => (row.question as EvalQuestion & { article: string }).article;
const xquadRows = (await evaluate(await engineFor(`${XQUAD}/corpus`, questions.map((q) => q.question)), questions)).rows;

// The seed article's sets: its calibration split is fitted on too (news, not encyclopaedia);
// the dev sample, the held-out split and the off-topic questions are only reported.
const SEED_SETS = { calibration: "test/questions/calibration.jsonl", dev: `${SHARED_DIR}/eval/dev.jsonl`, heldout: "test/questions/heldout.jsonl", offtopic: "test/questions/offtopic.jsonl", russian: "test/questions/russian.jsonl", followups: "test/questions/followups.jsonl" };
const seedQuestions = Object.fromEntries(Object.entries(SEED_SETS).filter(([, file]) => existsSync(file)).map(([name, file]) => [name, readQuestions(file)]));
const seedEngine = await engineFor("corpus", Object.values(seedQuestions).flat().map((q) => q.question));
const seedRows: Record<string, EvalRow[]> = {};
for (const [name, set] of Object.entries(seedQuestions)) seedRows[name] = (await evaluate(seedEngine, set)).rows;

const group = (row: EvalRow) => (row.question.lang === SOURCE_LANGUAGE ? "sameLanguage" : "crossLingual");
const answerable = (row: EvalRow) => row.question.gold.length > 0;
const fitRows = [...xquadRows.filter((r) => fitArticles.has(article(r))), ...(seedRows.calibration ?? [])];

const thresholds = { sameLanguage: 0, crossLingual: 0 };
for (const name of ["sameLanguage", "crossLingual"] as const) {
  const confidences = fitRows.filter((r) => answerable(r) && group(r) === name).map((r) => r.confidence).sort((a, b) => a - b);
  thresholds[name] = Math.round(confidences[Math.floor(MAX_FALSE_REFUSAL * confidences.length)] * 10000) / 10000;
}
const refused = (r: EvalRow) => r.confidence === 0 || r.confidence < thresholds[group(r)];

console.log(`thresholds (≤ ${MAX_FALSE_REFUSAL * 100}% of the fit sets' answerable questions refused): ${JSON.stringify(thresholds)}`);
console.log("| set | kind | n | hit@1 | hit@3 | refused |\n|---|---|---|---|---|---|");
const summary: Record<string, Record<string, { n: number; hit1?: number; hit3?: number; refused: number }>> = {};
const report = (setName: string, rows: EvalRow[]) => {
  for (const kind of [...new Set(rows.map((r) => r.question.kind))]) {
    const set = rows.filter((r) => r.question.kind === kind);
    const share = (test: (r: EvalRow) => boolean) => Math.round((set.filter(test).length / set.length) * 1000) / 1000;
    // A hit counts only if the answer is given: a refused question is a miss.
    const line = !set.some(answerable)
      ? { n: set.length, refused: share(refused) }
      : { n: set.length, hit1: share((r) => !refused(r) && r.rank === 1), hit3: share((r) => !refused(r) && r.rank >= 1 && r.rank <= 3), refused: share(refused) };
    (summary[setName] ??= {})[kind] = line;
    console.log(`| ${setName} | ${kind} | ${line.n} | ${line.hit1 ?? "–"} | ${line.hit3 ?? "–"} | ${line.refused} |`);
  }
};
report("xquad fit", xquadRows.filter((r) => fitArticles.has(article(r))));
report("xquad report", xquadRows.filter((r) => !fitArticles.has(article(r))));
for (const [name, rows] of Object.entries(seedRows)) report(`seed ${name}`, rows);
cached.save();

if (values.write) {
  const path = "src/retrieve/calibration.json";
  const calibration = JSON.parse(readFileSync(path, "utf8"));
  calibration.model = thresholds;
  calibration.modelCalibration = {
    fittedOn: [`${XQUAD}/dev.jsonl, fit half: articles ordered by sha256 of their name, first half (scripts/tune-model.ts)`, SEED_SETS.calibration],
    embedder: cached.id,
    maxFalseRefusal: MAX_FALSE_REFUSAL,
    summary,
  };
  writeFileSync(path, `${JSON.stringify(calibration, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
