// Uploads in the Postgres store (src/node/pg-uploads.ts): recorded with their bytes, recognised by
// them, removed, and materialised into a corpus folder that then holds exactly the store's uploads.
// PGlite with pgvector over the wire, in this process.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPgStore, type PgStore } from "../../src/index/pgvector/schema";
import { createPgUploadStore, syncUploads, uploadsUnchanged } from "../../src/node/pg-uploads";
import { createUploadSaver, sidecarText, UPLOAD_NAME } from "../../src/server/upload-node";
import { Hono } from "hono";
import { AppError } from "../../src/errors";
import { startDevDatabase, type DevDatabase } from "../../scripts/lib/pglite-server";

const root = mkdtempSync(join(tmpdir(), "pg-uploads-"));
let database: DevDatabase;
let store: PgStore;
let client: pg.Client;

beforeAll(async () => {
  database = await startDevDatabase();
  store = await openPgStore({ url: database.url });
  client = await store.connectForWrites();
});
afterAll(async () => {
  await client?.end();
  await store?.close();
  await database?.stop();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(async () => {
  await store.pool.query("DELETE FROM qa_uploads; DELETE FROM qa_originals");
});

const uploads = createPgUploadStore(async () => store.pool);
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const DOCUMENTS = Array.from({ length: 6 }, (_, i) => Buffer.from(`وثيقة رقم ${i}: نص عن السدود والري في الجزيرة.\n`.repeat(i + 1)));

/** Records `bytes` as the saver does: from a temporary file, under the name its hash gives. */
async function add(bytes: Buffer, sidecar: object = { fallbackTitle: "x" }) {
  const path = join(root, `.tmp-${sha(bytes)}`);
  writeFileSync(path, bytes);
  try {
    return await uploads.add({ name: `uploads/${sha(bytes).slice(0, 16)}.txt`, sha256: sha(bytes), format: "text", path, sidecar });
  } finally {
    rmSync(path);
  }
}

describe("the store's uploads", () => {
  it("are recorded once per content, recognised by it, and removed by their hex", async () => {
    expect(await add(DOCUMENTS[0])).toBe("added");
    expect(await add(DOCUMENTS[0])).toBe("exists");
    expect(await uploads.existing(sha(DOCUMENTS[0]))).toBe(`uploads-${sha(DOCUMENTS[0]).slice(0, 16)}`);
    expect(await uploads.existing(sha(DOCUMENTS[1]))).toBeUndefined();
    expect(await uploads.remove(sha(DOCUMENTS[0]).slice(0, 16))).toEqual([`uploads/${sha(DOCUMENTS[0]).slice(0, 16)}.txt`]);
    expect(await uploads.remove(sha(DOCUMENTS[0]).slice(0, 16))).toEqual([]);
    expect(await uploads.remove("../../etc/passwd")).toEqual([]);
  });

  it("after a sync, the folder's upload files are exactly the store's, byte for byte, and nothing else in it is touched", async () => {
    const subset = fc.subarray(DOCUMENTS.map((_, i) => i));
    await fc.assert(
      fc.asyncProperty(subset, subset, fc.subarray([0, 1, 2, 3, 4, 5]), async (inStore, inFolder, damaged) => {
        await store.pool.query("DELETE FROM qa_uploads; DELETE FROM qa_originals");
        const corpus = mkdtempSync(join(root, "corpus-"));
        const dir = join(corpus, "uploads");
        mkdirSync(dir);
        for (const i of inStore) await add(DOCUMENTS[i], { title: `عنوان ${i}`, source: "مصدر" });
        // The folder: some uploads (some cut short, some with a stale sidecar), an operator's file, an upload in progress.
        for (const i of inFolder) {
          const hex = sha(DOCUMENTS[i]).slice(0, 16);
          writeFileSync(join(dir, `${hex}.txt`), damaged.includes(i) ? DOCUMENTS[i].subarray(0, 10) : DOCUMENTS[i]);
          writeFileSync(join(dir, `${hex}.meta.json`), damaged.includes(i) ? "{}" : sidecarText({ title: `عنوان ${i}`, source: "مصدر" }));
        }
        writeFileSync(join(dir, "notes.txt"), "ملف وضعه المشغل.\n");
        writeFileSync(join(dir, ".tmp-in-progress"), "…");

        await syncUploads(client, corpus);

        const expected = inStore.flatMap((i) => [`${sha(DOCUMENTS[i]).slice(0, 16)}.meta.json`, `${sha(DOCUMENTS[i]).slice(0, 16)}.txt`]).sort();
        const files = readdirSync(dir);
        expect(files.filter((n) => UPLOAD_NAME.test(n)).sort()).toEqual(expected);
        expect(files.filter((n) => !UPLOAD_NAME.test(n)).sort()).toEqual([".tmp-in-progress", "notes.txt"]);
        for (const i of inStore) {
          const hex = sha(DOCUMENTS[i]).slice(0, 16);
          expect(readFileSync(join(dir, `${hex}.txt`)).equals(DOCUMENTS[i])).toBe(true);
          expect(JSON.parse(readFileSync(join(dir, `${hex}.meta.json`), "utf8"))).toEqual({ title: `عنوان ${i}`, source: "مصدر" });
        }
        rmSync(corpus, { recursive: true });
      }),
      { numRuns: 25 },
    );
  });

  it("a run's list of uploads is stale once an upload is added or removed", async () => {
    await add(DOCUMENTS[0]);
    const corpus = mkdtempSync(join(root, "corpus-"));
    const { fingerprint } = await syncUploads(client, corpus);
    const check = async () => {
      await client.query("BEGIN");
      try {
        return await uploadsUnchanged(client, fingerprint);
      } finally {
        await client.query("COMMIT");
      }
    };
    expect(await check()).toBe(true);
    await add(DOCUMENTS[1]);
    expect(await check()).toBe(false);
    await uploads.remove(sha(DOCUMENTS[1]).slice(0, 16));
    expect(await check()).toBe(true);
    await uploads.remove(sha(DOCUMENTS[0]).slice(0, 16));
    expect(await check()).toBe(false);
    expect(existsSync(join(corpus, "uploads"))).toBe(true);
  });

  it("an upload the store cannot record is refused, with no bytes kept in the store and no file left in the folder to be indexed", async () => {
    const corpus = mkdtempSync(join(root, "corpus-"));
    const save = createUploadSaver({ corpusDir: corpus, maxFileBytes: 1_000_000, store: uploads });
    const app = new Hono();
    app.post("/", async (c) => c.json(await save(c)));
    app.onError((error, c) => c.json({ code: error instanceof AppError ? error.code : "?" }, 500));
    const post = () => {
      const data = new FormData();
      data.append("file", new Blob([DOCUMENTS[2]]), "report.txt");
      return app.request("/", { method: "POST", body: data });
    };
    // The bytes' insert succeeds and the row's fails: the transaction takes both back.
    await store.pool.query("ALTER TABLE qa_uploads RENAME TO qa_uploads_away");
    try {
      expect(await (await post()).json()).toEqual({ code: "STORE_UNAVAILABLE" });
    } finally {
      await store.pool.query("ALTER TABLE qa_uploads_away RENAME TO qa_uploads");
    }
    expect(readdirSync(join(corpus, "uploads"))).toEqual([]);
    expect((await store.pool.query("SELECT count(*)::int AS n FROM qa_originals")).rows[0].n).toBe(0);
    // Once the store answers, the same request is saved: store first, then the folder.
    expect(await (await post()).json()).toEqual([{ id: `uploads-${sha(DOCUMENTS[2]).slice(0, 16)}`, file: `uploads/${sha(DOCUMENTS[2]).slice(0, 16)}.txt`, status: "accepted" }]);
    expect(readdirSync(join(corpus, "uploads")).sort()).toEqual([`${sha(DOCUMENTS[2]).slice(0, 16)}.meta.json`, `${sha(DOCUMENTS[2]).slice(0, 16)}.txt`]);
    expect(await uploads.existing(sha(DOCUMENTS[2]))).toBe(`uploads-${sha(DOCUMENTS[2]).slice(0, 16)}`);
  });
});
