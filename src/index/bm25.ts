// Okapi BM25 over already-analysed passages. Postings live in flat typed arrays
// (compressed-sparse-row: one run of passage ids per term), and each posting stores its
// precomputed term-frequency factor, so a query costs one multiply-add per posting.
import type { LexicalIndex, ScoredId } from "../types";
import { createTermDictionary, type TermDictionary } from "./term-dictionary";
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
  /** Distinct terms the passages hold. */
  readonly distinctTerms: number;
}

const defaults: Required<Bm25Options> = { k1: 1.2, b: 0.75 };

export function createBm25Index(documents: string[][], options: Bm25Options = {}): Bm25Index {
  const dictionary = createTermDictionary();
  return createBm25IndexOfTermIds(documents.map((terms) => dictionary.idsOf(terms)), dictionary, options);
}

/**
 * BM25 over passages given as their term ids in `dictionary` (TermDictionary.idsOf), which a live
 * reload keeps for the passages it has seen. The same passages give the same index, whatever else
 * the dictionary holds: a term no passage holds counts as absent, as an unknown one does.
 */
export function createBm25IndexOfTermIds(passages: Uint32Array[], dictionary: TermDictionary, options: Bm25Options = {}): Bm25Index {
  const { k1, b } = { ...defaults, ...options };
  const passageCount = passages.length;
  // Terms given ids after this build are absent from it.
  const termCount = dictionary.size;
  const termIdOf = (term: string) => {
    const id = dictionary.idOf(term);
    return id !== undefined && id < termCount ? id : undefined;
  };

  // Pass 1: document frequencies. A passage's ids are sorted, so each distinct term starts a run.
  const documentFrequencies = new Uint32Array(termCount);
  let totalLength = 0;
  for (const ids of passages) {
    totalLength += ids.length;
    for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) documentFrequencies[ids[i]]++;
  }
  const averageLength = passageCount > 0 ? totalLength / passageCount : 0;

  // Pass 2: fill the postings in passage order, so each term's run is sorted by passage id.
  // Closures below mention only typed arrays, never `passages`: V8 keeps whatever any inner
  // function mentions alive as long as `search` lives, and that was every passage's term list.
  const offsets = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t] + documentFrequencies[t];
  const postingIds = new Uint32Array(offsets[termCount]);
  const postingWeights = new Float32Array(postingIds.length);
  const cursor = offsets.slice(0, -1);
  passages.forEach((ids, passage) => {
    // An all-empty corpus has average length 0; treat every passage as average then.
    const relativeLength = averageLength > 0 ? ids.length / averageLength : 1;
    const norm = k1 * (1 - b + b * relativeLength);
    for (let i = 0; i < ids.length; ) {
      let end = i + 1;
      while (end < ids.length && ids[end] === ids[i]) end++;
      const tf = end - i;
      const slot = cursor[ids[i]]++;
      postingIds[slot] = passage;
      postingWeights[slot] = (tf * (k1 + 1)) / (tf + norm);
      i = end;
    }
  });
  let distinctTerms = 0;
  for (const df of documentFrequencies) if (df > 0) distinctTerms++;

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
      const termId = termIdOf(term);
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
    const termId = termIdOf(term);
    return termId === undefined ? 0 : documentFrequencies[termId];
  }

  return {
    size: passageCount,
    distinctTerms,
    search,
    documentFrequency,
    idf: (term) => idfOf(documentFrequency(term)),
  };
}
