// Fits the multilingual model's refusal thresholds and reports retrieval with the model, on XQuAD
// dev (../shared/eval/xquad, CC BY-SA 4.0, read in place) split in two halves by article, and on
// the seed article's question sets. The thresholds are fitted on the XQuAD "fit" half and the seed
// article's calibration split only (at most 5% of their answerable questions refused, per group:
// questions in the sources' language, and the others); everything else is only reported. The
// others have two thresholds, fitted together: for questions naming something the cited document
// mentions (CrossLingualProfile.namedAbstainBelow) and for the rest, the pair that refuses the most
// unanswerable fit questions within the same 5% (docs/quality-bridge.md §7).
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
  // namedAbstainBelow set (at 0) so that each retrieval says which of its names the document mentions.
  const crossLingual = { ...MODEL_CROSS_LINGUAL, abstainBelow: 0, namedAbstainBelow: 0, background, ...shift };
  return buildModelPipeline(corpus, cached, { lexicons, retriever: { abstainBelow: 0, crossLingual } });
}

/** Whether each row's question names something its cited document mentions (Retrieval.named). */
async function namedOf(pipeline: Awaited<ReturnType<typeof engineFor>>, rows: EvalRow[]): Promise<void> {
  for (const row of rows) {
    const { named = [] } = await pipeline.retriever.retrieve(row.question.question, { topK: 5, history: row.question.history ?? [] });
    if (named.length > 0) namedRows.add(row);
  }
}
const namedRows = new Set<EvalRow>();

const questions = readQuestions(`${XQUAD}/dev.jsonl`) as (EvalQuestion & { article: string })[];
const fitArticles = fitArticlesOf(questions.map((q) => q.article));
const article = (row: EvalRow) => (row.question as EvalQuestion & { article: string }).article;
const xquadPipeline = await engineFor(`${XQUAD}/corpus`, questions.map((q) => q.question));
const xquadRows = (await evaluate(xquadPipeline.engine, questions)).rows;
await namedOf(xquadPipeline, xquadRows);

// The seed article's sets: its calibration split is fitted on too (news, not encyclopaedia);
// the dev sample, the held-out split and the off-topic questions are only reported.
const SEED_SETS = { calibration: "test/questions/calibration.jsonl", dev: `${SHARED_DIR}/eval/dev.jsonl`, heldout: "test/questions/heldout.jsonl", offtopic: "test/questions/offtopic.jsonl", russian: "test/questions/russian.jsonl", followups: "test/questions/followups.jsonl" };
const seedQuestions = Object.fromEntries(Object.entries(SEED_SETS).filter(([, file]) => existsSync(file)).map(([name, file]) => [name, readQuestions(file)]));
const seedEngine = await engineFor("corpus", Object.values(seedQuestions).flat().map((q) => q.question));
const seedRows: Record<string, EvalRow[]> = {};
for (const [name, set] of Object.entries(seedQuestions)) {
  seedRows[name] = (await evaluate(seedEngine.engine, set)).rows;
  await namedOf(seedEngine, seedRows[name]);
}

const group = (row: EvalRow) => (row.question.lang === SOURCE_LANGUAGE ? "sameLanguage" : "crossLingual");
const answerable = (row: EvalRow) => row.question.gold.length > 0;
const fitRows = [...xquadRows.filter((r) => fitArticles.has(article(r))), ...(seedRows.calibration ?? [])];

const thresholds = { sameLanguage: 0, crossLingual: 0, crossLingualNamed: 0 };
{
  const confidences = fitRows.filter((r) => answerable(r) && group(r) === "sameLanguage").map((r) => r.confidence).sort((a, b) => a - b);
  thresholds.sameLanguage = Math.round(confidences[Math.floor(MAX_FALSE_REFUSAL * confidences.length)] * 10000) / 10000;
}
{
  // Every pair of candidate thresholds (the fit rows' own confidences): within the budget of refused
  // answerable questions, the most unanswerable ones refused; then the fewest answerable ones; then
  // the lower threshold for questions that name nothing the document mentions.
  const rows = fitRows.filter((r) => group(r) === "crossLingual");
  const budget = Math.floor(MAX_FALSE_REFUSAL * rows.filter(answerable).length);
  const candidates = [...new Set([0, ...rows.map((r) => r.confidence)])].sort((a, b) => a - b);
  let best = { unanswerableRefused: -1, answerableRefused: Infinity, named: 0, other: 0 };
  for (const named of candidates) {
    for (const other of candidates) {
      let answerableRefused = 0;
      let unanswerableRefused = 0;
      for (const r of rows) {
        if (r.confidence === 0 || r.confidence < (namedRows.has(r) ? named : other)) answerable(r) ? answerableRefused++ : unanswerableRefused++;
      }
      if (answerableRefused > budget) continue;
      const same = unanswerableRefused === best.unanswerableRefused && answerableRefused === best.answerableRefused;
      const better = unanswerableRefused > best.unanswerableRefused || (unanswerableRefused === best.unanswerableRefused && answerableRefused < best.answerableRefused) || (same && other < best.other);
      if (better) best = { unanswerableRefused, answerableRefused, named, other };
    }
  }
  const namedShare = (test: (r: EvalRow) => boolean) => `${rows.filter((r) => test(r) && namedRows.has(r)).length} of ${rows.filter(test).length}`;
  console.log(`fit sets, other languages: naming what the cited document mentions, answerable ${namedShare(answerable)}, unanswerable ${namedShare((r) => !answerable(r))}`);
  thresholds.crossLingual = Math.round(best.other * 10000) / 10000;
  thresholds.crossLingualNamed = Math.round(best.named * 10000) / 10000;
}
const refused = (r: EvalRow) => {
  if (r.confidence === 0) return true;
  if (group(r) === "sameLanguage") return r.confidence < thresholds.sameLanguage;
  return r.confidence < (namedRows.has(r) ? thresholds.crossLingualNamed : thresholds.crossLingual);
};

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
