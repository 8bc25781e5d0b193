// The quality gate for the hashing embedder's dimension: scripts/eval-local.ts's question sets,
// answered by an in-memory pipeline whose built-in embedder has the given dimension.
//   tsx bench/dimension-eval.ts --dimension 256 [--threshold 0.2612]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { createHashingEmbedder } from "../src/embed/hashing";
import { createExactIndex } from "../src/index/exact";
import { createDefaultAnalyzer, createPipeline } from "../src/pipeline";
import { loadCorpus } from "../scripts/lib/engine";
import { evaluate, formatReport, readQuestions } from "../scripts/lib/evaluate";

const { values: args } = parseArgs({ options: { dimension: { type: "string", default: "1024" }, threshold: { type: "string" } } });
const sets = ["../shared/eval/dev.jsonl", "test/questions/heldout.jsonl", "test/questions/followups.jsonl"].filter(existsSync);

const corpus = await loadCorpus();
const analyzer = createDefaultAnalyzer();
const embedder = createHashingEmbedder({
  terms: (text) => analyzer.analyze(text),
  words: (text) => analyzer.words(text),
  corpus: corpus.passages.map((p) => p.text),
  dimension: Number(args.dimension),
});
const vectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
const { engine } = createPipeline({
  corpus,
  embedder,
  analyzer,
  vectorIndex: createExactIndex(embedder.dimension, vectors),
  abstainBelow: args.threshold === undefined ? undefined : Number(args.threshold),
});
console.log(`embedder ${embedder.id}`);
for (const file of sets) {
  console.log(`\n## ${file}`);
  console.log(formatReport(await evaluate(engine, readQuestions(file))));
}
