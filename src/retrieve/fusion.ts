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
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += a[i] * b[i];
  return sum;
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
