// CPU profile of one phase, so the hot path of a missed target can be found without DevTools:
//   tsx bench/profile.ts --size 10000 --phase query   (or --phase build)
// Builds the corpus and pipeline (HNSW with the default settings), profiles only the
// chosen phase with the inspector, writes bench/results/tmp/<phase>-<size>.cpuprofile and prints
// the functions with the most self time.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createBm25Index } from "../src/index/bm25";
import { createHnswIndex } from "../src/index/hnsw";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../src/pipeline";
import { topSelfTime, type Profile } from "./lib/cpu-profile";
import { devQuestions, generatedQuestions } from "./lib/questions";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({
  options: { size: { type: "string", default: "10000" }, phase: { type: "string", default: "query" }, top: { type: "string", default: "30" } },
});

const real = (await loadCorpusDir("corpus")).corpus;
const corpus = args.size === "real" ? real : buildCorpus(synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: Number(args.size) })).corpus;
const texts = corpus.passages.map((p) => p.text);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
const profileWhile = async (work: () => Promise<unknown>) => {
  await session.post("Profiler.start");
  await work();
  return (await session.post("Profiler.stop")).profile;
};

const analyzer = createDefaultAnalyzer();
let profile;
if (args.phase === "build") {
  profile = await profileWhile(async () => {
    const embedder = createBuiltInEmbedder(corpus, analyzer);
    await embedder.embed(texts, "passage");
    createBm25Index(texts.map((t) => analyzer.analyze(t)));
  });
} else {
  const embedder = createBuiltInEmbedder(corpus, analyzer);
  const vectorIndex = createHnswIndex({ dimension: embedder.dimension, capacity: texts.length });
  vectorIndex.add(await embedder.embed(texts, "passage"));
  const { engine } = createPipeline({ corpus, embedder, vectorIndex, analyzer });
  for (const question of [...generatedQuestions(corpus, 30, 99), "What did the security council approve?"]) await engine.answer({ question, topK: 5, history: [] });
  const questions = [...devQuestions(), ...generatedQuestions(corpus, 300, 7)];
  profile = await profileWhile(async () => {
    for (const question of questions) await engine.answer({ question, topK: 5, history: [] });
  });
}
mkdirSync("bench/results/tmp", { recursive: true });
const file = join("bench/results/tmp", `${args.phase}-${args.size}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));
for (const row of topSelfTime(profile as unknown as Profile, Number(args.top))) {
  console.log(`${String(row.ms).padStart(7)} ms ${String(row.share).padStart(5)}%  ${row.name}`);
}
console.log(`profile: ${file}`);
