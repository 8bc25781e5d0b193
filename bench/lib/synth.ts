// Deterministic synthetic Arabic corpora of a chosen passage count, made by recombining the real
// corpus: sentences keep the shape of real ones (stop words, punctuation, numbers), and some of
// their words are swapped for words drawn from a Zipf-distributed lexicon. The lexicon is the
// real words plus blends of two real words (prefix of one, suffix of the other), and it grows
// with the corpus (Heaps' law), so postings lists and vocabulary scale the way real text does.
import type { TextCorpusFile } from "../../src/corpus/build";
import { DEFAULT_PASSAGE_OPTIONS } from "../../src/corpus/passages";
import { mulberry32, pick, randomInt, zipfRank } from "./random";

export interface SynthOptions {
  /** Real sentences to recombine. */
  sentences: string[];
  passages: number;
  seed?: number;
  /** Share of a template's words replaced by lexicon words (default 0.4). */
  replaceRate?: number;
  paragraphsPerDocument?: [number, number];
}

const ARABIC_WORD = /^[\u0621-\u064a]{2,}$/;
// Sentence-ending marks, quotes and brackets are removed inside generated sentences so each ends
// exactly where we say (a slice of a template can open a quote it never closes, which joins sentences).
const SENTENCE_MARKS = /[.!?؟…"“”«»()[\]{}]/g;
const EDGE_PUNCTUATION = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u;

/** Passages a paragraph of n sentences yields (buildPassages: windows of 3, stride 2). */
export function passagesInParagraph(sentences: number, { windowSize, stride } = DEFAULT_PASSAGE_OPTIONS): number {
  return sentences <= windowSize ? 1 : 1 + Math.ceil((sentences - windowSize) / stride);
}

export function realWords(sentences: string[]): string[] {
  const counts = new Map<string, number>();
  for (const sentence of sentences) {
    for (const token of sentence.split(/\s+/)) {
      const word = token.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
      if (ARABIC_WORD.test(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
}

/** Lexicon size for a corpus of about `tokens` words: Heaps' law V = 40·√tokens, never below the real vocabulary. */
export function lexiconSize(tokens: number, real: number): number {
  return Math.max(real, Math.round(40 * Math.sqrt(tokens)));
}

function createLexicon(real: string[], size: number): string[] {
  const words = real.slice(0, size);
  const random = mulberry32(0x1ec5);
  while (words.length < size) {
    const a = pick(random, real);
    const b = pick(random, real);
    const cutA = randomInt(random, 2, Math.max(2, a.length - 1));
    const cutB = randomInt(random, 1, Math.max(1, b.length - 2));
    words.push(a.slice(0, cutA) + b.slice(cutB));
  }
  return words;
}

export function synthesizeCorpus(options: SynthOptions): TextCorpusFile[] {
  const { sentences, passages, seed = 42, replaceRate = 0.4, paragraphsPerDocument = [20, 60] } = options;
  const random = mulberry32(seed);
  const templates = sentences.map((s) => s.replace(SENTENCE_MARKS, "").split(/\s+/).filter(Boolean)).filter((t) => t.length >= 4);
  const real = realWords(sentences);
  const averageWords = templates.reduce((n, t) => n + t.length, 0) / templates.length;
  // ~2 sentences per passage on average (window 3, stride 2).
  const lexicon = createLexicon(real, lexiconSize(passages * 2 * averageWords, real.length));

  const sentence = (): string => {
    const template = pick(random, templates);
    const length = randomInt(random, Math.min(8, template.length), template.length);
    const from = randomInt(random, 0, template.length - length);
    const words = template.slice(from, from + length).map((token) => {
      if (random() >= replaceRate) return token;
      // Keep the token's punctuation (quotes, commas) around the new word.
      const [, before, , after] = token.match(EDGE_PUNCTUATION) ?? ["", "", token, ""];
      return before + lexicon[zipfRank(random, lexicon.length)] + after;
    });
    return `${words.join(" ").replace(/[،,:;]+$/, "")}${random() < 0.1 ? "؟" : "."}`;
  };

  const files: TextCorpusFile[] = [];
  let remaining = passages;
  while (remaining > 0) {
    const paragraphs: string[] = [];
    const count = randomInt(random, paragraphsPerDocument[0], paragraphsPerDocument[1]);
    while (paragraphs.length < count && remaining > 0) {
      let size = randomInt(random, 1, 7);
      while (passagesInParagraph(size) > remaining) size--;
      remaining -= passagesInParagraph(size);
      paragraphs.push(Array.from({ length: size }, sentence).join(" "));
    }
    const name = `synthetic-${String(files.length).padStart(6, "0")}.txt`;
    files.push({ name, bytes: new TextEncoder().encode(paragraphs.join("\n") + "\n"), meta: { title: name, language: "ar" } });
  }
  return files;
}
