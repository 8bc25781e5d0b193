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
