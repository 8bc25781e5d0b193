// Calibrates the refusal threshold on test/questions/calibration.jsonl (never on the dev set or
// the held-out set): runs every question with no threshold, then picks the threshold that
// minimises wrong answers to unanswerable questions (weighted double) plus wrong refusals.
//   npx tsx scripts/calibrate.ts [--write]
import { readFileSync, writeFileSync } from "node:fs";
import { buildInMemoryPipeline, loadCorpus } from "./lib/engine";
import { evaluate, readQuestions } from "./lib/evaluate";

const UNANSWERED_COST = 2;
const questions = [...readQuestions("test/questions/calibration.jsonl")];
const { engine } = await buildInMemoryPipeline(await loadCorpus(), { abstainBelow: 0 });
const report = await evaluate(engine, questions);

const answerable = report.rows.filter((r) => r.question.gold.length > 0).map((r) => r.confidence);
const unanswerable = report.rows.filter((r) => r.question.gold.length === 0).map((r) => r.confidence);
const values = [...new Set([...answerable, ...unanswerable])].sort((a, b) => a - b);
const candidates = [0, ...values.slice(1).map((v, i) => (v + values[i]) / 2), values[values.length - 1] + 1e-6];

let best = { threshold: 0, cost: Infinity, falseRefusals: 0, wrongAnswers: 0 };
for (const threshold of candidates) {
  const falseRefusals = answerable.filter((c) => c < threshold).length;
  const wrongAnswers = unanswerable.filter((c) => c >= threshold).length;
  const cost = UNANSWERED_COST * wrongAnswers + falseRefusals;
  if (cost < best.cost) best = { threshold, cost, falseRefusals, wrongAnswers };
}

const threshold = Math.round(best.threshold * 10000) / 10000;
console.log(`calibration set: ${answerable.length} answerable, ${unanswerable.length} unanswerable`);
console.log(`answerable confidence: min ${Math.min(...answerable).toFixed(3)}, unanswerable max ${Math.max(...unanswerable).toFixed(3)}`);
console.log(`threshold ${threshold}: ${best.falseRefusals} answerable refused, ${best.wrongAnswers} unanswerable answered`);

if (process.argv.includes("--write")) {
  const path = "src/retrieve/calibration.json";
  const current = JSON.parse(readFileSync(path, "utf8"));
  current.thresholds.hashing = threshold;
  current.hashing = { questions: questions.length, falseRefusals: best.falseRefusals, wrongAnswers: best.wrongAnswers, calibratedAt: new Date().toISOString().slice(0, 10) };
  writeFileSync(path, `${JSON.stringify(current, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
