// Okapi BM25 over already-analysed passages. Postings live in flat typed arrays
// (compressed-sparse-row: one run of passage ids per term), and each posting stores its
// precomputed term-frequency factor, so a query costs one multiply-add per posting.
// Optionally MaxScore (Turtle & Flood 1995), term-at-a-time: once the k-th best score
// exceeds what the remaining lowest-bounded terms could add together, passages found only in
// their postings cannot enter, so those postings are only probed for passages that could.
import type { LexicalIndex, ScoredId } from "../types";
import { TopK } from "./topk";

export interface Bm25Options {
  /** Term-frequency saturation: higher lets repeated terms keep adding score. */
  k1?: number;
  /** Length normalisation: 0 ignores passage length, 1 normalises fully. */
  b?: number;
  /**
   * How postings are walked; both return identical rankings and scores. "maxscore" skips
   * postings that cannot change the top k, but on expanded queries over common terms it
   * prunes too little to pay for its checks (bench/bm25-search.ts), so it is opt-in.
   */
  strategy?: "term-at-a-time" | "maxscore";
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

const defaults: Required<Bm25Options> = { k1: 1.2, b: 0.75, strategy: "term-at-a-time" };

/**
 * Bounds are summed in another order than scores, so they may undershoot a score by a few ulps;
 * pruning compares against a threshold lowered by far more than that.
 */
const BOUND_SLACK = 1e-12;

export function createBm25Index(documents: string[][], options: Bm25Options = {}): Bm25Index {
  const { k1, b, strategy } = { ...defaults, ...options };
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
  // The largest factor in each term's postings bounds what the term can add to any passage.
  const maxWeights = new Float32Array(documentFrequencies.length);
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
      if (postingWeights[slot] > maxWeights[ids[i]]) maxWeights[ids[i]] = postingWeights[slot];
      i = end;
    }
  }

  const idfOf = (df: number) => Math.log(1 + (passageCount - df + 0.5) / (df + 0.5));
  const termIdf = Float64Array.from(documentFrequencies, idfOf);

  // Scratch reused by every query (search is synchronous, so queries never interleave).
  const scores = new Float64Array(passageCount);
  const seen = new Uint8Array(passageCount);
  const touched = new Uint32Array(passageCount);
  const candidateIds = new Uint32Array(passageCount);

  interface QueryPlan {
    termIds: number[];
    /** idf × weight: a posting's contribution is this times its stored factor. */
    factors: number[];
    /** remaining[i]: the most terms i, i+1, … can add together; remaining[n] = 0. */
    remaining: Float64Array;
  }

  /**
   * The distinct known terms, by upper bound (best first, then query order). Both strategies
   * add a passage's contributions in this order, so their scores agree to the last bit.
   */
  function plan(terms: string[], weights?: number[]): QueryPlan {
    // A term given twice (e.g. as a word and as a synonym's stem) counts once, at its best weight.
    const queryWeights = new Map<number, number>();
    terms.forEach((term, i) => {
      const termId = termIds.get(term);
      const weight = weights?.[i] ?? 1;
      if (termId === undefined || !(weight > 0)) return;
      queryWeights.set(termId, Math.max(weight, queryWeights.get(termId) ?? 0));
    });
    const entries = [...queryWeights].map(([termId, weight]) => {
      const factor = termIdf[termId] * weight;
      return { termId, factor, bound: factor * maxWeights[termId] };
    });
    entries.sort((x, y) => y.bound - x.bound); // stable: equal bounds keep query order
    const remaining = new Float64Array(entries.length + 1);
    for (let i = entries.length - 1; i >= 0; i--) remaining[i] = remaining[i + 1] + entries[i].bound;
    return { termIds: entries.map((e) => e.termId), factors: entries.map((e) => e.factor), remaining };
  }

  function search(terms: string[], k: number, weights?: number[]): ScoredId[] {
    if (passageCount === 0 || terms.length === 0 || !(k >= 1)) return [];
    const query = plan(terms, weights);
    if (query.termIds.length === 0) return [];
    return termAtATime(query, k, strategy === "maxscore");
  }

  /**
   * Every posting adds into a per-passage accumulator, terms in plan order. With `prune`
   * (MaxScore, term-at-a-time): once the k-th best partial score exceeds what the remaining
   * terms could add together, no passage outside the accumulators can enter the top k, so
   * the remaining (long, low-bound) lists are only probed for the passages that still could.
   */
  function termAtATime(query: QueryPlan, k: number, prune: boolean): ScoredId[] {
    const { termIds: ids, factors, remaining } = query;
    const n = ids.length;
    let touchedCount = 0;
    let sinceCheck = 0;
    let i = 0;
    let cutoff = -Infinity;
    for (; i < n; i++) {
      // Each check ranks every accumulator, so checks wait until as many postings were added.
      if (prune && i > 0 && touchedCount >= k && sinceCheck >= touchedCount) {
        sinceCheck = 0;
        cutoff = kthBest(touchedCount, k);
        if (remaining[i] <= cutoff) break;
      }
      const factor = factors[i];
      const first = offsets[ids[i]];
      const last = offsets[ids[i] + 1];
      sinceCheck += last - first;
      for (let p = first; p < last; p++) {
        const passage = postingIds[p];
        if (seen[passage] === 0) {
          seen[passage] = 1;
          touched[touchedCount++] = passage;
        }
        scores[passage] += factor * postingWeights[p];
      }
    }

    const candidates = i < n ? probeRemaining(query, i, cutoff, touchedCount) : touched.subarray(0, touchedCount);
    const best = new TopK(Math.min(k, candidates.length));
    for (const passage of candidates) best.push(passage, scores[passage]);
    for (let t = 0; t < touchedCount; t++) {
      scores[touched[t]] = 0;
      seen[touched[t]] = 0;
    }
    return best.result();
  }

  /**
   * Terms from..n−1 for the accumulated passages that could still reach the top k (partial
   * score plus what the remaining terms could add above the cutoff), probing each term's
   * postings in id order. Returns those passages; their scores are complete.
   */
  function probeRemaining({ termIds: ids, factors, remaining }: QueryPlan, from: number, cutoff: number, touchedCount: number): Uint32Array {
    let count = 0;
    for (let t = 0; t < touchedCount; t++) {
      const passage = touched[t];
      if (scores[passage] + remaining[from] > cutoff) candidateIds[count++] = passage;
    }
    const candidates = candidateIds.subarray(0, count).sort();
    for (let i = from; i < ids.length; i++) {
      const factor = factors[i];
      const last = offsets[ids[i] + 1];
      let p = offsets[ids[i]];
      for (let c = 0; c < count && p < last; c++) {
        const passage = candidates[c];
        p = seek(p, last, passage);
        if (p < last && postingIds[p] === passage) scores[passage] += factor * postingWeights[p];
      }
    }
    return candidates;
  }

  /** A lower bound on the final k-th best score (partial scores only grow), less the slack. */
  function kthBest(touchedCount: number, k: number): number {
    const best = new TopK(k);
    for (let t = 0; t < touchedCount; t++) best.push(touched[t], scores[touched[t]]);
    const threshold = best.threshold();
    return threshold - Math.abs(threshold) * BOUND_SLACK;
  }

  /** The first position in [from, to) whose passage id is at least `target` (galloping search). */
  function seek(from: number, to: number, target: number): number {
    if (from >= to || postingIds[from] >= target) return from;
    let low = from; // postingIds[low] < target throughout
    let step = 1;
    let high = from + 1;
    while (high < to && postingIds[high] < target) {
      low = high;
      step *= 2;
      high = low + step;
    }
    if (high > to) high = to;
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if (postingIds[middle] < target) low = middle;
      else high = middle;
    }
    return high;
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
