// A cross-lingual bridge made from the model itself (bilingual lexicon induction from a
// multilingual encoder): the corpus's Arabic vocabulary (word types and frequent two-word phrases)
// is embedded once with the index, a question's content words in another language are embedded the
// same way, and each one's nearest Arabic entries above a similarity floor join its term group at a
// weight below its own (retrieve/query.ts). It plays the part of the optional GPL dictionaries
// (npm run lexicons) with nothing but the model; the floor, depth and weight were chosen on the fit
// half of XQuAD dev (scripts/tune-bridge.ts, docs/quality-bridge.md).
import { createExactIndex } from "../index/exact";
import { createLruCache } from "../lru";
import type { VectorIndex } from "../types";
/** One Arabic vocabulary entry a foreign word is bridged to, with the cosine of their vectors. */
export interface BridgedEntry {
  text: string;
  similarity: number;
}

export interface VocabularyOptions {
  /** Content terms of a word (the analyzer's); empty for stop words, which stay out of the vocabulary. */
  termsOf: (word: string) => readonly string[];
  /** A two-word phrase joins the vocabulary when it occurs at least this often. */
  minPhraseCount?: number;
  /** At most this many entries (words first, the most frequent first), so a huge corpus stays bounded. */
  maxEntries?: number;
}

// Arabic letters, read once tashkeel and tatweel are taken out (عمّان is one word, عمان).
const ARABIC_WORD = /[\u0621-\u063A\u0641-\u064A\u0671-\u06D3]{2,}/g;
const TASHKEEL_AND_TATWEEL = /[\u0640\u064B-\u065F\u0670]/g;
// A phrase is two words standing together: a sentence break or punctuation between them ends it.
const PHRASE_BREAK = /[.!?؟،,;؛:()«»"\n]/;

/** The Arabic vocabulary to bridge to: distinct content words, then two-word phrases that recur, most frequent first. */
export function bridgeVocabulary(texts: readonly string[], options: VocabularyOptions): string[] {
  const { termsOf, minPhraseCount = 2, maxEntries = 60_000 } = options;
  const wordCounts = new Map<string, number>();
  const phraseCounts = new Map<string, number>();
  for (const text of texts) {
    for (const chunk of text.replace(TASHKEEL_AND_TATWEEL, "").split(PHRASE_BREAK)) {
      let previous: string | undefined;
      for (const [word] of chunk.matchAll(ARABIC_WORD)) {
        const content = termsOf(word).length > 0;
        if (content) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
        if (content && previous) phraseCounts.set(`${previous} ${word}`, (phraseCounts.get(`${previous} ${word}`) ?? 0) + 1);
        previous = content ? word : undefined;
      }
    }
  }
  const byCount = (counts: Map<string, number>) => [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([entry]) => entry);
  const phrases = byCount(new Map([...phraseCounts].filter(([, n]) => n >= minPhraseCount)));
  return [...byCount(wordCounts), ...phrases].slice(0, maxEntries);
}

export interface BridgeOptions {
  /** The vocabulary (bridgeVocabulary) and its vectors from the model, entries × dimension, row-major. */
  entries: readonly string[];
  vectors: Float32Array;
  dimension: number;
  /**
   * The model, embedding words the way the entries were embedded: both as queries, which set a
   * word apart from its neighbours better than as passages (Egypt / مصر 0.917 against Egypt /
   * الجزائر 0.862; as passages 0.869 / 0.841).
   */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  /** Entries below this cosine to the word are not bridged to. */
  floor?: number;
  /** At most this many entries per word. */
  depth?: number;
  /**
   * A nearest-neighbour index over `vectors` (ids = entry positions): on Node an HNSW graph
   * (index/hnsw.ts), as an exact scan costs ~3 ms per word per 10k entries; exact search by default.
   */
  index?: Pick<VectorIndex, "search">;
  /** Entries that fall to the same key (their content terms) count once: clitic variants of one word are not several translations. */
  keyOf?: (entry: string) => string;
}

export interface Bridge {
  /** Each of the words (those not in Arabic script) with its nearest Arabic entries; embeds the words it has not seen. */
  (words: readonly string[]): Promise<Map<string, BridgedEntry[]>>;
  /**
   * The words a call would embed: the caller may embed them together with the question, in the
   * same forward pass of the model (as queries, as `embed` does), and hand the vectors to `learn`.
   */
  unknown(words: readonly string[]): string[];
  /** Takes the vectors of words `unknown` named, so that the call embeds nothing. */
  learn(words: readonly string[], vectors: readonly Float32Array[]): void;
}

export function createBridge(options: BridgeOptions): Bridge {
  const { entries, vectors, dimension, embed, floor = 0.88, depth = 3, keyOf = (entry) => entry } = options;
  if (vectors.length !== entries.length * dimension) throw new Error(`bridge: ${vectors.length} floats for ${entries.length} entries × ${dimension}`);
  // More than `depth` are taken, so that clitic variants of one word, which fall to one key, still
  // leave `depth` distinct entries.
  const index = options.index ?? createExactIndex(dimension, vectors);
  const reach = depth * 4;
  // A word's entries, kept for the words questions ask most: each costs the model a forward pass.
  const known = createLruCache<string, BridgedEntry[]>(5000);

  function nearest(vector: Float32Array): BridgedEntry[] {
    const keys = new Set<string>();
    const found: BridgedEntry[] = [];
    for (const { id, score } of index.search(vector, reach)) {
      if (score < floor) break;
      const key = keyOf(entries[id]);
      if (keys.has(key)) continue;
      keys.add(key);
      found.push({ text: entries[id], similarity: score });
      if (found.length === depth) break;
    }
    return found;
  }

  const bridgeable = (words: readonly string[]) =>
    entries.length === 0 ? [] : [...new Set(words)].filter((word) => /\p{L}/u.test(word) && !/\p{Script=Arabic}/u.test(word));
  const unknown = (words: readonly string[]) => bridgeable(words).filter((word) => known.get(word) === undefined);
  const learn = (words: readonly string[], vectors: readonly Float32Array[]) => {
    if (vectors.length !== words.length) throw new Error(`bridge: ${vectors.length} vectors for ${words.length} words`);
    words.forEach((word, i) => known.set(word, nearest(vectors[i])));
  };
  async function bridge(words: readonly string[]) {
    const distinct = bridgeable(words);
    if (distinct.length === 0) return new Map<string, BridgedEntry[]>();
    const fresh = unknown(distinct);
    if (fresh.length > 0) learn(fresh, await embed(fresh));
    return new Map(distinct.map((word) => [word, known.get(word) ?? []]));
  }
  return Object.assign(bridge, { unknown, learn });
}
