// A dependency-free embedder: signed feature hashing of word terms and character
// n-grams, IDF-weighted. Plain TypeScript so it runs unchanged in a Cloudflare Worker.
// Word terms carry exact lexical matches; n-grams make spelling variants
// (أ/ا, ة/ه, a missing letter) land near each other.
import { createError } from "../errors";
import type { Embedder } from "../types";

export interface HashingEmbedderOptions {
  /** Normalized, stemmed word terms (the injected analyzer). */
  terms: (text: string) => string[];
  /** Normalized words to take character n-grams from; default: `terms`. */
  words?: (text: string) => string[];
  /** Vector length; default 256 (as good as 1024 on the eval sets, 4× cheaper to store, compare and index). */
  dimension?: number;
  /** Character n-gram lengths [min, max] on each word padded with boundary markers; default [3, 5]. */
  ngrams?: [number, number];
  /** Weight of the n-gram part relative to the word part (each part is normalized first); default 1. */
  ngramWeight?: number;
  /** Texts to learn IDF from (the passages); without it every feature weighs 1. */
  corpus?: string[];
}

const VERSION = "v1";
const DEFAULTS = { dimension: 256, ngrams: [3, 5] as [number, number], ngramWeight: 1 };

// Different seeds keep a word feature and an identical-looking n-gram feature apart.
const WORD_SEED = 0x811c9dc5;
const NGRAM_SEED = 0x9747b28c;

const fnvStep = (hash: number, codeUnit: number) => Math.imul(hash ^ codeUnit, 0x01000193);

/** murmur3's finalizer: FNV-1a alone mixes poorly, and the bucket comes from the low bits, the sign from the top bit. */
function finalize(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** 32-bit hash of the UTF-16 code units text[start, end): FNV-1a, finalized. */
function hashRange(text: string, start: number, end: number, seed: number): number {
  let hash = seed;
  for (let i = start; i < end; i++) hash = fnvStep(hash, text.charCodeAt(i));
  return finalize(hash);
}

/**
 * A text's feature hashes, sorted so repeats sit together (a run's length is the term frequency).
 * Sorting a typed array is several times faster than counting in a Map, and this is the hot path.
 */
type Features = Uint32Array;

function wordFeatures(terms: string[]): Features {
  const hashes = new Uint32Array(terms.length);
  let size = 0;
  for (const term of terms) if (term.length > 0) hashes[size++] = hashRange(term, 0, term.length, WORD_SEED);
  return hashes.subarray(0, size).sort();
}

function ngramFeatures(words: string[], [minLength, maxLength]: [number, number]): Features {
  let capacity = 0;
  for (const word of words) capacity += (maxLength - minLength + 1) * (word.length + 2);
  const hashes = new Uint32Array(capacity);
  let size = 0;
  for (const word of words) {
    if (word.length === 0) continue;
    // Boundary markers let prefixes and suffixes (ال…, …ة) count as their own features.
    const padded = `<${word}>`;
    // FNV-1a extends a prefix's hash by one character, so every length from one start costs one pass.
    for (let start = 0; start + minLength <= padded.length; start++) {
      let hash = NGRAM_SEED;
      const end = Math.min(start + maxLength, padded.length);
      for (let i = start; i < end; i++) {
        hash = fnvStep(hash, padded.charCodeAt(i));
        if (i + 1 - start >= minLength) hashes[size++] = finalize(hash);
      }
    }
  }
  return hashes.subarray(0, size).sort();
}

/** Calls `visit(feature, frequency)` once per distinct feature. */
function forEachRun(features: Features, visit: (feature: number, frequency: number) => void): void {
  let start = 0;
  for (let i = 1; i <= features.length; i++) {
    if (i === features.length || features[i] !== features[start]) {
      visit(features[start], i - start);
      start = i;
    }
  }
}

type Idf = (feature: number) => number;

/**
 * Feature hash → number, open addressing in typed arrays. A Map<number, number> boxes every key
 * above 2^30 (half of all uint32 hashes), which made IDF lookups a third of embedding time.
 * The hashes are already well mixed, so their low bits index the table directly.
 */
class FeatureTable {
  private keys = new Uint32Array(1024);
  private values = new Float64Array(1024);
  private used = new Uint8Array(1024);
  private count = 0;

  /** The slot holding `key`, or the empty slot where it belongs. */
  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let i = key & mask;
    while (this.used[i] === 1 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  get(key: number): number | undefined {
    const i = this.slot(key);
    return this.used[i] === 1 ? this.values[i] : undefined;
  }

  add(key: number, delta: number): void {
    const i = this.slot(key);
    if (this.used[i] === 1) {
      this.values[i] += delta;
      return;
    }
    this.keys[i] = key;
    this.values[i] = delta;
    this.used[i] = 1;
    // Kept at most half full, so probe runs stay short.
    if (++this.count * 2 > this.keys.length) this.grow();
  }

  /** Replaces every value v with f(v). */
  mapValues(f: (value: number) => number): void {
    for (let i = 0; i < this.keys.length; i++) if (this.used[i] === 1) this.values[i] = f(this.values[i]);
  }

  private grow(): void {
    const { keys, values, used } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Float64Array(keys.length * 2);
    this.used = new Uint8Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (used[i] === 0) continue;
      const j = this.slot(keys[i]);
      this.keys[j] = keys[i];
      this.values[j] = values[i];
      this.used[j] = 1;
    }
  }
}

/**
 * Smoothed IDF per feature hash, learned one document at a time (only the counts are kept, not
 * every document's features, which at 100k passages were hundreds of MB); unseen features get the largest value.
 */
function createIdfLearner() {
  const table = new FeatureTable();
  let total = 0;
  return {
    add(features: Features): void {
      forEachRun(features, (feature) => table.add(feature, 1));
      total++;
    },
    idf(): Idf {
      table.mapValues((frequency) => Math.log((total + 1) / (frequency + 1)) + 1);
      const unseen = Math.log(total + 1) + 1;
      return (feature) => table.get(feature) ?? unseen;
    },
  };
}

/** Adds the L2-normalized, signed, sublinear-tf × IDF vector of `features`, scaled by `weight`, into `into`. */
function addNormalized(into: Float64Array, part: Float64Array, features: Features, idf: Idf, weight: number): void {
  const dimension = into.length;
  part.fill(0);
  forEachRun(features, (feature, frequency) => {
    const sign = feature >>> 31 === 1 ? -1 : 1;
    part[feature % dimension] += sign * (1 + Math.log(frequency)) * idf(feature);
  });
  let sumOfSquares = 0;
  for (let i = 0; i < dimension; i++) sumOfSquares += part[i] * part[i];
  if (sumOfSquares === 0) return;
  const scale = weight / Math.sqrt(sumOfSquares);
  for (let i = 0; i < dimension; i++) into[i] += part[i] * scale;
}

function normalized(vector: Float64Array): Float32Array {
  let sumOfSquares = 0;
  for (let i = 0; i < vector.length; i++) sumOfSquares += vector[i] * vector[i];
  const result = new Float32Array(vector.length);
  if (sumOfSquares === 0) return result; // no features: a zero vector rather than NaNs
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < vector.length; i++) result[i] = vector[i] * scale;
  return result;
}

function validate(dimension: number, [minLength, maxLength]: [number, number], ngramWeight: number): void {
  if (!Number.isInteger(dimension) || dimension < 1) throw createError("INVALID_CONFIG", "dimension", String(dimension), "a positive integer");
  if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 1 || maxLength < minLength) {
    throw createError("INVALID_CONFIG", "ngrams", `${minLength},${maxLength}`, "two integers 1 <= min <= max");
  }
  if (!(ngramWeight >= 0) || !Number.isFinite(ngramWeight)) throw createError("INVALID_CONFIG", "ngramWeight", String(ngramWeight), "a finite number >= 0");
}

/** A 32-bit hash of the whole corpus in hex, so an embedder that learned different IDF weights gets a different id. */
function corpusFingerprint(corpus: string[]): string {
  let hash = WORD_SEED;
  for (const text of corpus) hash = hashRange(text, 0, text.length, hash ^ text.length);
  return hash.toString(16).padStart(8, "0");
}

export function createHashingEmbedder(options: HashingEmbedderOptions): Embedder {
  const { terms, corpus } = options;
  const words = options.words ?? terms;
  // `??` rather than spreading, so an explicit `undefined` from a config file still gets the default.
  const dimension = options.dimension ?? DEFAULTS.dimension;
  const ngrams = options.ngrams ?? DEFAULTS.ngrams;
  const ngramWeight = options.ngramWeight ?? DEFAULTS.ngramWeight;
  validate(dimension, ngrams, ngramWeight);

  const noFeatures: Features = new Uint32Array(0);
  const featuresOf = (text: string) => ({
    words: wordFeatures(terms(text)),
    ngrams: ngramWeight > 0 ? ngramFeatures(words(text), ngrams) : noFeatures,
  });

  let wordIdf: Idf = () => 1;
  let ngramIdf: Idf = () => 1;
  if (corpus && corpus.length > 0) {
    const wordLearner = createIdfLearner();
    const ngramLearner = createIdfLearner();
    for (const text of corpus) {
      const features = featuresOf(text);
      wordLearner.add(features.words);
      ngramLearner.add(features.ngrams);
    }
    wordIdf = wordLearner.idf();
    ngramIdf = ngramLearner.idf();
  }

  // Reused across calls: embedding is synchronous, so no two calls ever share them at once.
  const vector = new Float64Array(dimension);
  const scratch = new Float64Array(dimension);
  const embedOne = (text: string): Float32Array => {
    const features = featuresOf(text);
    vector.fill(0);
    addNormalized(vector, scratch, features.words, wordIdf, 1);
    if (ngramWeight > 0) addNormalized(vector, scratch, features.ngrams, ngramIdf, ngramWeight);
    return normalized(vector);
  };

  const idfTag = corpus && corpus.length > 0 ? `-idf${corpusFingerprint(corpus)}` : "";
  return {
    id: `hashing-${VERSION}-d${dimension}-n${ngrams[0]}-${ngrams[1]}-g${ngramWeight}${idfTag}`,
    dimension,
    // Queries and passages share one space here, so `kind` does not matter.
    embed: async (texts) => texts.map(embedOne),
  };
}
