// Okapi BM25 over already-analysed passages. Postings live in flat typed arrays
// (compressed-sparse-row: one run of passage ids per term), and each posting stores its
// precomputed term-frequency factor, so a query costs one multiply-add per posting.
import type { LexicalIndex, ScoredId } from "../types";
import { TopK } from "./topk";

export interface Bm25Options {
  /** Term-frequency saturation: higher lets repeated terms keep adding score. */
  k1?: number;
  /** Length normalisation: 0 ignores passage length, 1 normalises fully. */
  b?: number;
}

export interface Bm25Index extends LexicalIndex {
  /** Number of passages containing the term (0 when unknown). */
  documentFrequency(term: string): number;
  /**
   * ln(1 + (N − df + 0.5)/(df + 0.5)): how informative the term is. An unknown term gets
   * the largest possible value, so check documentFrequency to tell "rare" from "absent".
   */
  idf(term: string): number;
}

const defaults: Required<Bm25Options> = { k1: 1.2, b: 0.75 };

export function createBm25Index(documents: string[][], options: Bm25Options = {}): Bm25Index {
  const { k1, b } = { ...defaults, ...options };
  const passageCount = documents.length;

  // Pass 1: term ids and document frequencies. Each passage's term ids go into one flat stream
  // (a Map per passage cost ~1 KB each, 100 MB at 100k passages, all garbage after the build).
  const termIds = new Map<string, number>();
  const documentFrequencies: number[] = [];
  const lastPassageOf: number[] = [];
  const lengths = new Uint32Array(passageCount);
  let totalLength = 0;
  for (const terms of documents) totalLength += terms.length;
  const stream = new Uint32Array(totalLength);
  const starts = new Uint32Array(passageCount + 1);
  let written = 0;
  documents.forEach((terms, passage) => {
    for (const term of terms) {
      let termId = termIds.get(term);
      if (termId === undefined) {
        termId = documentFrequencies.length;
        termIds.set(term, termId);
        documentFrequencies.push(0);
        lastPassageOf.push(-1);
      }
      if (lastPassageOf[termId] !== passage) {
        lastPassageOf[termId] = passage;
        documentFrequencies[termId]++;
      }
      stream[written++] = termId;
    }
    lengths[passage] = terms.length;
    starts[passage + 1] = written;
  });
  const averageLength = passageCount > 0 ? totalLength / passageCount : 0;

  // Pass 2: fill the postings in passage order, so each term's run is sorted by passage id.
  // Closures below mention only typed arrays, never `documents`: V8 keeps whatever any inner
  // function mentions alive as long as `search` lives, and that was every passage's term list.
  const offsets = new Uint32Array(documentFrequencies.length + 1);
  for (let t = 0; t < documentFrequencies.length; t++) offsets[t + 1] = offsets[t] + documentFrequencies[t];
  const postingIds = new Uint32Array(offsets[documentFrequencies.length]);
  const postingWeights = new Float32Array(postingIds.length);
  const cursor = offsets.slice(0, -1);
  for (let passage = 0; passage < passageCount; passage++) {
    // An all-empty corpus has average length 0; treat every passage as average then.
    const relativeLength = averageLength > 0 ? lengths[passage] / averageLength : 1;
    const norm = k1 * (1 - b + b * relativeLength);
    // Sorted, a passage's repeated term ids sit together: a run's length is the term frequency.
    const ids = stream.subarray(starts[passage], starts[passage + 1]).sort();
    for (let i = 0; i < ids.length; ) {
      let end = i + 1;
      while (end < ids.length && ids[end] === ids[i]) end++;
      const tf = end - i;
      const slot = cursor[ids[i]]++;
      postingIds[slot] = passage;
      postingWeights[slot] = (tf * (k1 + 1)) / (tf + norm);
      i = end;
    }
  }

  const idfOf = (df: number) => Math.log(1 + (passageCount - df + 0.5) / (df + 0.5));
  const termIdf = Float64Array.from(documentFrequencies, idfOf);

  // Scratch reused by every query (search is synchronous, so queries never interleave).
  const scores = new Float64Array(passageCount);
  const seen = new Uint8Array(passageCount);
  const touched = new Uint32Array(passageCount);

  function search(terms: string[], k: number, weights?: number[]): ScoredId[] {
    if (passageCount === 0 || terms.length === 0 || !(k >= 1)) return [];

    // A term given twice (e.g. as a word and as a synonym's stem) counts once, at its best weight.
    const queryWeights = new Map<number, number>();
    terms.forEach((term, i) => {
      const termId = termIds.get(term);
      const weight = weights?.[i] ?? 1;
      if (termId === undefined || !(weight > 0)) return;
      queryWeights.set(termId, Math.max(weight, queryWeights.get(termId) ?? 0));
    });

    let touchedCount = 0;
    for (const [termId, weight] of queryWeights) {
      const factor = termIdf[termId] * weight;
      for (let p = offsets[termId]; p < offsets[termId + 1]; p++) {
        const passage = postingIds[p];
        if (seen[passage] === 0) {
          seen[passage] = 1;
          touched[touchedCount++] = passage;
        }
        scores[passage] += factor * postingWeights[p];
      }
    }

    const best = new TopK(Math.min(k, touchedCount));
    for (let i = 0; i < touchedCount; i++) {
      const passage = touched[i];
      best.push(passage, scores[passage]);
      scores[passage] = 0;
      seen[passage] = 0;
    }
    return best.result();
  }

  function documentFrequency(term: string): number {
    const termId = termIds.get(term);
    return termId === undefined ? 0 : documentFrequencies[termId];
  }

  return {
    size: passageCount,
    search,
    documentFrequency,
    idf: (term) => idfOf(documentFrequency(term)),
  };
}
