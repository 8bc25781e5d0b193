// Looks for a second refusal signal beside the calibrated confidence (issue 28's refusal targets),
// fitted on the fit half of XQuAD dev and the seed article's calibration split only, read on the
// report half, the seed article's other sets and the near-miss set (test/questions/nearmiss.jsonl).
// Each candidate signal is computed from what the retriever already has for a question:
//   docMargin   the best dense passage cosine inside the cited document minus the best one outside it
//               (a question about an absent article finds no document that stands out);
//   docLift     the same best cosine inside minus the mean of the other documents' best, in units of
//               their standard deviation (the corpus itself as the background, as CSLS does); docLift10
//               the same over the ten best other documents; documentLift the same over the documents
//               among the retriever's 50 dense hits, as src/retrieve/document-lift.ts computes it;
//   docCoverage the idf-weighted share of the question's own words (with their variants, bridged
//               words included) that the cited document mentions anywhere;
//   peak        the cited sentence's model similarity minus the mean of the scored candidates'.
// Rules tried per group (questions in the sources' language; the others): refuse when the
// confidence is under T1 or the signal under T2, (T1, T2) chosen to refuse the most absent-article
// questions of the fit sets with at most 5% of their answerable ones refused; and confidence + w·signal
// under one threshold. Prints each rule's best on both halves.
//   nice -n 10 npx tsx scripts/tune-refusal.ts [--shift '{"strength":…,"apply":…,"arabic":…}']
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import { buildCorpus } from "../src/corpus/build";
import { MODEL_CROSS_LINGUAL } from "../src/retrieve/profiles";
import type { DocumentLiftRule } from "../src/retrieve/retriever";
import { createBackground, embedBackground } from "../src/retrieve/background";
import { dot } from "../src/retrieve/fusion";
import type { Corpus } from "../src/types";
import { createCachedModel, fitArticlesOf, SHARED_DIR } from "./lib/cached-model";
import { buildModelPipeline } from "./lib/engine";
import { evaluate, readQuestions, type EvalQuestion } from "./lib/evaluate";
import { languageShiftProfile, parseShift } from "./lib/language-shift";

const { values } = parseArgs({ options: { shift: { type: "string" } } });
const MAX_FALSE_REFUSAL = 0.05;
const XQUAD = `${SHARED_DIR}/eval/xquad`;
if (!existsSync(`${XQUAD}/dev.jsonl`)) throw new Error(`${XQUAD}/dev.jsonl is missing: set SHARED_DIR`);
const model = await createCachedModel();
const shift = values.shift ? await languageShiftProfile(model, parseShift(values.shift)) : {};

type Question = EvalQuestion & { article?: string };
interface Row {
  set: string;
  half: "fit" | "report";
  group: "same" | "cross";
  answerable: boolean;
  hit: boolean;
  confidence: number;
  /** Undefined where a signal says nothing (one document; too few among the hits): the confidence alone decides. */
  signals: Record<string, number | undefined>;
}
const SIGNALS = ["docMargin", "docLift", "docLift10", "documentLift", "docCoverage", "peak"] as const;

async function measure(corpus: Corpus, questions: Question[], setOf: (q: Question) => string, halfOf: (q: Question) => "fit" | "report"): Promise<Row[]> {
  const background = createBackground(await embedBackground((texts) => model.embed(texts, "passage"), model.dimension), model.dimension);
  const crossLingual = { ...MODEL_CROSS_LINGUAL, abstainBelow: 0, background, ...shift };
  const { engine, retriever, analyzer } = await buildModelPipeline(corpus, model, { retriever: { abstainBelow: 0, crossLingual } });
  const rows = (await evaluate(engine, questions)).rows;
  const passageVectors = await model.embed(corpus.passages.map((p) => p.text), "passage");
  const df = new Map<string, number>();
  for (const p of corpus.passages) for (const term of new Set(analyzer.analyze(p.text))) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = (term: string) => Math.log(1 + (corpus.passages.length - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));
  const documentTerms = new Map(corpus.documents.map((d) => [d.id, new Set(analyzer.words(d.text).flatMap((w) => [...analyzer.termsOfWord(w)]))]));
  const out: Row[] = [];
  for (const [i, question] of questions.entries()) {
    const retrieval = await retriever.retrieve(question.question, { topK: 5, history: question.history ?? [] });
    const best = retrieval.candidates[0];
    const [queryVector] = await model.embed([retrieval.query.denseText], "query");
    const signals: Record<string, number | undefined> = { docCoverage: 0, peak: 0 };
    if (best) {
      const docId = best.sentence.docId;
      const bestOf = new Map<string, number>();
      corpus.passages.forEach((p, j) => bestOf.set(p.docId, Math.max(bestOf.get(p.docId) ?? -1, dot(queryVector, passageVectors[j]))));
      const inside = bestOf.get(docId)!;
      const others = [...bestOf].filter(([id]) => id !== docId).map(([, score]) => score);
      const lift = (list: number[]) => {
        if (list.length < 2) return undefined;
        const mean = list.reduce((a, b) => a + b, 0) / list.length;
        const sd = Math.sqrt(list.reduce((a, b) => a + (b - mean) ** 2, 0) / list.length);
        return sd > 0 ? (inside - mean) / sd : undefined;
      };
      if (others.length > 0) {
        signals.docMargin = inside - Math.max(...others);
        signals.docLift = lift(others);
        // Only the ten best other documents: the same whatever the corpus's size.
        signals.docLift10 = lift([...others].sort((a, b) => b - a).slice(0, 10));
      }
      // What the retriever computes from its own dense hits (retrieve/document-lift.ts).
      signals.documentLift = retrieval.documentLift;
      const terms = documentTerms.get(docId)!;
      let found = 0;
      let total = 0;
      for (const group of retrieval.query.groups.filter((g) => !g.fromHistory)) {
        const weight = Math.max(...group.variants.map((v) => idf(v.term)));
        total += weight;
        if (group.variants.some((v) => terms.has(v.term))) found += weight;
      }
      signals.docCoverage = total > 0 ? found / total : 0;
      const similarities = retrieval.candidates.map((c) => c.signals.similarity);
      signals.peak = best.signals.similarity - similarities.reduce((a, b) => a + b, 0) / similarities.length;
    }
    out.push({
      set: setOf(question),
      half: halfOf(question),
      group: retrieval.query.language === "ar" ? "same" : "cross",
      answerable: question.gold.length > 0,
      hit: rows[i].rank === 1,
      confidence: rows[i].confidence,
      signals,
    });
  }
  model.save();
  return out;
}

const xquadQuestions = readQuestions(`${XQUAD}/dev.jsonl`) as Question[];
const fitArticles = fitArticlesOf(xquadQuestions.map((q) => q.article!));
const rows: Row[] = await measure((await loadCorpusDir(`${XQUAD}/corpus`)).corpus, xquadQuestions, (q) => `xquad ${q.kind}`, (q) => (fitArticles.has(q.article!) ? "fit" : "report"));
const SEED_SETS: Record<string, string> = { calibration: "test/questions/calibration.jsonl", heldout: "test/questions/heldout.jsonl", offtopic: "test/questions/offtopic.jsonl", dev: `${SHARED_DIR}/eval/dev.jsonl`, russian: "test/questions/russian.jsonl" };
const seedCorpus = (await loadCorpusDir("corpus")).corpus;
for (const [name, file] of Object.entries(SEED_SETS)) {
  if (!existsSync(file)) continue;
  rows.push(...(await measure(seedCorpus, readQuestions(file), (q) => `seed ${name} ${q.gold.length ? "answerable" : "unanswerable"}`, () => (name === "calibration" ? "fit" : "report"))));
}
// The near-miss set's corpus: the seed article and the two documents written for it.
const nearMissDir = mkdtempSync(join(tmpdir(), "near-miss-"));
for (const folder of ["corpus", "test/questions/documents"]) for (const file of readdirSync(folder).filter((f) => f.endsWith(".txt"))) copyFileSync(join(folder, file), join(nearMissDir, file));
const nearMissCorpus = (await loadCorpusDir(nearMissDir)).corpus;
rmSync(nearMissDir, { recursive: true });
rows.push(...(await measure(nearMissCorpus, readQuestions("test/questions/nearmiss.jsonl"), (q) => `nearmiss ${q.kind}`, () => "report")));

type Rule = { label: string; refuses: (r: Row) => boolean };
type Group = Row["group"];
const fitRows = rows.filter((r) => r.half === "fit");

/** The lowest threshold on `score` that refuses at most 5% of the fit sets' answerable questions of a group (those `refusedBefore` refuses counted first). */
function thresholdFor(group: Group, score: (r: Row) => number, refusedBefore: (r: Row) => boolean = () => false, budget = MAX_FALSE_REFUSAL): number {
  const answerable = fitRows.filter((r) => r.group === group && r.answerable);
  const scores = answerable.filter((r) => !refusedBefore(r)).map(score).sort((a, b) => a - b);
  const allowed = Math.floor(budget * answerable.length) - (answerable.length - scores.length);
  return allowed < 0 ? Infinity : (scores[allowed] ?? Infinity);
}
const absentOf = (group: Group, half: Row["half"]) => rows.filter((r) => r.half === half && (group === "same" ? r.set === "xquad un-ar" : r.set === "xquad un-en" || r.set === "xquad un-ru"));
const absentRefused = (refuses: (r: Row) => boolean, group: Group, half: Row["half"]) => {
  const absent = absentOf(group, half);
  return absent.filter(refuses).length / absent.length;
};

// Each group's rule is fitted on its own absent-article questions (ar; en and ru) and answerable budget.
const baseline = { same: thresholdFor("same", (r) => r.confidence), cross: thresholdFor("cross", (r) => r.confidence) };
const confidenceOnly = (r: Row) => r.confidence === 0 || r.confidence < baseline[r.group];
const candidatesFor = (group: Group) => {
  const list: { label: string; refuses: (r: Row) => boolean }[] = [{ label: `confidence ≥ ${baseline[group].toFixed(4)}`, refuses: confidenceOnly }];
  for (const signal of SIGNALS) {
    // With one document in the corpus the document signals say nothing: the confidence alone decides.
    const applies = (r: Row) => r.signals[signal] !== undefined;
    const value = (r: Row) => r.signals[signal]!;
    // Two thresholds: the signal's refuses up to `share` of the fit answerable, the confidence's the rest.
    for (const share of [0.01, 0.02, 0.03, 0.04, 0.05]) {
      const t2 = thresholdFor(group, (r) => (applies(r) ? value(r) : Infinity), () => false, share);
      const failsSignal = (r: Row) => applies(r) && value(r) < t2;
      const t1 = thresholdFor(group, (r) => (r.confidence === 0 ? -Infinity : r.confidence), failsSignal);
      list.push({ label: `${signal} ≥ ${t2.toFixed(3)} and confidence ≥ ${t1.toFixed(4)}`, refuses: (r) => r.confidence === 0 || r.confidence < t1 || failsSignal(r) });
    }
    // One threshold on the confidence plus w times the signal.
    for (const w of [0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]) {
      const score = (r: Row) => (r.confidence === 0 ? -Infinity : r.confidence + w * value(r));
      const t = thresholdFor(group, (r) => (applies(r) ? score(r) : Infinity), (r) => !applies(r) && confidenceOnly(r));
      list.push({ label: `confidence + ${w}·${signal} ≥ ${t.toFixed(4)}`, refuses: (r) => (applies(r) ? score(r) < t : confidenceOnly(r)) });
    }
  }
  return list;
};
// Every candidate of each group on both halves, best on the fit half first.
const languagesOf = { same: ["ar"], cross: ["en", "ru", "de", "es"] };
for (const group of ["same", "cross"] as const) {
  const list = candidatesFor(group).map((c) => ({ ...c, fit: absentRefused(c.refuses, group, "fit") })).sort((a, b) => b.fit - a.fit);
  console.log(`\n${group}: | rule | fit absent refused | fit answerable refused (worst language) | report absent refused | report answerable refused ${languagesOf[group].join("/")} | report hit@1 |`);
  for (const c of [list.find((c) => c.refuses === confidenceOnly)!, ...list.filter((c) => c.label.includes("+")).slice(0, 16)]) {
    const answerableRefused = (half: Row["half"], lang: string) => {
      const set = rows.filter((r) => r.half === half && r.set === `xquad ${lang}`);
      return set.filter(c.refuses).length / set.length;
    };
    const worstFit = Math.max(...languagesOf[group].map((lang) => answerableRefused("fit", lang)));
    const report = rows.filter((r) => r.half === "report" && r.group === group && r.set.startsWith("xquad") && r.answerable);
    const hit = report.filter((r) => !c.refuses(r) && r.hit).length / report.length;
    console.log(`| ${c.label} | ${c.fit.toFixed(3)} | ${worstFit.toFixed(3)} | ${absentRefused(c.refuses, group, "report").toFixed(3)} | ${languagesOf[group].map((lang) => answerableRefused("report", lang).toFixed(3)).join(" / ")} | ${hit.toFixed(3)} |`);
  }
}
const rules: Rule[] = [];
const chosen: Record<Group, { label: string; refuses: (r: Row) => boolean }[]> = { same: [], cross: [] };
for (const group of ["same", "cross"] as const) {
  const list = candidatesFor(group);
  // The best of each signal on the fit half (ties: the first, i.e. the simplest), and the baseline.
  chosen[group].push(list[0]);
  for (const signal of SIGNALS) {
    const ofSignal = list.filter((c) => c.label.includes(signal));
    let best = ofSignal[0];
    for (const c of ofSignal) if (absentRefused(c.refuses, group, "fit") > absentRefused(best.refuses, group, "fit")) best = c;
    chosen[group].push(best);
  }
}
for (let k = 0; k < chosen.same.length; k++) {
  const [same, cross] = [chosen.same[k], chosen.cross[k]];
  rules.push({ label: `${same.label} / ${cross.label}`, refuses: (r) => (r.group === "same" ? same.refuses(r) : cross.refuses(r)) });
}

// The retriever's own rule (RetrieverOptions.documentLift): w per group chosen on the fit half, then
// the questions asked again through the engine with it on, so what is reported is what the service does.
const liftRules: Record<Group, DocumentLiftRule> = { same: { weight: 0, abstainBelow: 0 }, cross: { weight: 0, abstainBelow: 0 } };
for (const group of ["same", "cross"] as const) {
  let bestFit = -1;
  for (const weight of [0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1]) {
    const applies = (r: Row) => r.signals.documentLift !== undefined;
    const score = (r: Row) => (r.confidence === 0 ? -Infinity : r.confidence + weight * r.signals.documentLift!);
    const abstainBelow = thresholdFor(group, (r) => (applies(r) ? score(r) : Infinity), (r) => !applies(r) && confidenceOnly(r));
    const fit = absentRefused((r) => (applies(r) ? score(r) < abstainBelow : confidenceOnly(r)), group, "fit");
    if (fit > bestFit) [bestFit, liftRules[group]] = [fit, { weight, abstainBelow: Math.round(abstainBelow * 10000) / 10000 }];
  }
}
console.log(`\ndocument lift chosen on the fit half: same language ${JSON.stringify(liftRules.same)}, other languages ${JSON.stringify(liftRules.cross)}`);
{
  const background = createBackground(await embedBackground((texts) => model.embed(texts, "passage"), model.dimension), model.dimension);
  const { corpus } = await loadCorpusDir(`${XQUAD}/corpus`);
  console.log("| through the engine | half | un-ar / un-en / un-ru refused | answerable refused ar / en / ru / de / es | hit@1 ar / en / ru / de / es |\n|---|---|---|---|---|");
  for (const [label, documentLift] of [["confidence only", undefined], ["with the document lift", { sameLanguage: liftRules.same, crossLingual: liftRules.cross }]] as const) {
    const crossLingual = { ...MODEL_CROSS_LINGUAL, abstainBelow: baseline.cross, background, ...shift };
    const { engine } = await buildModelPipeline(corpus, model, { retriever: { abstainBelow: baseline.same, crossLingual, ...(documentLift && { documentLift }) } });
    const evaluated = (await evaluate(engine, xquadQuestions)).rows;
    for (const half of ["fit", "report"] as const) {
      const inHalf = evaluated.filter((r) => fitArticles.has((r.question as Question).article!) === (half === "fit"));
      const of = (kind: string) => inHalf.filter((r) => r.question.kind === kind);
      const refusedShare = (list: typeof inHalf) => (list.filter((r) => r.abstained).length / list.length).toFixed(3);
      const hitShare = (list: typeof inHalf) => (list.filter((r) => !r.abstained && r.rank === 1).length / list.length).toFixed(3);
      const languages = ["ar", "en", "ru", "de", "es"];
      console.log(`| ${label} | ${half} | ${["un-ar", "un-en", "un-ru"].map((k) => refusedShare(of(k))).join(" / ")} | ${languages.map((k) => refusedShare(of(k))).join(" / ")} | ${languages.map((k) => hitShare(of(k))).join(" / ")} |`);
    }
  }
}

// A collection on one subject: the seed article cut into one document per paragraph. A question the
// corpus answers then has several documents near it, which the lift reads as "nothing stands out".
{
  const background = createBackground(await embedBackground((texts) => model.embed(texts, "passage"), model.dimension), model.dimension);
  const paragraphs = readdirSync("corpus").filter((f) => f.endsWith(".txt")).flatMap((f) => readFileSync(join("corpus", f), "utf8").split("\n").filter((line) => line.trim()));
  const { corpus } = buildCorpus(paragraphs.map((text, i) => ({ name: `paragraph-${String(i).padStart(2, "0")}.txt`, bytes: new TextEncoder().encode(text) })));
  const questions = Object.values(SEED_SETS).filter(existsSync).flatMap(readQuestions);
  console.log(`\n| the seed article as ${corpus.documents.length} documents, one per paragraph | answerable refused (${questions.filter((q) => q.gold.length).length}) | hit@1 | unanswerable refused (${questions.filter((q) => !q.gold.length).length}) |\n|---|---|---|---|`);
  for (const [label, documentLift] of [["confidence only", undefined], ["with the document lift", { sameLanguage: liftRules.same, crossLingual: liftRules.cross }]] as const) {
    const crossLingual = { ...MODEL_CROSS_LINGUAL, abstainBelow: baseline.cross, background, ...shift };
    const { engine } = await buildModelPipeline(corpus, model, { retriever: { abstainBelow: baseline.same, crossLingual, ...(documentLift && { documentLift }) } });
    const evaluated = (await evaluate(engine, questions)).rows;
    const answerable = evaluated.filter((r) => r.question.gold.length > 0);
    const unanswerable = evaluated.filter((r) => r.question.gold.length === 0);
    const of = (list: typeof evaluated, test: (r: (typeof evaluated)[number]) => boolean) => (list.filter(test).length / list.length).toFixed(3);
    console.log(`| ${label} | ${of(answerable, (r) => r.abstained)} | ${of(answerable, (r) => !r.abstained && r.rank === 1)} | ${of(unanswerable, (r) => r.abstained)} |`);
  }
}

const share = (list: Row[], test: (r: Row) => boolean) => (list.length ? (list.filter(test).length / list.length).toFixed(3) : "–");
const columns: [string, (r: Row) => boolean, "refused" | "answered-hit" | "answered"][] = [];
for (const half of ["fit", "report"] as const) {
  for (const lang of ["ar", "en", "ru"]) columns.push([`${half} un-${lang} refused`, (r) => r.half === half && r.set === `xquad un-${lang}`, "refused"]);
  columns.push([`${half} answerable refused`, (r) => r.half === half && r.set.startsWith("xquad") && r.answerable, "refused"]);
  columns.push([`${half} hit@1`, (r) => r.half === half && r.set.startsWith("xquad") && r.answerable, "answered-hit"]);
}
columns.push(["seed off-topic refused", (r) => r.set === "seed offtopic unanswerable", "refused"]);
columns.push(["seed answerable refused (report)", (r) => r.half === "report" && r.set.startsWith("seed") && r.answerable, "refused"]);
columns.push(["near-miss refused", (r) => r.set === "nearmiss nearmiss", "refused"]);
columns.push(["twins answered", (r) => r.set === "nearmiss twin", "answered"]);
console.log(`| rule (same language / other languages) | ${columns.map(([label]) => label).join(" | ")} |\n|${"---|".repeat(columns.length + 1)}`);
for (const rule of rules) {
  const cells = columns.map(([, inColumn, what]) => {
    const list = rows.filter(inColumn);
    return what === "refused" ? share(list, rule.refuses) : what === "answered" ? share(list, (r) => !rule.refuses(r)) : share(list, (r) => !rule.refuses(r) && r.hit);
  });
  console.log(`| ${rule.label} | ${cells.join(" | ")} |`);
}
// Per-language answerable refusals on the report half, for the budget of 5% per set.
for (const rule of rules) {
  const perLanguage = ["ar", "en", "ru", "de", "es"].map((lang) => share(rows.filter((r) => r.half === "report" && r.set === `xquad ${lang}`), rule.refuses));
  console.log(`report answerable refused ar/en/ru/de/es, ${rule.label}: ${perLanguage.join(" / ")}`);
}
