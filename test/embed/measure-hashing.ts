// Measures the hashing embedder: throughput, cosine distortion from collisions, and
// retrieval on the dev questions, for each dimension / n-gram setting.
// Run: npx tsx test/embed/measure-hashing.ts [corpus.txt] [dev.jsonl] [--throughput-only]
// Uses a crude stand-in analyzer (not src/text), so absolute retrieval numbers are a floor.
import { readFileSync } from "node:fs";
import { createHashingEmbedder, type HashingEmbedderOptions } from "../../src/embed/hashing";

const [corpusPath = "corpus/000_c1add9699fc6f4ec.txt", devPath = "../shared/eval/dev.jsonl"] = process.argv.slice(2).filter((a) => !a.startsWith("--"));

const STOP = new Set(["في", "من", "على", "الى", "عن", "ما", "هو", "هي", "ان", "او", "مع", "هذا", "هذه", "التي", "الذي", "متى", "اين", "اي", "ماذا", "هل", "تم"]);
const normalizeArabic = (text: string) =>
  text.toLowerCase().replace(/[\u064B-\u0652\u0640]/g, "").replace(/[أإآ]/g, "ا").replace(/ة/g, "ه").replace(/ى/g, "ي");
const words = (text: string) => normalizeArabic(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0 && !STOP.has(w));
const terms = (text: string) => words(text).map((w) => (w.length > 4 ? w.replace(/^(وال|بال|كال|فال|لل|ال|و)/, "") : w));

const text = readFileSync(corpusPath, "utf8");
const sentences = text.split("\n").flatMap((p) => p.split(/(?<=[.!?؟])\s+/)).map((s) => s.trim()).filter((s) => s.length > 0);
const dev = readFileSync(devPath, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; kind: string; question: string; gold: string[] });
const answerable = dev.filter((q) => q.gold.length > 0 && q.kind !== "crosslingual");

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);

async function retrieval(options: Omit<HashingEmbedderOptions, "terms" | "corpus">) {
  const embedder = createHashingEmbedder({ terms, words, corpus: sentences, ...options });
  const passages = await embedder.embed(sentences, "passage");
  let hit1 = 0, reciprocal = 0;
  for (const q of answerable) {
    const [query] = await embedder.embed([q.question], "query");
    const ranked = passages.map((p, i) => ({ i, score: dot(query, p) })).sort((a, b) => b.score - a.score);
    const rank = ranked.findIndex(({ i }) => q.gold.some((g) => sentences[i].includes(g.slice(0, 30)) || g.includes(sentences[i].slice(0, 30))));
    if (rank === 0) hit1++;
    if (rank >= 0) reciprocal += 1 / (rank + 1);
  }
  return { hit1: hit1 / answerable.length, mrr: reciprocal / answerable.length };
}

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A typo a normalizer cannot undo: a dropped letter, two letters swapped, or a clitic added. */
function misspell(word: string, next: () => number): string {
  const at = 1 + Math.floor(next() * Math.max(1, word.length - 2));
  const choice = next();
  if (word.length < 4) return word;
  if (choice < 0.4) return word.slice(0, at) + word.slice(at + 1);
  if (choice < 0.7) return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return (next() < 0.5 ? "و" : "ب") + word;
}

/** hit@1 of queries made of 4 random words of a sentence, each misspelled with probability `noise`. */
async function syntheticRetrieval(options: Omit<HashingEmbedderOptions, "terms" | "corpus">, noise: number) {
  const embedder = createHashingEmbedder({ terms, words, corpus: sentences, ...options });
  const passages = await embedder.embed(sentences, "passage");
  let hits = 0, total = 0;
  for (let seed = 1; seed <= 15; seed++) {
    const next = random(seed * 7919);
    for (let target = 0; target < sentences.length; target++) {
      const pool = words(sentences[target]);
      const picked = Array.from({ length: 4 }, () => pool[Math.floor(next() * pool.length)]);
      const query = picked.map((w) => (next() < noise ? misspell(w, next) : w)).join(" ");
      const [vector] = await embedder.embed([query], "query");
      const best = passages.reduce((bestIndex, p, i) => (dot(vector, p) > dot(vector, passages[bestIndex]) ? i : bestIndex), 0);
      if (best === target) hits++;
      total++;
    }
  }
  return hits / total;
}

/** Mean |cos_d - cos_exact| over all sentence pairs, with a 2^20-bucket embedder as the near-collision-free reference. */
async function distortion(options: Omit<HashingEmbedderOptions, "terms" | "corpus">) {
  const exact = await createHashingEmbedder({ terms, words, corpus: sentences, ...options, dimension: 1 << 20 }).embed(sentences, "passage");
  const hashed = await createHashingEmbedder({ terms, words, corpus: sentences, ...options }).embed(sentences, "passage");
  let total = 0, pairs = 0;
  for (let i = 0; i < sentences.length; i++) for (let j = i + 1; j < sentences.length; j++) {
    total += Math.abs(dot(hashed[i], hashed[j]) - dot(exact[i], exact[j]));
    pairs++;
  }
  return total / pairs;
}

/** Passages per second, best of 5 runs (other processes share the machine), including the stand-in analyzer. */
async function throughput(options: Omit<HashingEmbedderOptions, "terms" | "corpus">, texts: string[]) {
  const embedder = createHashingEmbedder({ terms, words, corpus: sentences, ...options });
  const batch = Array.from({ length: 5000 }, (_, i) => texts[i % texts.length]);
  await embedder.embed(batch.slice(0, 1000), "passage"); // warm up the JIT
  let best = 0;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    await embedder.embed(batch, "passage");
    best = Math.max(best, batch.length / ((performance.now() - start) / 1000));
  }
  return best;
}

const averageLength = Math.round(sentences.reduce((sum, s) => sum + s.length, 0) / sentences.length);
console.log(`${sentences.length} sentences (avg ${averageLength} chars), ${answerable.length} Arabic answerable dev questions`);
// "Short" passages: the first 100 characters of each sentence, cut at a word boundary.
const short = sentences.map((s) => s.slice(0, s.indexOf(" ", 100) > 0 ? s.indexOf(" ", 100) : s.length));
for (const dimension of [512, 1024, 2048]) {
  for (const ngrams of [[3, 4], [3, 5]] as Array<[number, number]>) {
    const [sentenceRate, shortRate] = [await throughput({ dimension, ngrams }, sentences), await throughput({ dimension, ngrams }, short)];
    console.log(`throughput d${dimension} n${ngrams.join("-")}: ${Math.round(sentenceRate)}/s for ${averageLength}-char sentences, ${Math.round(shortRate)}/s for ~100-char passages`);
  }
}
if (process.argv.includes("--throughput-only")) process.exit(0);

const settings: Array<Omit<HashingEmbedderOptions, "terms" | "corpus">> = [
  { dimension: 512 }, { dimension: 1024 }, { dimension: 2048 },
  { ngrams: [2, 4] }, { ngrams: [3, 4] }, { ngrams: [3, 6] },
  { ngramWeight: 0 }, { ngramWeight: 0.5 }, { ngramWeight: 2 },
];
for (const setting of settings) {
  const { hit1, mrr } = await retrieval(setting);
  const [clean, noisy] = [await syntheticRetrieval(setting, 0), await syntheticRetrieval(setting, 0.5)];
  const error = await distortion(setting);
  console.log(
    `${JSON.stringify(setting).padEnd(42)} dev hit@1 ${hit1.toFixed(2)} MRR ${mrr.toFixed(3)} | synthetic hit@1 clean ${clean.toFixed(3)} typos ${noisy.toFixed(3)} | cos error ${error.toFixed(4)}`,
  );
}
