import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { createExactIndex } from "../../src/index/exact";
import { createHnswIndex, loadHnswIndex } from "../../src/index/hnsw";
import type { ScoredId } from "../../src/types";
import { randomUnitVectors } from "./random-vectors";

/** Same ranking as exact search, except that ids with (nearly) equal scores may swap. */
function expectSameTopK(approximate: ScoredId[], exact: ScoredId[], allScores: Map<number, number>) {
  expect(approximate).toHaveLength(exact.length);
  approximate.forEach((hit, i) => {
    expect(hit.score).toBeCloseTo(exact[i].score, 4);
    expect(hit.score).toBeCloseTo(allScores.get(hit.id)!, 4);
  });
  expect(new Set(approximate.map((h) => h.id)).size).toBe(approximate.length);
}

describe("createHnswIndex", () => {
  it("agrees with exact search on small random sets when efSearch is high", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 8, max: 32 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        fc.boolean(),
        (count, dimension, k, seed, withDuplicates) => {
          let vectors = randomUnitVectors(count, dimension, seed);
          // Duplicates create exact ties, which either index may order differently.
          if (withDuplicates) vectors = vectors.map((v, i) => (i % 3 === 2 ? vectors[i - 1] : v));
          const hnsw = createHnswIndex({ dimension, efSearch: 200, capacity: count });
          hnsw.add(vectors);
          const exact = createExactIndex(dimension, vectors);
          for (const query of randomUnitVectors(3, dimension, seed + 1)) {
            const all = new Map(exact.search(query, count).map((h) => [h.id, h.score]));
            expectSameTopK(hnsw.search(query, k), exact.search(query, k), all);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reaches recall@10 ≥ 0.95 at default parameters (n = 2000, dimension 64)", () => {
    const vectors = randomUnitVectors(2000, 64, 7);
    const hnsw = createHnswIndex({ dimension: 64, capacity: 2000 });
    hnsw.add(vectors);
    const exact = createExactIndex(64, vectors);
    const queries = randomUnitVectors(200, 64, 8);
    let found = 0;
    for (const query of queries) {
      const truth = new Set(exact.search(query, 10).map((h) => h.id));
      found += hnsw.search(query, 10).filter((h) => truth.has(h.id)).length;
    }
    const recall = found / (queries.length * 10);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it("turns hnswlib's distance back into the inner product", () => {
    const hnsw = createHnswIndex({ dimension: 2, capacity: 2 });
    hnsw.add([Float32Array.from([1, 0]), Float32Array.from([0.6, 0.8])]);
    const hits = hnsw.search(Float32Array.from([1, 0]), 2);
    expect(hits.map((h) => h.id)).toEqual([0, 1]);
    expect(hits[0].score).toBeCloseTo(1, 6);
    expect(hits[1].score).toBeCloseTo(0.6, 6);
  });

  it("clamps k to the size, returns [] when empty, and grows past its capacity", () => {
    const hnsw = createHnswIndex({ dimension: 8, capacity: 2 });
    const vectors = randomUnitVectors(5, 8, 3);
    expect(hnsw.search(vectors[0], 5)).toEqual([]);
    hnsw.add(vectors);
    expect(hnsw.size).toBe(5);
    expect(hnsw.search(vectors[0], 100)).toHaveLength(5);
    expect(hnsw.search(vectors[0], 0)).toEqual([]);
    expect(hnsw.search(vectors[4], 1)[0].id).toBe(4);
  });

  it("rejects vectors of the wrong dimension", () => {
    const hnsw = createHnswIndex({ dimension: 8, capacity: 2 });
    expect(() => hnsw.add([new Float32Array(7)])).toThrow(AppError);
    expect(() => hnsw.search(new Float32Array(9), 1)).toThrow(/dimension 9, expected 8/);
  });

  it("writes and loads an index that answers the same", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hnsw-test-"));
    try {
      const vectors = randomUnitVectors(300, 16, 11);
      const hnsw = createHnswIndex({ dimension: 16, capacity: 300 });
      hnsw.add(vectors);
      await hnsw.writeTo(join(dir, "index.hnsw"));
      const loaded = await loadHnswIndex(join(dir, "index.hnsw"), { dimension: 16 });
      expect(loaded.size).toBe(300);
      for (const query of randomUnitVectors(10, 16, 12)) expect(loaded.search(query, 10)).toEqual(hnsw.search(query, 10));
      loaded.add(randomUnitVectors(5, 16, 13)); // room is made past the stored capacity
      expect(loaded.size).toBe(305);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
