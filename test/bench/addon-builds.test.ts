import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareAddonBuilds } from "../../bench/lib/addon-builds";
import { hnswlibPaths } from "../../scripts/build-hnswlib";
import { createHnswIndex } from "../../src/index/hnsw";
import { randomUnitVectors } from "../index/random-vectors";

describe("compareAddonBuilds", () => {
  const dir = mkdtempSync(join(tmpdir(), "addon-builds-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("times both builds on the same graph and finds the same neighbours (or says why it could not)", async () => {
    const dimension = 32;
    const vectors = randomUnitVectors(400, dimension, 5);
    const index = createHnswIndex({ dimension, capacity: vectors.length });
    index.add(vectors);
    const graphPath = join(dir, "graph.hnsw");
    await index.writeTo(graphPath);
    const result = await compareAddonBuilds({ graphPath, dimension, efSearch: 64, queries: randomUnitVectors(20, dimension, 6), rounds: 2 });

    if (!existsSync(hnswlibPaths().portableAddon)) {
      // The install kept the portable build (HNSWLIB_NO_NATIVE, not x64, or the rebuild failed): nothing to compare.
      expect(result).toMatchObject({ skipped: expect.stringContaining("no portable addon") });
      return;
    }
    if ("skipped" in result) throw new Error(result.skipped);
    expect(result).toMatchObject({ queries: 20, k: 50, efSearch: 64 });
    expect(result.portableMs).toBeGreaterThan(0);
    expect(result.nativeMs).toBeGreaterThan(0);
    // Both builds walk the same graph; the SIMD kernels only change how the dot products are summed.
    expect(result.sameNeighbours).toBeGreaterThanOrEqual(0.9);
  });

  it("asks for no more neighbours than the graph holds", async () => {
    const dimension = 8;
    const index = createHnswIndex({ dimension, capacity: 5 });
    index.add(randomUnitVectors(5, dimension, 1));
    const graphPath = join(dir, "small.hnsw");
    await index.writeTo(graphPath);
    const result = await compareAddonBuilds({ graphPath, dimension, efSearch: 16, queries: randomUnitVectors(3, dimension, 2), rounds: 1 });
    if (!("skipped" in result)) expect(result.k).toBe(5);
  });
});
