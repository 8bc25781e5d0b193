import type { ScoredId } from "../types";

export interface RankedList {
  hits: ScoredId[];
  weight: number;
}

/**
 * Weighted reciprocal rank fusion: score(id) = Σ weight / (k + rank), rank 1-based.
 * Ranks, not raw scores, are fused because BM25 and cosine live on unrelated scales.
 */
export function reciprocalRankFusion(lists: RankedList[], k = 60): ScoredId[] {
  const fused = new Map<number, number>();
  for (const { hits, weight } of lists) {
    hits.forEach((hit, i) => fused.set(hit.id, (fused.get(hit.id) ?? 0) + weight / (k + i + 1)));
  }
  return [...fused].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/** Inner product of two equal-length vectors (cosine when both are L2-normalised). */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  // Four running sums: independent additions pipeline, about twice as fast as one sum in V8.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

/**
 * The ids whose sentences get read: the `depth` best fused, then the first `each` of every list
 * that fusion ranked lower, in fused order. Rank fusion favours an id two lists found over one
 * that a single list put first; a passage holding the question's exact phrase can be first for
 * BM25 and nowhere in the dense list, and would otherwise never be read.
 */
export function idsToRead(fused: readonly ScoredId[], lists: readonly (readonly ScoredId[])[], depth: number, each: number): number[] {
  const chosen = new Set(fused.slice(0, Math.max(0, depth)).map((hit) => hit.id));
  const firsts = new Set(lists.flatMap((hits) => hits.slice(0, Math.max(0, each)).map((hit) => hit.id)));
  return fused.filter((hit) => chosen.has(hit.id) || firsts.has(hit.id)).map((hit) => hit.id);
}
