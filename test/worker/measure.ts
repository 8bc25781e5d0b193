// Measurements behind docs/worker.md (not a test; run: npx tsx test/worker/measure.ts):
//  1. exact vector search time for one query at 1k/10k/50k passages (the Worker's only index);
//  2. what int8 vectors change against float32: bundle size, gzip size, ranking and dev-set hit@1;
//  3. cold-start parts: shipping full corpus JSON vs re-segmenting documents, IDF, BM25.
import { gzipSync } from "node:zlib";
import { buildPassages, segmentDocument } from "../../src/corpus";
import { createExactIndex } from "../../src/index/exact";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../../src/pipeline";
import type { Corpus, Sentence, SourceDocument } from "../../src/types";
import { decodeBundle, encodeBundle } from "../../src/worker/bundle";
import { createWorkerEngine } from "../../src/worker/engine";
import { buildWorkerBundle } from "../../scripts/build-worker";
import { loadCorpus } from "../../scripts/lib/engine";
import { evaluate, readQuestions } from "../../scripts/lib/evaluate";

const DIMENSION = 1024;
const questions = readQuestions("../shared/eval/dev.jsonl");

function randomUnitRows(count: number, seed = 7): Float32Array {
  const data = new Float32Array(count * DIMENSION);
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  for (let row = 0; row < count; row++) {
    let sum = 0;
    for (let j = 0; j < DIMENSION; j++) sum += (data[row * DIMENSION + j] = next()) ** 2;
    const scale = 1 / Math.sqrt(sum);
    for (let j = 0; j < DIMENSION; j++) data[row * DIMENSION + j] *= scale;
  }
  return data;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

console.log("## exact search, one query, dimension 1024 (median of 20 after 5 warm-up)");
for (const count of [1_000, 10_000, 50_000]) {
  const index = createExactIndex(DIMENSION, randomUnitRows(count));
  const query = randomUnitRows(1, 99);
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const t0 = performance.now();
    index.search(query, 50);
    if (i >= 5) times.push(performance.now() - t0);
  }
  console.log(`${String(count).padStart(6)} passages: ${median(times).toFixed(2)} ms, vectors ${(count * DIMENSION * 4 / 2 ** 20).toFixed(0)} MiB as f32`);
}

/** A larger corpus made of the real sentences reshuffled into documents of 8 paragraphs × 4 sentences. */
function syntheticCorpus(base: Corpus, documentCount: number): Corpus {
  let state = 1;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const documents: SourceDocument[] = [];
  const sentences: Sentence[] = [];
  for (let d = 0; d < documentCount; d++) {
    const paragraphs = Array.from({ length: 8 }, () =>
      Array.from({ length: 4 }, () => base.sentences[Math.floor(next() * base.sentences.length)].text).join(" "));
    const segmented = segmentDocument({ id: `synthetic-${d}`, meta: base.documents[0].meta, text: paragraphs.join("\n\n") });
    documents.push(segmented.document);
    sentences.push(...segmented.sentences);
  }
  return { documents, sentences, passages: buildPassages(documents, sentences) };
}

console.log("\n## f32 vs i8 vectors");
const base = await loadCorpus();
for (const encoding of ["f32", "i8"] as const) {
  const built = await buildWorkerBundle({ vectors: encoding });
  const engine = await createWorkerEngine({ bundle: decodeBundle(built.bytes) });
  const report = await evaluate(engine.engine, questions);
  console.log(`dev corpus ${encoding}: bundle ${(built.bytes.byteLength / 1024).toFixed(1)} KiB (gzip ${(gzipSync(built.bytes).byteLength / 1024).toFixed(1)} KiB), dev hit@1 ${report.overall.hit1?.toFixed(3)} hit@3 ${report.overall.hit3?.toFixed(3)} abstain-acc ${report.overall.abstainAccuracy?.toFixed(3)}`);
}

for (const documentCount of [100, 500]) {
  const corpus = syntheticCorpus(base, documentCount);
  const embedder = createBuiltInEmbedder(corpus);
  const rows = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
  const flat = new Float32Array(rows.length * DIMENSION);
  rows.forEach((row, i) => flat.set(row, i * DIMENSION));
  const header = {
    builtAt: "", embedder: { id: embedder.id, dimension: DIMENSION }, passageOptions: { windowSize: 3, stride: 2 },
    counts: { documents: 0, paragraphs: 0, sentences: 0, passages: rows.length }, warnings: [],
    documents: corpus.documents.map(({ id, meta, text }) => ({ id, meta, text })),
  };
  const sizes: string[] = [];
  const decoded: Record<string, Float32Array> = {};
  for (const encoding of ["f32", "i8"] as const) {
    const bytes = encodeBundle({ ...header, vectors: { encoding, count: rows.length, dimension: DIMENSION } }, flat);
    decoded[encoding] = decodeBundle(bytes).vectors;
    sizes.push(`${encoding} ${(bytes.byteLength / 2 ** 20).toFixed(2)} MiB (gzip ${(gzipSync(bytes).byteLength / 2 ** 20).toFixed(2)} MiB)`);
  }
  // Ranking effect: the dev questions and 200 passages used as queries; overlap of the top 10 and top-1 agreement.
  const queries = [...(await embedder.embed(questions.map((q) => q.question), "query")), ...rows.filter((_, i) => i % Math.ceil(rows.length / 200) === 0)];
  const f32 = createExactIndex(DIMENSION, decoded.f32);
  const i8 = createExactIndex(DIMENSION, decoded.i8);
  let overlap = 0;
  let sameTop = 0;
  for (const query of queries) {
    const a = f32.search(query, 10).map((h) => h.id);
    const b = new Set(i8.search(query, 10).map((h) => h.id));
    overlap += a.filter((id) => b.has(id)).length / a.length;
    if (a[0] === i8.search(query, 1)[0].id) sameTop++;
  }
  console.log(`synthetic ${documentCount} docs, ${rows.length} passages: ${sizes.join(", ")}; i8 vs f32 over ${queries.length} queries: top-10 overlap ${(overlap / queries.length).toFixed(3)}, same top-1 ${(sameTop / queries.length).toFixed(3)}`);

  // Cold-start parts, the way the Worker pays them.
  const fullJson = JSON.stringify(corpus);
  const documentsJson = JSON.stringify(header.documents);
  let t0 = performance.now();
  JSON.parse(fullJson);
  const parseFull = performance.now() - t0;
  t0 = performance.now();
  const documents: SourceDocument[] = [];
  const sentences: Sentence[] = [];
  for (const d of JSON.parse(documentsJson)) {
    const s = segmentDocument(d);
    documents.push(s.document);
    sentences.push(...s.sentences);
  }
  buildPassages(documents, sentences);
  const resegment = performance.now() - t0;
  const analyzer = createDefaultAnalyzer();
  t0 = performance.now();
  const rebuilt = createBuiltInEmbedder(corpus, analyzer);
  const idf = performance.now() - t0;
  t0 = performance.now();
  createPipeline({ corpus, embedder: rebuilt, analyzer, vectorIndex: f32 });
  const bm25 = performance.now() - t0;
  t0 = performance.now();
  await rebuilt.embed(corpus.passages.map((p) => p.text), "passage");
  const embedAll = performance.now() - t0;
  const kib = (text: string) => (new TextEncoder().encode(text).byteLength / 1024).toFixed(0);
  console.log(`  corpus as full JSON ${kib(fullJson)} KiB parse ${parseFull.toFixed(0)} ms | documents only ${kib(documentsJson)} KiB parse+resegment ${resegment.toFixed(0)} ms | embedder IDF ${idf.toFixed(0)} ms | pipeline (BM25) ${bm25.toFixed(0)} ms | re-embedding all passages instead of shipping vectors ${embedAll.toFixed(0)} ms`);
}
