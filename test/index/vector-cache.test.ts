import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openVectorCache } from "../../src/index/vector-cache";

const DIMENSION = 4;
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "vector-cache-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A deterministic stand-in embedder that records every text it is asked to embed. */
function recorder() {
  const embedded: string[] = [];
  const embed = async (batch: string[]) => {
    embedded.push(...batch);
    return batch.map((text) => Float32Array.from({ length: DIMENSION }, (_, d) => text.length + d / 10));
  };
  return { embedded, embed };
}

const open = (embedderId = "model-a#1234") => openVectorCache({ dir, embedderId, dimension: DIMENSION });
const TEXTS = ["الفقرة الأولى", "الفقرة الثانية", "the third", "الرابعة"];

describe("openVectorCache", () => {
  it("embeds each text once: a second run reads every vector back", async () => {
    const first = recorder();
    const vectors = await (await open()).embed(TEXTS, first.embed, { batchSize: 2 });
    expect(first.embedded).toEqual(TEXTS);
    const again = recorder();
    const cache = await open();
    const read = await cache.embed(TEXTS, again.embed);
    expect(again.embedded).toEqual([]);
    expect(read.map((v) => Array.from(v))).toEqual(vectors.map((v) => Array.from(v)));
    expect(cache.stats).toMatchObject({ hits: 4, misses: 0, dropped: 0 });
  });

  it("embeds only new or changed texts when the corpus changes", async () => {
    await (await open()).embed(TEXTS, recorder().embed);
    const next = recorder();
    await (await open()).embed([TEXTS[0], "الفقرة الثانية، وقد عُدّلت", TEXTS[2], "a new document"], next.embed);
    expect(next.embedded).toEqual(["الفقرة الثانية، وقد عُدّلت", "a new document"]);
  });

  it("resumes an interrupted run without redoing its finished batches", async () => {
    const failing = recorder();
    let calls = 0;
    const interrupted = (batch: string[]) => (++calls === 2 ? Promise.reject(new Error("killed")) : failing.embed(batch));
    await expect((await open()).embed(TEXTS, interrupted, { batchSize: 2 })).rejects.toThrow("killed");
    const resumed = recorder();
    await (await open()).embed(TEXTS, resumed.embed, { batchSize: 2 });
    expect(resumed.embedded).toEqual(TEXTS.slice(2));
  });

  it("never serves a damaged record: it is dropped and its text embedded again", async () => {
    const cache = await open();
    await cache.embed(TEXTS, recorder().embed);
    const bytes = readFileSync(cache.path);
    const recordBytes = 32 + DIMENSION * 4 + 4;
    bytes[bytes.length - recordBytes - 10] ^= 0xff; // inside the third record's vector
    writeFileSync(cache.path, bytes);
    const reopened = await open();
    expect(reopened.stats.dropped).toBe(1);
    const again = recorder();
    const vectors = await reopened.embed(TEXTS, again.embed);
    expect(again.embedded).toEqual([TEXTS[2]]);
    expect(vectors[2][0]).toBe(TEXTS[2].length);
  });

  it("drops a record cut short by an interrupted write, and appends cleanly after it", async () => {
    const cache = await open();
    await cache.embed(TEXTS, recorder().embed);
    writeFileSync(cache.path, readFileSync(cache.path).subarray(0, statSync(cache.path).size - 7));
    const reopened = await open();
    expect(reopened.stats.dropped).toBe(1);
    const again = recorder();
    await reopened.embed([...TEXTS, "one more"], again.embed);
    expect(again.embedded).toEqual([TEXTS[3], "one more"]);
    expect((await open()).stats.dropped).toBe(0);
  });

  it("ignores another embedder's vectors: its file name and header differ", async () => {
    await (await open("model-a#1234")).embed(TEXTS, recorder().embed);
    const other = recorder();
    await (await open("model-b#5678")).embed(TEXTS, other.embed);
    expect(other.embedded).toEqual(TEXTS);
    // A file whose header names another embedder is started afresh, not read.
    const cache = await open("model-a#1234");
    writeFileSync(cache.path, readFileSync(cache.path).toString("latin1").replace("model-a#1234", "model-x#1234"), "latin1");
    const again = recorder();
    await (await open("model-a#1234")).embed(TEXTS, again.embed);
    expect(again.embedded).toEqual(TEXTS);
  });

  it("forgets the texts of a removed document", async () => {
    const cache = await open();
    await cache.embed(TEXTS, recorder().embed);
    const size = statSync(cache.path).size;
    await cache.retain(TEXTS.slice(0, 2));
    expect(statSync(cache.path).size).toBeLessThan(size);
    const again = recorder();
    await (await open()).embed(TEXTS, again.embed);
    expect(again.embedded).toEqual(TEXTS.slice(2));
  });

  it("in one process, as live reloads use it: equal texts hit, retained ones stay, removed ones are embedded again", async () => {
    const cache = await open();
    await cache.embed(TEXTS, recorder().embed);
    const copies = TEXTS.map((text) => [...text].join("")); // equal strings, other objects (a reloaded corpus's)
    const reload = recorder();
    await cache.embed(copies, reload.embed);
    expect(reload.embedded).toEqual([]);
    await cache.retain(copies.slice(0, 2));
    const back = recorder();
    const vectors = await cache.embed(TEXTS, back.embed);
    expect(back.embedded).toEqual(TEXTS.slice(2));
    expect(vectors.map((v) => v[0])).toEqual(TEXTS.map((text) => text.length));
  });

  it("rejects an embedder that returns the wrong number or size of vectors", async () => {
    const cache = await open();
    await expect(cache.embed(TEXTS, async (batch) => batch.slice(1).map(() => new Float32Array(DIMENSION)))).rejects.toThrow(/vectors for/);
  });
});
