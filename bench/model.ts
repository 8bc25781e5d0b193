// The multilingual model's own costs, side by side: load time and memory, query embedding
// latency, and passages embedded per second for each batch size × ONNX Runtime thread count (each
// setting run twice, interleaved, best kept: this machine's speed drifts).
//   npx tsx bench/model.ts [--dir models] [--batches 1,8,16,32] [--threads 1,2] [--passages 256] [--tokens 50-70] [--json out.json]
// Threads: the onnxruntime-node build transformers.js uses takes its thread count from OpenMP
// (OMP_NUM_THREADS, read when a process starts; the session's intraOpNumThreads changes nothing),
// so each thread count is measured in a child process started with it, the rounds interleaved.
// Passages: sentences and two-sentence windows of the XQuAD corpus (../shared, CC BY-SA 4.0, read
// only) whose length in the model's tokens is within --tokens (default 50-70: the "about 60 tokens"
// the throughput target is stated for; "all" keeps every two-sentence window, ~85 tokens); the
// seed article's when ../shared is absent. Questions: XQuAD dev's.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createTransformersEmbedder } from "../src/embed/transformers";
import type { Embedder } from "../src/types";
import { percentile } from "./lib/stats";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: "models" },
    batches: { type: "string", default: "1,8,16,32" },
    threads: { type: "string", default: "1,2" },
    passages: { type: "string", default: "256" },
    tokens: { type: "string", default: "50-70" },
    queries: { type: "string", default: "100" },
    json: { type: "string" },
    // Internal: a child measuring the batch sizes under the OMP_NUM_THREADS it was started with.
    "grid-only": { type: "boolean", default: false },
  },
});
const list = (text: string) => text.split(",").map(Number);
const XQUAD = "../shared/eval/xquad";

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const rssBefore = rssMb();
const started = performance.now();
const first = await createTransformersEmbedder({ modelsDir: values.dir });
const loadMs = performance.now() - started;
const rssAfterLoad = rssMb();

const corpusDir = existsSync(`${XQUAD}/corpus`) ? `${XQUAD}/corpus` : "corpus";
const { corpus } = await loadCorpusDir(corpusDir, { windowSize: 2, stride: values.tokens === "all" ? 2 : 1 });
const { AutoTokenizer } = await import("@xenova/transformers");
const tokenizer = await AutoTokenizer.from_pretrained("Xenova/multilingual-e5-small");
const tokensOf = (text: string) => tokenizer.encode(`passage: ${text}`).length;
const [minTokens, maxTokens] = values.tokens === "all" ? [0, Infinity] : values.tokens.split("-").map(Number);
const pool = values.tokens === "all" ? corpus.passages.map((p) => p.text) : [...new Set([...corpus.sentences.map((s) => s.text), ...corpus.passages.map((p) => p.text)])];
const passages = pool.filter((text) => tokensOf(text) >= minTokens && tokensOf(text) <= maxTokens).slice(0, Number(values.passages));
const questions = existsSync(`${XQUAD}/dev.jsonl`)
  ? readFileSync(`${XQUAD}/dev.jsonl`, "utf8").trim().split("\n").map((line) => JSON.parse(line).question as string)
  : corpus.sentences.map((s) => s.text.slice(0, 80));
const queries = questions.slice(0, Number(values.queries));

const meanTokens = passages.reduce((sum, p) => sum + tokensOf(p), 0) / passages.length;

// One embedder per batch size, made once and reused in the second round (each holds an ONNX session).
const embedders = new Map<number, Embedder>();
async function batchRates(): Promise<Map<number, number>> {
  const rates = new Map<number, number>();
  for (const batch of list(values.batches)) {
    if (!embedders.has(batch)) embedders.set(batch, await createTransformersEmbedder({ modelsDir: values.dir, batchSize: batch }));
    const t = performance.now();
    await embedders.get(batch)!.embed(passages, "passage");
    rates.set(batch, passages.length / ((performance.now() - t) / 1000));
  }
  return rates;
}

if (values["grid-only"]) {
  // The last line of the child's output is what the parent reads; exit once it is written.
  process.stdout.write(`${JSON.stringify(Object.fromEntries(await batchRates()))}\n`, () => process.exit(0));
  await new Promise(() => {});
}

// Query latency, one question at a time as the server embeds them (after a warm-up).
await first.embed(queries.slice(0, 5), "query");
const latencies: number[] = [];
for (const question of queries) {
  const t = performance.now();
  await first.embed([question], "query");
  latencies.push(performance.now() - t);
}

const childArgs = ["--import", "tsx", fileURLToPath(import.meta.url), "--grid-only", "--dir", values.dir, "--batches", values.batches, "--passages", values.passages, "--tokens", values.tokens];
const grid: { threads: number; batch: number; passagesPerSecond: number }[] = [];
for (const round of [0, 1]) {
  for (const threads of round === 0 ? list(values.threads) : list(values.threads).reverse()) {
    const output = execFileSync(process.execPath, childArgs, { env: { ...process.env, OMP_NUM_THREADS: String(threads) }, encoding: "utf8" });
    const rates = JSON.parse(output.trim().split("\n").at(-1)!) as Record<string, number>;
    for (const [batch, rate] of Object.entries(rates)) {
      const cell = grid.find((c) => c.threads === threads && c.batch === Number(batch));
      if (cell) cell.passagesPerSecond = Math.max(cell.passagesPerSecond, rate);
      else grid.push({ threads, batch: Number(batch), passagesPerSecond: rate });
    }
  }
}

const sorted = [...latencies].sort((a, b) => a - b);
const result = {
  embedder: first.id,
  loadMs: Math.round(loadMs),
  rssMb: { beforeLoad: Math.round(rssBefore), afterLoad: Math.round(rssAfterLoad), end: Math.round(rssMb()) },
  query: { n: latencies.length, p50Ms: +percentile(sorted, 0.5).toFixed(1), p95Ms: +percentile(sorted, 0.95).toFixed(1) },
  passages: { n: passages.length, meanTokens: +meanTokens.toFixed(1), from: corpusDir },
  grid: grid.map((c) => ({ ...c, passagesPerSecond: +c.passagesPerSecond.toFixed(1) })),
};
console.log(JSON.stringify(result, null, 2));
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
