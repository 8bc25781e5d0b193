// Calibrates the refusal threshold on test/questions/calibration.jsonl (never on the dev set or
// the held-out set), from the product's own bar: at most 5% of answerable questions may be
// refused, counting those the evidence gate already refuses. Within that budget the threshold
// keeps the widest margin to the answerable questions it must not refuse.
//   npm run calibrate [-- --write] [-- --lexicons]   (the optional lexicons, as for scripts/eval-local.ts;
//   the committed hashing threshold was fitted with them: calibration.json's note says why)
//   npm run calibrate -- --embedder openai [--write]   (the model EMBEDDINGS_URL serves: scripts/lib/calibrate-embedder.ts)
import { readFileSync, writeFileSync } from "node:fs";
import { buildInMemoryPipeline, lexiconsFromArgs, loadCorpus } from "./lib/engine";
import { evaluate, readQuestions } from "./lib/evaluate";

const embedderFlag = process.argv.indexOf("--embedder");
if (embedderFlag > 0) {
  const kind = process.argv[embedderFlag + 1];
  if (kind !== "openai") throw new Error(`--embedder takes openai (the built-in and in-process models are fitted without it), not ${kind}`);
  const { calibrateServedEmbedder } = await import("./lib/calibrate-embedder");
  await calibrateServedEmbedder(process.argv.includes("--write"));
  process.exit(0);
}

const SET = "test/questions/calibration.jsonl";
const MAX_FALSE_REFUSAL = 0.05;

const { engine } = await buildInMemoryPipeline(await loadCorpus(), { abstainBelow: 0, lexicons: lexiconsFromArgs() });
const report = await evaluate(engine, readQuestions(SET));
const answerable = report.rows.filter((r) => r.question.gold.length > 0);
const unanswerable = report.rows.filter((r) => r.question.gold.length === 0);
// Confidence 0: the best sentence holds too few of the question's words (retrieve/answerability.ts);
// refused whatever the threshold, so these spend the false-refusal budget first.
const gated = answerable.filter((r) => r.confidence === 0).length;
const confidences = answerable.map((r) => r.confidence).filter((c) => c > 0).sort((a, b) => a - b);

// The `allowed` lowest answerable confidences may fall below. The threshold sits halfway between the
// highest confidence it may refuse (an answerable one within budget, or an unanswerable one) and
// the lowest it must keep: the widest margin the calibration set allows.
const allowed = Math.max(0, Math.floor(MAX_FALSE_REFUSAL * answerable.length) - gated);
const keep = confidences[allowed];
const refusable = [confidences[allowed - 1] ?? 0, ...unanswerable.map((r) => r.confidence).filter((c) => c < keep)];
const threshold = round((Math.max(...refusable) + keep) / 2);

const stats = {
  set: SET,
  maxFalseRefusal: MAX_FALSE_REFUSAL,
  answerable: answerable.length,
  answerableRefused: answerable.filter((r) => r.confidence < threshold).length,
  answerableRefusedByEvidence: gated,
  unanswerable: unanswerable.length,
  unanswerableRefused: unanswerable.filter((r) => r.confidence < threshold).length,
  unanswerableRefusedByEvidence: unanswerable.filter((r) => r.confidence === 0).length,
  wrongFirstCitationsAnswered: answerable.filter((r) => r.rank !== 1 && r.confidence >= threshold).length,
};
console.log(`threshold ${threshold}:`, stats);

if (process.argv.includes("--write")) {
  const path = "src/retrieve/calibration.json";
  const calibration = JSON.parse(readFileSync(path, "utf8"));
  calibration.thresholds.hashing = threshold;
  calibration.thresholds.transformers = threshold;
  calibration.hashing = stats;
  writeFileSync(path, `${JSON.stringify(calibration, null, 2)}\n`);
  console.log(`wrote ${path}`);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
