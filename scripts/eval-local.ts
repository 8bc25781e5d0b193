// Scores question sets in-process (no server) with the built-in embedder, per kind:
//   npx tsx scripts/eval-local.ts [FILE.jsonl ...] [--threshold 0.3] [--lexicons]
// Defaults to the shared dev set and this repository's own question sets.
import { existsSync } from "node:fs";
import { buildInMemoryPipeline, lexiconsFromArgs, loadCorpus } from "./lib/engine";
import { evaluate, formatReport, readQuestions } from "./lib/evaluate";

const args = process.argv.slice(2);
const thresholdAt = args.indexOf("--threshold");
const abstainBelow = thresholdAt >= 0 ? Number(args[thresholdAt + 1]) : undefined;
const files = args.filter((a, i) => !a.startsWith("--") && !(thresholdAt >= 0 && i === thresholdAt + 1));
const sets = files.length ? files : ["../shared/eval/dev.jsonl", "test/questions/heldout.jsonl", "test/questions/followups.jsonl"].filter(existsSync);

const { engine } = await buildInMemoryPipeline(await loadCorpus(), { abstainBelow, lexicons: lexiconsFromArgs(args) });
for (const file of sets) {
  console.log(`\n## ${file}`);
  console.log(formatReport(await evaluate(engine, readQuestions(file))));
}
