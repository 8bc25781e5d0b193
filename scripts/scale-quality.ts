// Retrieval quality as the corpus grows, where the question sets cannot reach: on the bench's
// synthetic corpora (bench/lib/synth.ts), questions made of a run of 4–8 consecutive words of a
// corpus sentence behind an interrogative. A hit is a citation whose text holds that run (a
// sentence repeated elsewhere counts too). Variants read more or fewer of each list's first
// passages besides the fused top (rerankFirstOfEach), side by side on the same corpus and questions:
//   npx tsx scripts/scale-quality.ts --size 10000 [--questions 300]
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createExactIndex } from "../src/index/exact";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../src/pipeline";
import { mulberry32, pick, randomInt } from "../bench/lib/random";
import { synthesizeCorpus } from "../bench/lib/synth";

const { values: args } = parseArgs({ options: { size: { type: "string", default: "10000" }, questions: { type: "string", default: "300" }, seed: { type: "string", default: "123" } } });
const real = (await loadCorpusDir("corpus")).corpus;
const corpus = buildCorpus(synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: Number(args.size) })).corpus;
const analyzer = createDefaultAnalyzer();
const embedder = createBuiltInEmbedder(corpus, analyzer);
const vectorIndex = createExactIndex(embedder.dimension, await embedder.embed(corpus.passages.map((p) => p.text), "passage"));

const words = (text: string) => text.replace(/[^\p{L}\p{N}\s]/gu, " ").split(/\s+/).filter(Boolean);
const random = mulberry32(Number(args.seed));
const questions: { question: string; run: string }[] = [];
while (questions.length < Number(args.questions)) {
  const sentence = words(pick(random, corpus.sentences).text);
  if (sentence.length < 4) continue;
  const length = randomInt(random, 4, Math.min(8, sentence.length));
  const from = randomInt(random, 0, sentence.length - length);
  const run = sentence.slice(from, from + length).join(" ");
  questions.push({ question: `${pick(random, ["ما", "متى", "أين", "كيف", "هل", "من"])} ${run}؟`, run });
}

const variants = [
  { name: "fused top 8 only", retriever: { rerankFirstOfEach: 0 } },
  { name: "+ first of each list", retriever: { rerankFirstOfEach: 1 } },
  { name: "+ first 2 of each (default)", retriever: {} },
  { name: "+ first 4 of each", retriever: { rerankFirstOfEach: 4 } },
  { name: "fused top 16 only", retriever: { rerankFirstOfEach: 0, rerankPassages: 16 } },
];
console.log(`${corpus.passages.length} passages, ${questions.length} questions`);
for (const variant of variants) {
  const { engine } = createPipeline({ corpus, embedder, vectorIndex, analyzer, retriever: variant.retriever });
  let hit1 = 0;
  let hit3 = 0;
  for (const { question, run } of questions) {
    const answer = await engine.answer({ question, topK: 5, history: [] });
    const holds = answer.citations.map((c) => words(c.text).join(" ").includes(run));
    if (holds[0]) hit1++;
    if (holds.slice(0, 3).some(Boolean)) hit3++;
  }
  console.log(`${variant.name.padEnd(30)} hit@1 ${(hit1 / questions.length).toFixed(3)}  any of 3 citations ${(hit3 / questions.length).toFixed(3)}`);
}
