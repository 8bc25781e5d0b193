// The stored graph updated in place when only the corpus changed (index/incremental.ts applied by
// store.ts): new rows inserted, gone ones removed, the rest kept, and searches answer with the
// new row numbers, exactly as a fresh build would.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openVectorStore, type VectorStoreOptions } from "../../src/index/store";
import { createExactIndex } from "../../src/index/exact";
import { randomUnitVectors, seededRandom } from "./random-vectors";

const DIMENSION = 16;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "store-update-test-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A store over these rows, as the engine opens it after the corpus changed (hash = the rows' ids). */
function open(rows: Float32Array[], overrides: Partial<VectorStoreOptions> = {}) {
  return openVectorStore({
    dir,
    embedderId: "test-embedder",
    dimension: DIMENSION,
    corpusHash: rows.reduce((hash, row) => hash.update(new Uint8Array(row.buffer, row.byteOffset, row.byteLength)), createHash("sha256")).digest("hex"),
    count: rows.length,
    hnsw: { M: 16, efConstruction: 100, efSearch: 64 },
    build: async () => rows,
    ...overrides,
  });
}

/** Every row is its own nearest neighbour, under its new row number. */
function expectRowsFound(index: { search(q: Float32Array, k: number): { id: number }[]; size: number }, rows: Float32Array[]) {
  expect(index.size).toBe(rows.length);
  rows.forEach((row, id) => expect(index.search(row, 1)[0].id).toBe(id));
}

const pool = randomUnitVectors(400, DIMENSION, 7);

describe("updating the stored graph in place", () => {
  it("inserts a new document's rows in the middle of the corpus and keeps the rest", async () => {
    const before = pool.slice(0, 200);
    await open(before);
    // A document added between others: its rows come in at position 100, the rest shift.
    const after = [...before.slice(0, 100), ...pool.slice(200, 210), ...before.slice(100)];
    const store = await open(after);
    expect(store.loaded).toBe(false);
    expect(store.reason).toMatch(/^updated in place \(corpus changed .*\): 10 vectors added, 0 removed, 200 kept$/);
    expect(store.manifest.update).toEqual({ added: 10, removed: 0, kept: 200 });
    expect(store.manifest.nextLabel).toBe(210);
    expectRowsFound(store.index, after);
    expect(Array.from(store.vectors.subarray(100 * DIMENSION, 101 * DIMENSION))).toEqual(Array.from(pool[200]));
    expect((await readdir(dir)).sort()).toEqual(["index.hnsw", "labels.u32", "manifest.json", "vectors.f32"]);
    const { files } = store.manifest;
    for (const entry of [files.vectors, files.labels!, files.index!]) {
      expect(entry.sha256, entry.name).toBe(createHash("sha256").update(await readFile(join(dir, entry.name))).digest("hex"));
    }

    // Reopened unchanged, the updated store is loaded as it was written.
    const again = await open(after);
    expect(again.loaded).toBe(true);
    expectRowsFound(again.index, after);
  });

  it("removes a document's rows, which no search returns any more", async () => {
    const before = pool.slice(0, 200);
    await open(before);
    const after = [...before.slice(0, 50), ...before.slice(70)];
    const store = await open(after);
    expect(store.manifest.update).toEqual({ added: 0, removed: 20, kept: 180 });
    expectRowsFound(store.index, after);
    // The removed vectors' nearest rows are now others, and never a row past the end.
    for (const gone of before.slice(50, 70)) {
      const hits = store.index.search(gone, 5);
      expect(hits.length).toBe(5);
      for (const { id, score } of hits) {
        expect(id).toBeLessThan(after.length);
        expect(score).toBeLessThan(0.9999);
      }
    }
  });

  it("keeps the labels of removed rows retired: a later update never gives one twice", async () => {
    await open(pool.slice(0, 100));
    await open(pool.slice(10, 100)); // rows 0–9 removed: labels 0–9 retired
    const store = await open([...pool.slice(0, 10), ...pool.slice(10, 100)]); // the same vectors back
    expect(store.manifest.update).toEqual({ added: 10, removed: 0, kept: 90 });
    expect(store.manifest.nextLabel).toBe(110);
    const labels = new Uint32Array((await readFile(join(dir, "labels.u32"))).buffer.slice(0));
    expect(Array.from(labels.subarray(0, 10))).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expectRowsFound(store.index, pool.slice(0, 100));
  });

  it("rebuilds instead when more than maxUpdateShare of the rows changed", async () => {
    await open(pool.slice(0, 100));
    const store = await open(pool.slice(60, 160)); // 60 removed + 60 added = 1.2 × 100
    expect(store.reason).toMatch(/^rebuilding: corpus changed/);
    expect(store.manifest.update).toBeUndefined();
    expect((await readdir(dir)).sort()).toEqual(["index.hnsw", "manifest.json", "vectors.f32"]);
    expectRowsFound(store.index, pool.slice(60, 160));
  });

  it("rebuilds when labels.u32 no longer matches its checksum", async () => {
    await open(pool.slice(0, 100));
    await open(pool.slice(0, 105));
    const path = join(dir, "labels.u32");
    const bytes = await readFile(path);
    bytes[0] ^= 0xff;
    await writeFile(path, bytes);
    const store = await open(pool.slice(0, 105));
    expect(store.reason).toBe("rebuilding: labels.u32 checksum mismatch");
    expectRowsFound(store.index, pool.slice(0, 105));
  });

  it("spreads new rows over the graphs of a sharded store and searches all of them", async () => {
    const options = { hnsw: { M: 16, efConstruction: 100, efSearch: 64, shards: 2 }, minShardSize: 50 };
    await open(pool.slice(0, 200), options);
    const after = [...pool.slice(0, 200), ...pool.slice(200, 260)];
    const store = await open(after, options);
    expect(store.manifest.update).toEqual({ added: 60, removed: 0, kept: 200 });
    expect(store.manifest.hnsw.shards).toBe(2);
    expectRowsFound(store.index, after);
  });

  it("keeps recall through many small updates (each replacing 5% of the rows)", async () => {
    const random = seededRandom(11);
    const all = randomUnitVectors(3000, DIMENSION, 3);
    let rows = all.slice(0, 1000);
    let next = 1000;
    await open(rows);
    let store = await open(rows);
    for (let round = 0; round < 20; round++) {
      const out = new Set(Array.from({ length: 50 }, () => Math.floor(random() * rows.length)));
      rows = rows.filter((_, i) => !out.has(i));
      const at = Math.floor(random() * rows.length);
      rows = [...rows.slice(0, at), ...all.slice(next, next + out.size), ...rows.slice(at)];
      next += out.size;
      store = await open(rows);
      expect(store.manifest.update?.added).toBe(out.size);
    }
    // Recall@10 against exact search over the same rows, from 200 fresh queries.
    const exact = createExactIndex(DIMENSION, rows);
    const queries = randomUnitVectors(200, DIMENSION, 99);
    let found = 0;
    for (const query of queries) {
      const truth = new Set(exact.search(query, 10).map((hit) => hit.id));
      found += store.index.search(query, 10).filter((hit) => truth.has(hit.id)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThan(0.95);
  });
});
