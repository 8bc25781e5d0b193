// Chooses the model bridge's floor, depth and weight (retrieve/bridge.ts) and the cross-lingual
// fusion and coverage weights that go with it, on the fit half of XQuAD dev only (articles split by
// hash as in tune-model.ts), refusal off; prints every variant's hit@1 per language on both halves
// so the choice can be checked on the report half. Also times the bridge's vocabulary embedding.
//   nice -n 10 npx tsx scripts/tune-bridge.ts [--lexicons] [--report] [--grid small|chosen|feedback|shift|'shift:{…}'|'{"floor":…,"depth":…,"weight":…}']
// (--grid shift: the mean-vector shift, retrieve/language-shift.ts, strength × where it applies × the
// Arabic mean's kind, on top of the bridge; 'shift:{"strength":…,"apply":…,"arabic":…}' one variant beside none)
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import { MODEL_CROSS_LINGUAL, normalized } from "../src/retrieve/profiles";
import { createBackground, embedBackground } from "../src/retrieve/background";
import { languageShiftProfile, parseShift } from "./lib/language-shift";
import { bridgeEntries, createDefaultAnalyzer } from "../src/pipeline";
import type { CrossLingualProfile } from "../src/retrieve/retriever";
import { createCachedModel, fitArticlesOf, SHARED_DIR } from "./lib/cached-model";
import { buildModelPipeline, lexiconsFromArgs, type ModelPipelineOptions } from "./lib/engine";
import { evaluate, readQuestions, type EvalQuestion } from "./lib/evaluate";

const { values } = parseArgs({ options: { lexicons: { type: "boolean", default: false }, grid: { type: "string", default: "small" }, report: { type: "boolean", default: false } } });
const lexicons = lexiconsFromArgs(values.lexicons ? ["--lexicons"] : []);
const XQUAD = `${SHARED_DIR}/eval/xquad`;
if (!existsSync(`${XQUAD}/dev.jsonl`)) throw new Error(`${XQUAD}/dev.jsonl is missing: set SHARED_DIR`);
const model = await createCachedModel();
const { corpus } = await loadCorpusDir(`${XQUAD}/corpus`);
const questions = (readQuestions(`${XQUAD}/dev.jsonl`) as (EvalQuestion & { article: string })[]).filter((q) => q.gold.length > 0 && q.lang !== "ar");
const fit = fitArticlesOf(questions.map((q) => q.article));
// The report half is read only with --report, once a variant is chosen on the fit half.
const asked = values.report ? questions : questions.filter((q) => fit.has(q.article));

const entries = bridgeEntries(corpus, createDefaultAnalyzer());
const t0 = performance.now();
await model.embed(entries, "query");
const seconds = (performance.now() - t0) / 1000;
console.log(`vocabulary: ${entries.length} entries; embedded (or read from the cache) in ${seconds.toFixed(1)} s, ${Math.round(entries.length / seconds)} entries/s`);
model.save();
const background = createBackground(await embedBackground((texts) => model.embed(texts, "passage"), model.dimension), model.dimension);

async function run(label: string, options: ModelPipelineOptions, profile: Partial<CrossLingualProfile> = {}) {
  const crossLingual = { ...MODEL_CROSS_LINGUAL, abstainBelow: 0, background, ...profile };
  const { engine, retriever } = await buildModelPipeline(corpus, model, { ...options, lexicons, retriever: { abstainBelow: 0, crossLingual } });
  const rows = (await evaluate(engine, asked)).rows;
  const cells: string[] = [];
  for (const half of ["fit", "report"]) {
    const inHalf = rows.filter((r) => fit.has((r.question as EvalQuestion & { article: string }).article) === (half === "fit"));
    for (const lang of ["en", "ru", "de", "es"]) {
      const set = inHalf.filter((r) => r.question.lang === lang);
      cells.push(set.length ? (set.filter((r) => r.rank === 1).length / set.length).toFixed(3) : "–");
    }
    cells.push(inHalf.length ? (inHalf.filter((r) => r.rank === 1).length / inHalf.length).toFixed(3) : "–");
  }
  const ms = rows.map((r) => r.ms).sort((a, b) => a - b);
  const t = performance.now();
  for (const q of asked.slice(0, 40)) await retriever.retrieve(q.question);
  console.log(`| ${label} | ${cells.join(" | ")} | ${ms[Math.floor(ms.length / 2)].toFixed(1)} | ${((performance.now() - t) / 40).toFixed(1)} |`);
  model.save();
}

console.log("| variant | fit en | ru | de | es | all | report en | ru | de | es | all | p50 ms | ms/q |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|");
if (values.grid === "small") {
  await run("no bridge", { bridge: false });
  for (const floor of [0.88, 0.91]) for (const depth of [1, 3]) for (const weight of [0.3, 0.6]) await run(`floor ${floor} depth ${depth} weight ${weight}`, { bridge: { floor, depth, weight } });
} else if (values.grid === "chosen") {
  await run("no bridge", { bridge: false });
  await run("bridge (defaults)", {});
  await run("bridge + feedback (3 passages, 0.2)", {}, { feedback: { weight: 0.2, passages: 3 } });
} else if (values.grid === "feedback") {
  // Query-side: pseudo-relevance feedback on top of the bridge (CrossLingualProfile.feedback).
  for (const passages of [1, 3]) for (const weight of [0.2, 0.5]) await run(`feedback ${passages} passages weight ${weight}`, {}, { feedback: { weight, passages } });
} else if (values.grid === "shift") {
  // Query-side: the question moved toward Arabic by the background means (CrossLingualProfile.languageShift).
  await run("bridge, no shift", {});
  for (const arabic of ["query", "passage"] as const) {
    for (const apply of ["search", "sentences", "both"] as const) {
      for (const strength of [0.25, 0.5, 1, 2]) await run(`shift ${strength} ${apply}, Arabic mean as ${arabic}`, {}, await languageShiftProfile(model, { strength, apply, arabic }));
    }
  }
} else if (values.grid.startsWith("shift:")) {
  // One shift variant beside none: --grid 'shift:{"strength":…,"apply":…,"arabic":…}'
  await run("bridge, no shift", {});
  await run(`shift ${values.grid.slice(6)}`, {}, await languageShiftProfile(model, parseShift(values.grid.slice(6))));
} else {
  const bridge = JSON.parse(values.grid) as { floor: number; depth: number; weight: number };
  for (const lexical of [0.3, 0.6, 1]) {
    for (const coverage of [0.1, 0.3]) {
      // profiles.ts's raw cross-lingual weights with coverage varied.
      const sentenceWeights = normalized({ coverage, similarity: 1, passage: 0.1, proximity: 0, densePassage: 0.5 });
      await run(`lexical ${lexical} coverage ${coverage}`, { bridge }, { fusion: { ...MODEL_CROSS_LINGUAL.fusion, lexical }, sentenceWeights });
    }
  }
}
