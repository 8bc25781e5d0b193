// Calibrates the refusal threshold on test/questions/calibration.jsonl (never on the dev set or
// the held-out set), from the product's own bar: at most 5% of answerable questions may be
// refused. Within that budget the threshold is set as high as it can go, so that as many
// unanswerable questions as possible are refused.
//   npm run calibrate [-- --write]
import { readFileSync, writeFileSync } from "node:fs";
import { buildInMemoryPipeline, loadCorpus } from "./lib/engine";
import { evaluate, readQuestions } from "./lib/evaluate";

const SET = "test/questions/calibration.jsonl";
const MAX_FALSE_REFUSAL = 0.05;

const { engine } = await buildInMemoryPipeline(await loadCorpus(), { abstainBelow: 0 });
const report = await evaluate(engine, readQuestions(SET));
const answerable = report.rows.filter((r) => r.question.gold.length > 0);
const unanswerable = report.rows.filter((r) => r.question.gold.length === 0);
const confidences = answerable.map((r) => r.confidence).sort((a, b) => a - b);

// The `allowed` lowest answerable confidences may fall below; the threshold sits halfway to the next.
const allowed = Math.floor(MAX_FALSE_REFUSAL * confidences.length);
const threshold = round(allowed === 0 ? confidences[0] / 2 : (confidences[allowed - 1] + confidences[allowed]) / 2);

const stats = {
  set: SET,
  maxFalseRefusal: MAX_FALSE_REFUSAL,
  answerable: answerable.length,
  answerableRefused: answerable.filter((r) => r.confidence < threshold).length,
  unanswerable: unanswerable.length,
  unanswerableRefused: unanswerable.filter((r) => r.confidence < threshold).length,
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
