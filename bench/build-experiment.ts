// Index-build levers side by side on one synthetic corpus: embedding dimension, HNSW shards built
// on worker threads, graph settings. Prints build time per stage, recall@10 against exact search
// per efSearch (and recall@50 as the answer path asks) and peak RSS, as one JSON line per setting.
//   tsx bench/build-experiment.ts --size 10000 --dimensions 1024,256 --shards 1,2 [--M 16 --efc 200]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createHashingEmbedder } from "../src/embed/hashing";
import { createExactIndex } from "../src/index/exact";
import { buildHnswShards, loadHnswShards } from "../src/index/hnsw-shards";
import { createDefaultAnalyzer } from "../src/pipeline";
import type { ScoredId } from "../src/types";
import { devQuestions, generatedQuestions } from "./lib/questions";
import { summarize, timed } from "./lib/stats";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "10000" },
    dimensions: { type: "string", default: "1024,256" },
    shards: { type: "string", default: "1,2" },
    M: { type: "string", default: "16" },
    efc: { type: "string", default: "200" },
    ef: { type: "string", default: "64,128,256,512" },
    questions: { type: "string", default: "300" },
  },
});
const list = (text: string) => text.split(",").map(Number);

const real = (await loadCorpusDir("corpus")).corpus;
const corpus = buildCorpus(synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: Number(args.size), seed: 42 })).corpus;
const texts = corpus.passages.map((p) => p.text);
const questions = [...devQuestions(), ...generatedQuestions(corpus, Number(args.questions), 7)];
const analyzer = createDefaultAnalyzer();
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const recall = (found: ScoredId[][], truth: ScoredId[][]) =>
  round(found.reduce((sum, hits, i) => sum + hits.filter((h) => truth[i].some((t) => t.id === h.id)).length / Math.max(1, truth[i].length), 0) / Math.max(1, found.length));

for (const dimension of list(args.dimensions)) {
  const idf = await timed(() => createHashingEmbedder({ terms: (t) => analyzer.analyze(t), words: (t) => analyzer.words(t), corpus: texts, dimension }));
  const embedder = idf.value;
  const embed = await timed(async () => {
    const flat = new Float32Array(new SharedArrayBuffer(texts.length * dimension * 4));
    for (let i = 0; i < texts.length; i += 64) (await embedder.embed(texts.slice(i, i + 64), "passage")).forEach((row, j) => flat.set(row, (i + j) * dimension));
    return flat;
  });
  const vectors = embed.value;
  const exact = createExactIndex(dimension, vectors);
  const queries = (await embedder.embed(questions, "query")).filter((v) => v.some((x) => x !== 0));
  const truth10 = queries.map((q) => exact.search(q, 10));
  const truth50 = queries.map((q) => exact.search(q, 50));
  for (const shards of list(args.shards)) {
    const dir = mkdtempSync(join(tmpdir(), "hnsw-shards-"));
    const paths = Array.from({ length: shards }, (_, s) => join(dir, `index-${s}.hnsw`));
    // CPU time counts every thread of the process: with other work on the machine, wall time alone misleads.
    const cpuBefore = process.cpuUsage();
    const insert = await timed(() => buildHnswShards({ vectors, dimension, M: Number(args.M), efConstruction: Number(args.efc), paths }));
    const insertCpu = process.cpuUsage(cpuBefore);
    const load = await timed(() => loadHnswShards(paths, { dimension }));
    const index = load.value;
    const curve = list(args.ef).map((efSearch) => {
      index.setEfSearch(efSearch);
      const times: number[] = [];
      const found10 = queries.map((q) => {
        const start = performance.now();
        const hits = index.search(q, 10);
        times.push(performance.now() - start);
        return hits;
      });
      const found50 = queries.map((q) => index.search(q, 50));
      return { efSearch, recallAt10: recall(found10, truth10), recallAt50: recall(found50, truth50), p50Ms: summarize(times).p50, p95Ms: summarize(times).p95 };
    });
    rmSync(dir, { recursive: true, force: true });
    console.log(JSON.stringify({
      size: texts.length, dimension, shards, M: Number(args.M), efConstruction: Number(args.efc),
      idfMs: Math.round(idf.ms), embedMs: Math.round(embed.ms), insertMs: Math.round(insert.ms), insertCpuMs: Math.round((insertCpu.user + insertCpu.system) / 1000), loadMs: Math.round(load.ms),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), curve,
    }));
  }
}
