// Brute-force inner-product search: exact, dependency-free and fast enough for tens of
// thousands of passages, so it serves the Cloudflare Worker and is the ground truth for HNSW.
import { createError } from "../errors";
import type { ScoredId, VectorIndex } from "../types";
import { TopK } from "./topk";

export interface ExactIndex extends VectorIndex {
  add(vectors: Float32Array[]): void;
}

/**
 * `vectors` is either a list of rows or one flat row-major buffer (count × dimension),
 * e.g. the stored vectors.f32; a flat buffer is used in place, not copied.
 */
export function createExactIndex(dimension: number, vectors?: Float32Array | Float32Array[]): ExactIndex {
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw createError("INVALID_CONFIG", "dimension", String(dimension), "a positive integer");
  }
  let data: Float32Array = new Float32Array(0);
  let size = 0;

  if (vectors instanceof Float32Array) {
    if (vectors.length % dimension !== 0) {
      throw createError("DIMENSION_MISMATCH", dimension, vectors.length % dimension, `The last row of a flat buffer of ${vectors.length} floats`);
    }
    data = vectors;
    size = vectors.length / dimension;
  } else if (vectors) {
    add(vectors);
  }

  function add(rows: Float32Array[]): void {
    rows.forEach((row, i) => {
      if (row.length !== dimension) throw createError("DIMENSION_MISMATCH", dimension, row.length, `Vector ${size + i}`);
    });
    const needed = (size + rows.length) * dimension;
    if (needed > data.length) {
      // Grow by doubling so repeated small adds stay linear overall.
      const grown = new Float32Array(Math.max(needed, data.length * 2));
      grown.set(data.subarray(0, size * dimension));
      data = grown;
    }
    for (const row of rows) data.set(row, size++ * dimension);
  }

  function search(query: Float32Array, k: number): ScoredId[] {
    if (query.length !== dimension) throw createError("DIMENSION_MISMATCH", dimension, query.length, "The query vector");
    const best = new TopK(Math.min(k, size));
    const rows = data; // a local, not the reassignable closure variable, keeps the loop fast
    const tail = dimension % 4;
    for (let id = 0, row = 0; id < size; id++, row += dimension) {
      // Four partial sums break the add dependency chain (measured ~1.5× faster than one sum).
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let j = 0;
      for (; j < dimension - tail; j += 4) {
        s0 += rows[row + j] * query[j];
        s1 += rows[row + j + 1] * query[j + 1];
        s2 += rows[row + j + 2] * query[j + 2];
        s3 += rows[row + j + 3] * query[j + 3];
      }
      for (; j < dimension; j++) s0 += rows[row + j] * query[j];
      best.push(id, s0 + s1 + s2 + s3);
    }
    return best.result();
  }

  return {
    dimension,
    get size() {
      return size;
    },
    add,
    search,
  };
}
