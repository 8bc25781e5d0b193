// Calibrates the refusal threshold on test/questions/calibration.jsonl (never on the dev set or
// the held-out set). It runs every question with no threshold and picks the threshold with the
// fewest bad outcomes, each counting one: answering an unanswerable question, answering with a
// wrong first citation, and refusing a question whose first citation would have been right.
// Refusing a question we would have answered wrongly costs nothing: "the sources do not say" is
// then the honest reply. (Counting unanswered questions double pushes the threshold into the
// near-miss questions, which share the article's words, and refuses a third of right answers.)
//   npm run calibrate [-- --write]
import { readFileSync, writeFileSync } from "node:fs";
import { buildInMemoryPipeline, loadCorpus } from "./lib/engine";
import { evaluate, readQuestions } from "./lib/evaluate";

const SET = "test/questions/calibration.jsonl";
const UNANSWERABLE_ANSWERED_COST = 1;

const { engine } = await buildInMemoryPipeline(await loadCorpus(), { abstainBelow: 0 });
const report = await evaluate(engine, readQuestions(SET));
const rows = report.rows.map((r) => ({ confidence: r.confidence, answerable: r.question.gold.length > 0, right: r.rank === 1 }));

const cost = (threshold: number) =>
  rows.reduce((sum, r) => {
    const answers = r.confidence >= threshold;
    if (!r.answerable) return sum + (answers ? UNANSWERABLE_ANSWERED_COST : 0);
    return sum + (answers !== r.right ? 1 : 0);
  }, 0);

// Candidates halfway between neighbouring confidences; the lowest of equally good ones refuses least.
const values = [...new Set(rows.map((r) => r.confidence))].sort((a, b) => a - b);
const candidates = [0, ...values.slice(1).map((v, i) => (v + values[i]) / 2)];
let best = { threshold: 0, cost: cost(0) };
for (const threshold of candidates) {
  const c = cost(threshold);
  if (c < best.cost) best = { threshold, cost: c };
}

const threshold = Math.round(best.threshold * 10000) / 10000;
const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
const stats = {
  set: SET,
  answerable: count((r) => r.answerable),
  unanswerable: count((r) => !r.answerable),
  unanswerableRefused: count((r) => !r.answerable && r.confidence < threshold),
  answerableRefused: count((r) => r.answerable && r.confidence < threshold),
  rightAnswersRefused: count((r) => r.answerable && r.right && r.confidence < threshold),
  wrongAnswersGiven: count((r) => r.answerable && !r.right && r.confidence >= threshold),
};
console.log(`threshold ${threshold} (cost ${best.cost}):`, stats);

if (process.argv.includes("--write")) {
  const path = "src/retrieve/calibration.json";
  const calibration = JSON.parse(readFileSync(path, "utf8"));
  calibration.thresholds.hashing = threshold;
  calibration.hashing = stats;
  writeFileSync(path, `${JSON.stringify(calibration, null, 2)}\n`);
  console.log(`wrote ${path}`);
}
