// The fixed question set: the dev questions plus questions made from corpus sentences
// (a run of their words behind an interrogative), drawn with a seed so every run asks the same.
import { readFileSync } from "node:fs";
import type { Corpus } from "../../src/types";
import { mulberry32, pick, randomInt } from "./random";

const INTERROGATIVES = ["ما", "متى", "أين", "كيف", "لماذا", "هل", "من"];

export function devQuestions(path = "/work/shared/eval/dev.jsonl"): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return []; // the shared eval set is optional outside this machine
  }
  return text.split("\n").filter((l) => l.trim()).map((l) => (JSON.parse(l) as { question: string }).question);
}

export function generatedQuestions(corpus: Corpus, count: number, seed = 7): string[] {
  const random = mulberry32(seed);
  const questions: string[] = [];
  while (questions.length < count && corpus.sentences.length > 0) {
    const words = pick(random, corpus.sentences).text.replace(/[^\p{L}\p{N}\s]/gu, " ").split(/\s+/).filter(Boolean);
    if (words.length < 3) continue;
    const length = randomInt(random, 3, Math.min(8, words.length));
    const from = randomInt(random, 0, words.length - length);
    questions.push(`${pick(random, INTERROGATIVES)} ${words.slice(from, from + length).join(" ")}؟`);
  }
  return questions;
}
