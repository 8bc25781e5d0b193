// Answer latency at several efSearch values, side by side in one process (modes rotated per
// question, so a busy machine slows all of them alike): what a higher default efSearch costs.
//   node --import tsx bench/ef-answer.ts --size 100000 --ef 256,1024
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { buildHnswShards, loadHnswShards } from "../src/index/hnsw-shards";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../src/pipeline";
import { devQuestions, generatedQuestions } from "./lib/questions";
import { summarize } from "./lib/stats";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({ options: { size: { type: "string", default: "10000" }, ef: { type: "string", default: "256,1024" }, shards: { type: "string", default: "2" }, M: { type: "string", default: "16" } } });
const efs = args.ef.split(",").map(Number);

const real = (await loadCorpusDir("corpus")).corpus;
const corpus = buildCorpus(synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: Number(args.size), seed: 42 })).corpus;
const texts = corpus.passages.map((p) => p.text);
const analyzer = createDefaultAnalyzer();
const embedder = createBuiltInEmbedder(corpus, analyzer);
const { dimension } = embedder;
const vectors = new Float32Array(new SharedArrayBuffer(texts.length * dimension * 4));
for (let i = 0; i < texts.length; i += 64) (await embedder.embed(texts.slice(i, i + 64), "passage")).forEach((row, j) => vectors.set(row, (i + j) * dimension));
const dir = mkdtempSync(join(tmpdir(), "ef-answer-"));
const paths = Array.from({ length: Number(args.shards) }, (_, s) => join(dir, `g${s}.hnsw`));
const cpuBefore = process.cpuUsage();
const buildStart = performance.now();
await buildHnswShards({ vectors, dimension, M: Number(args.M), efConstruction: 200, paths });
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({ M: Number(args.M), insertMs: Math.round(performance.now() - buildStart), insertCpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
const index = await loadHnswShards(paths, { dimension });
rmSync(dir, { recursive: true, force: true });
const { engine } = createPipeline({ corpus, embedder, vectorIndex: index, analyzer });

for (const question of [...generatedQuestions(corpus, 30, 99), "What did the security council approve?"]) await engine.answer({ question, topK: 5, history: [] });
const questions = [...devQuestions(), ...generatedQuestions(corpus, 300, 7)];
const answer: Record<number, number[]> = Object.fromEntries(efs.map((ef) => [ef, []]));
const dense: Record<number, number[]> = Object.fromEntries(efs.map((ef) => [ef, []]));
for (const [q, question] of questions.entries()) {
  for (let j = 0; j < efs.length; j++) {
    const ef = efs[(q + j) % efs.length];
    index.setEfSearch(ef);
    const start = performance.now();
    const response = await engine.answer({ question, topK: 5, history: [] });
    answer[ef].push(performance.now() - start);
    dense[ef].push(response.timings.dense ?? 0);
  }
}
for (const ef of efs) {
  const a = summarize(answer[ef]);
  const d = summarize(dense[ef]);
  console.log(JSON.stringify({ size: texts.length, dimension, shards: paths.length, efSearch: ef, answer: [a.p50, a.p95, a.p99], dense: [d.p50, d.p95, d.p99] }));
}
console.log(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
