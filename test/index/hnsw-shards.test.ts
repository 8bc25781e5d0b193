import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createExactIndex } from "../../src/index/exact";
import { buildHnswShards, loadHnswShards, shardCount, shardRanges } from "../../src/index/hnsw-shards";
import { randomUnitVectors } from "./random-vectors";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hnsw-shards-test-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const flat = (rows: Float32Array[], dimension: number) => {
  const out = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => out.set(row, i * dimension));
  return out;
};

describe("shardRanges", () => {
  it("covers 0…count with contiguous ranges whose lengths differ by at most one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 16 }), (count, shards) => {
        const ranges = shardRanges(count, shards);
        expect(ranges).toHaveLength(shards);
        expect(ranges[0][0]).toBe(0);
        expect(ranges[shards - 1][1]).toBe(count);
        ranges.slice(1).forEach(([start], i) => expect(start).toBe(ranges[i][1]));
        const lengths = ranges.map(([start, end]) => end - start);
        expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("shardCount", () => {
  it("builds at most the asked number, none below the minimum size, and always one", () => {
    expect(shardCount(100_000, 2, 5000)).toBe(2);
    expect(shardCount(9_999, 2, 5000)).toBe(1);
    expect(shardCount(0, 4, 5000)).toBe(1);
    expect(shardCount(12_000, 8, 5000)).toBe(2);
    expect(shardCount(10, 3, 0)).toBe(3);
  });
});

describe("buildHnswShards + loadHnswShards", () => {
  it("finds what exact search finds across the shards, best first, with global ids", async () => {
    const dimension = 24;
    const rows = randomUnitVectors(600, dimension, 7);
    const paths = [0, 1, 2].map((s) => join(dir, `g${s}.hnsw`));
    const progress: number[] = [];
    await buildHnswShards({ vectors: flat(rows, dimension), dimension, M: 16, efConstruction: 200, paths, onProgress: (done) => progress.push(done) });
    expect(progress.at(-1)).toBe(600);
    const index = await loadHnswShards(paths, { dimension, efSearch: 400 });
    expect(index.size).toBe(600);
    const exact = createExactIndex(dimension, rows);
    for (const query of randomUnitVectors(20, dimension, 8)) {
      const hits = index.search(query, 10);
      const truth = exact.search(query, 10);
      expect(hits.map((h) => h.id)).toEqual(truth.map((h) => h.id));
      hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(truth[i].score, 4));
    }
    expect(index.search(rows[599], 1)[0].id).toBe(599);
    expect(index.search(rows[0], 0)).toEqual([]);
  });

  it("rejects a flat buffer that is not a whole number of rows", async () => {
    await expect(buildHnswShards({ vectors: new Float32Array(10), dimension: 4, M: 16, efConstruction: 100, paths: [join(dir, "g.hnsw")] })).rejects.toThrow();
  });
});
