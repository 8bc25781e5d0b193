import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openVectorStore, type VectorStoreOptions } from "../../src/index/store";
import { randomUnitVectors } from "./random-vectors";

const COUNT = 120;
const DIMENSION = 16;
const CORPUS_HASH = "a1b2c3d4e5f6a7b8c9d0";

let dir: string;
let builds: number;
let messages: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vector-store-test-"));
  builds = 0;
  messages = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function options(overrides: Partial<VectorStoreOptions> = {}): VectorStoreOptions {
  const count = overrides.count ?? COUNT;
  const dimension = overrides.dimension ?? DIMENSION;
  return {
    dir,
    embedderId: "hashing-v1-d16",
    dimension,
    corpusHash: CORPUS_HASH,
    count,
    hnsw: { M: 16, efConstruction: 100, efSearch: 64 },
    build: async (onProgress) => {
      builds++;
      onProgress(count, count);
      return randomUnitVectors(count, dimension, 42);
    },
    log: (message) => messages.push(message),
    ...overrides,
  };
}

/** The store answers correctly: every stored vector is its own nearest neighbour. */
function expectAnswers(store: Awaited<ReturnType<typeof openVectorStore>>, count = COUNT, dimension = DIMENSION) {
  const vectors = randomUnitVectors(count, dimension, 42);
  expect(store.index.size).toBe(count);
  expect(store.vectors).toHaveLength(count * dimension);
  expect(Array.from(store.vectors.subarray(dimension, 2 * dimension))).toEqual(Array.from(vectors[1]));
  for (const id of [0, Math.floor(count / 2), count - 1]) expect(store.index.search(vectors[id], 1)[0].id).toBe(id);
}

describe("openVectorStore", () => {
  it("builds on first open, then loads without building", async () => {
    const first = await openVectorStore(options());
    expect(first.loaded).toBe(false);
    expect(first.reason).toMatch(/^building: no index in /);
    expect(builds).toBe(1);
    expectAnswers(first);
    expect((await readdir(dir)).sort()).toEqual(["index.hnsw", "manifest.json", "vectors.f32"]);

    const second = await openVectorStore(options());
    expect(second.loaded).toBe(true);
    expect(builds).toBe(1);
    expect(second.reason).toBe(`loaded index built ${first.manifest.builtAt} with hashing-v1-d16 (${COUNT} vectors, dimension ${DIMENSION})`);
    expect(messages).toContain(second.reason);
    expectAnswers(second);
    expect(second.manifest).toEqual(first.manifest);
    const query = randomUnitVectors(1, DIMENSION, 5)[0];
    expect(second.index.search(query, 10)).toEqual(first.index.search(query, 10));
  });

  it("keeps vectors only, with no graph, when asked (graph: false), and loads them back checked", async () => {
    const first = await openVectorStore(options({ graph: false }));
    expect(first.loaded).toBe(false);
    expectAnswers(first); // exact search over the vectors stands in for the graph
    expect((await readdir(dir)).sort()).toEqual(["manifest.json", "vectors.f32"]);
    expect(first.manifest.hnsw.shards).toBe(0);
    expect(first.manifest.files.index).toBeUndefined();

    const second = await openVectorStore(options({ graph: false }));
    expect(second.loaded).toBe(true);
    expect(builds).toBe(1);
    expectAnswers(second);
    // Asking for a graph over the same vectors is a different store: it is built.
    const withGraph = await openVectorStore(options());
    expect(withGraph.loaded).toBe(false);
    expect(withGraph.reason).toMatch(/shards changed \(0 ≠ 1\)/);
  });

  it("writes a manifest with parameters, timings, sizes and checksums", async () => {
    const { manifest } = await openVectorStore(options());
    const stored = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    expect(stored).toEqual(manifest);
    expect(manifest).toMatchObject({
      formatVersion: 1,
      embedder: { id: "hashing-v1-d16", dimension: DIMENSION },
      corpusHash: CORPUS_HASH,
      count: COUNT,
      hnsw: { M: 16, efConstruction: 100, efSearch: 64 },
      files: { vectors: { name: "vectors.f32", bytes: COUNT * DIMENSION * 4 }, index: { name: "index.hnsw" } },
    });
    expect(Number.isNaN(Date.parse(manifest.builtAt))).toBe(false);
    // Each checksum is that of the file on disk, whether written from memory (vectors) or by hnswlib (the graph).
    for (const entry of [manifest.files.vectors, manifest.files.index!]) {
      expect(entry.sha256).toBe(createHash("sha256").update(await readFile(join(dir, entry.name))).digest("hex"));
    }
    // vectors.f32 is raw little-endian float32, readable by the Worker without this module.
    const bytes = await readFile(join(dir, "vectors.f32"));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getFloat32(4 * DIMENSION, true)).toBe(randomUnitVectors(COUNT, DIMENSION, 42)[1][0]);
  });

  it.each<[string, Partial<VectorStoreOptions>, RegExp]>([
    // With updates in place turned off; with them, a changed corpus updates the graph (below).
    ["the corpus hash", { corpusHash: "c3d4e5f6a7b8", maxUpdateShare: 0 }, /^rebuilding: corpus changed \(hash a1b2c3d4… ≠ c3d4e5f6…\)$/],
    ["the embedder id", { embedderId: "e5-small-v2" }, /^rebuilding: embedder changed \(hashing-v1-d16 ≠ e5-small-v2\)$/],
    ["the dimension", { dimension: 24 }, /^rebuilding: dimension changed \(16 ≠ 24\)$/],
    ["the passage count", { count: 100, maxUpdateShare: 0 }, /^rebuilding: passage count changed \(120 ≠ 100\)$/],
    ["M", { hnsw: { M: 8, efConstruction: 100, efSearch: 64 } }, /^rebuilding: HNSW parameters changed/],
  ])("rebuilds when %s changes", async (_what, overrides, reason) => {
    await openVectorStore(options());
    const store = await openVectorStore(options(overrides));
    expect(store.loaded).toBe(false);
    expect(store.reason).toMatch(reason);
    expect(builds).toBe(2);
    expectAnswers(store, overrides.count ?? COUNT, overrides.dimension ?? DIMENSION);
    // The rebuilt index is then reused.
    expect((await openVectorStore(options(overrides))).loaded).toBe(true);
  });

  it("does not rebuild when only efSearch changes (it is a query-time setting)", async () => {
    await openVectorStore(options());
    const store = await openVectorStore(options({ hnsw: { M: 16, efConstruction: 100, efSearch: 300 } }));
    expect(store.loaded).toBe(true);
  });

  it("rebuilds when forced", async () => {
    await openVectorStore(options());
    const store = await openVectorStore(options({ force: true }));
    expect(store.reason).toBe("rebuilding: forced");
    expect(builds).toBe(2);
  });

  it("recovers from a build that crashed midway", async () => {
    const crashing = options({
      build: async (onProgress) => {
        onProgress(10, COUNT);
        throw new Error("embedder crashed");
      },
    });
    await expect(openVectorStore(crashing)).rejects.toThrow("embedder crashed");
    expect(await readdir(dir)).toEqual([]);
    const store = await openVectorStore(options());
    expect(store.loaded).toBe(false);
    expectAnswers(store);
  });

  it("refuses to store a build that returned the wrong number of vectors", async () => {
    const short = options({ build: async () => randomUnitVectors(COUNT - 1, DIMENSION, 42) });
    await expect(openVectorStore(short)).rejects.toMatchObject({ code: "VECTOR_COUNT_MISMATCH" });
    expect(await readdir(dir)).toEqual([]);
  });

  it("rebuilds when the manifest is missing but index files are present", async () => {
    await openVectorStore(options());
    await rm(join(dir, "manifest.json"));
    const store = await openVectorStore(options());
    expect(store.reason).toBe(`rebuilding: no manifest.json in ${dir} (an earlier build did not finish)`);
    expectAnswers(store);
  });

  it("rebuilds when the index bytes are corrupted", async () => {
    await openVectorStore(options());
    const bytes = await readFile(join(dir, "index.hnsw"));
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(join(dir, "index.hnsw"), bytes);
    const store = await openVectorStore(options());
    expect(store.reason).toBe("rebuilding: index.hnsw checksum mismatch");
    expectAnswers(store);
  });

  it("rebuilds when the vectors file is truncated", async () => {
    await openVectorStore(options());
    await truncate(join(dir, "vectors.f32"), 1000);
    const store = await openVectorStore(options());
    expect(store.reason).toBe(`rebuilding: vectors.f32 is 1000 bytes, manifest says ${COUNT * DIMENSION * 4}`);
    expectAnswers(store);
  });

  it("rebuilds when the manifest is not valid JSON", async () => {
    await openVectorStore(options());
    await writeFile(join(dir, "manifest.json"), '{"formatVersion": 1, "embed');
    const store = await openVectorStore(options());
    expect(store.reason).toMatch(/^rebuilding: manifest.json is unreadable/);
    expectAnswers(store);
  });

  it("never loads temp files left by a crashed write, and deletes them", async () => {
    await openVectorStore(options());
    // A crash after writing the new files to temp names but before renaming them: the temp
    // files are complete and valid, the real index is broken, and the manifest is gone.
    await copyFile(join(dir, "index.hnsw"), join(dir, "index.hnsw.999-deadbeef.tmp"));
    await copyFile(join(dir, "vectors.f32"), join(dir, "vectors.f32.999-deadbeef.tmp"));
    await writeFile(join(dir, "manifest.json.999-deadbeef.tmp"), await readFile(join(dir, "manifest.json")));
    await rm(join(dir, "manifest.json"));
    await writeFile(join(dir, "index.hnsw"), "half an index");
    await writeFile(join(dir, "notes.tmp"), "not ours");

    const store = await openVectorStore(options());
    expect(store.loaded).toBe(false);
    expect(builds).toBe(2);
    expectAnswers(store);
    expect((await readdir(dir)).sort()).toEqual(["index.hnsw", "manifest.json", "notes.tmp", "vectors.f32"]);
  });

  it("handles an empty corpus", async () => {
    const empty = options({ count: 0 });
    const built = await openVectorStore(empty);
    expect(built.index.search(new Float32Array(DIMENSION), 5)).toEqual([]);
    const loaded = await openVectorStore(empty);
    expect(loaded.loaded).toBe(true);
    expect(loaded.vectors).toHaveLength(0);
    expect(loaded.index.size).toBe(0);
  });
  describe("in shards built on worker threads", () => {
    const sharded = (shards: number, overrides: Partial<VectorStoreOptions> = {}) =>
      options({ hnsw: { M: 16, efConstruction: 100, efSearch: 64, shards }, minShardSize: 40, ...overrides });

    it("builds one graph file per shard, loads them, and searches all of them", async () => {
      const built = await openVectorStore(sharded(3));
      expect(built.manifest.hnsw.shards).toBe(3);
      expect(built.manifest.files.moreShards.map((f) => f.name)).toEqual(["index-1.hnsw", "index-2.hnsw"]);
      expect((await readdir(dir)).sort()).toEqual(["index-1.hnsw", "index-2.hnsw", "index.hnsw", "manifest.json", "vectors.f32"]);
      expectAnswers(built);
      const loaded = await openVectorStore(sharded(3));
      expect(loaded.loaded).toBe(true);
      expectAnswers(loaded);
      const query = randomUnitVectors(1, DIMENSION, 5)[0];
      const hits = loaded.index.search(query, 10);
      expect(hits).toEqual(built.index.search(query, 10));
      // Merged best-first, with ids from every range.
      expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
      expect(loaded.index.search(query, 500)).toHaveLength(COUNT);
    });

    it("keeps one graph when the shards would be smaller than minShardSize", async () => {
      const store = await openVectorStore(sharded(4, { minShardSize: 100 }));
      expect(store.manifest.hnsw.shards).toBe(1);
      expect((await readdir(dir)).sort()).toEqual(["index.hnsw", "manifest.json", "vectors.f32"]);
    });

    it("rebuilds when the number of shards changes, and removes graphs no longer used", async () => {
      await openVectorStore(sharded(3));
      const store = await openVectorStore(sharded(2));
      expect(store.reason).toBe("rebuilding: HNSW shards changed (3 ≠ 2)");
      expect((await readdir(dir)).sort()).toEqual(["index-1.hnsw", "index.hnsw", "manifest.json", "vectors.f32"]);
      expectAnswers(store);
    });

    it("rebuilds when a later shard is corrupted", async () => {
      await openVectorStore(sharded(2));
      const bytes = await readFile(join(dir, "index-1.hnsw"));
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      await writeFile(join(dir, "index-1.hnsw"), bytes);
      const store = await openVectorStore(sharded(2));
      expect(store.reason).toBe("rebuilding: index-1.hnsw checksum mismatch");
      expectAnswers(store);
    });
  });
});
