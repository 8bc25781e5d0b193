// Originals in the Postgres store (src/index/pgvector/originals.ts) and schema migration 2, on
// PGlite with pgvector served over the wire in this process.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../src/config";
import { createLogger } from "../../src/log";
import { openPgStore, SCHEMA_VERSION, type PgStore } from "../../src/index/pgvector/schema";
import { collectGarbage, indexCorpus } from "../../src/index/pgvector/indexer";
import { loadCorpusDir, loadOptionsFrom } from "../../src/corpus/load-node";
import { fingerprintedId, selectConfiguredEmbedder } from "../../src/node/embedder";
import { createDefaultAnalyzer } from "../../src/pipeline";
import { sidecarText } from "../../src/server/upload-node";
import { createNodeEngine } from "../../src/node/engine";
import type { DevDatabase } from "../../scripts/lib/pglite-server";
import { scratchFolder, startPgFixture, type PgFixture } from "./pg-fixture";
import { REAL_ARTICLE } from "../reliability/helpers";

const { root, corpusDir } = scratchFolder("pg-originals-");
let fixture: PgFixture | undefined;
let database: DevDatabase;
let store: PgStore;
const silent = createLogger("silent");
const ALEXANDRIA = "تقع مدينة الإسكندرية على ساحل البحر المتوسط. أسسها الإسكندر الأكبر سنة 331 قبل الميلاد.\n";
const ASWAN = "يقع السد العالي قرب مدينة أسوان في جنوب مصر، واكتمل بناؤه سنة 1970.\n";

beforeAll(async () => {
  fixture = await startPgFixture(root, corpusDir);
  ({ database, store } = fixture);
});
afterAll(() => fixture?.stop());

const config = (): Config => loadConfig({ VECTOR_STORE: "pgvector", DATABASE_URL: database.url, CORPUS_DIR: corpusDir, EMBEDDER: "hashing", PG_POLL_MS: "0" });
const index = () => createNodeEngine(config(), silent, { pg: { store, index: "always" } });
const count = async (sql: string, values: unknown[] = []) => Number((await store.pool.query(sql, values)).rows[0].n);
const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest();

describe("schema migration 2", () => {
  it("a store at version 1 with a generation migrates in place, keeps serving it, and its next run stores the originals and adopts its uploads", async () => {
    // A generation written before the store kept originals or uploads, with an upload that lives only in this folder.
    const legacy = Buffer.from("رفع هذا النص قبل أن يحفظ المخزن الملفات المرفوعة، وفيه افتتاح مختبر المياه في ود مدني.\n");
    const hex = sha256Of(legacy).toString("hex").slice(0, 16);
    mkdirSync(join(corpusDir, "uploads"));
    writeFileSync(join(corpusDir, "uploads", `${hex}.txt`), legacy);
    writeFileSync(join(corpusDir, "uploads", `${hex}.meta.json`), sidecarText({ title: "مرفوع قديم" }));
    const settings = config();
    const { corpus, hash, warnings } = await loadCorpusDir(corpusDir, loadOptionsFrom(settings));
    const { embedder } = await selectConfiguredEmbedder(settings, createDefaultAnalyzer(), corpus.passages.map((p) => p.text));
    const built = await indexCorpus({
      store,
      corpus,
      warnings,
      corpusHash: `${hash}:w${settings.PASSAGE_WINDOW}s${settings.PASSAGE_STRIDE}`,
      embedderId: await fingerprintedId(embedder),
      dimension: embedder.dimension,
      embed: (texts) => embedder.embed(texts, "passage"),
      sentenceVectors: false,
      hnsw: { M: settings.HNSW_M, efConstruction: settings.HNSW_EF_CONSTRUCTION },
    });
    // Back to what version 1 had: no originals, no uploads, no column for them.
    await store.pool.query("DROP TABLE qa_originals; DROP TABLE qa_uploads; ALTER TABLE qa_documents DROP COLUMN original_sha256, DROP COLUMN original_format");
    await store.pool.query("UPDATE qa_meta SET value = '1' WHERE key = 'schema_version'");
    await store.close();

    store = fixture!.store = await openPgStore({ url: database.url });
    expect((await store.pool.query("SELECT value FROM qa_meta WHERE key = 'schema_version'")).rows).toEqual([{ value: String(SCHEMA_VERSION) }]);
    const serving = await createNodeEngine(config(), silent, { pg: { store, index: "never" } });
    expect(serving.generation).toBe(built.generation);
    const answer = await serving.engine.answer({ question: "أين افتتح مختبر المياه؟", topK: 3, history: [] });
    expect(answer.citations[0].docId).toBe(`uploads-${hex}`);
    await expect(serving.readOriginal!("article")).rejects.toMatchObject({ code: "ORIGINAL_NOT_AVAILABLE" });

    // The same corpus: nothing is re-indexed, but the upload goes into the store and the generation gets its originals.
    const again = await index();
    expect(again.generation).toBe(built.generation);
    expect(again.health().index.loaded).toBe(true);
    expect((await store.pool.query("SELECT name, sidecar FROM qa_uploads")).rows).toEqual([{ name: `uploads/${hex}.txt`, sidecar: { title: "مرفوع قديم" } }]);
    const original = await again.readOriginal!("article");
    expect(original.format).toBe("text");
    expect(Buffer.from(original.bytes).equals(readFileSync(REAL_ARTICLE))).toBe(true);
    expect(Buffer.from((await again.readOriginal!(`uploads-${hex}`)).bytes).equals(legacy)).toBe(true);

    // Deleted from the store (as DELETE on any server does): the next run drops the folder's copy.
    await store.pool.query("DELETE FROM qa_uploads");
    const after = await index();
    expect(after.engine.getDocument(`uploads-${hex}`)).toBeUndefined();
    expect(existsSync(join(corpusDir, "uploads", `${hex}.txt`))).toBe(false);
  });
});

describe("originals in the store", () => {
  it("are stored once per content, read by document id from the generation served, and collected when nothing refers to them", async () => {
    writeFileSync(join(corpusDir, "alexandria.txt"), ALEXANDRIA);
    const withAlexandria = await index();
    expect(Buffer.from((await withAlexandria.readOriginal!("alexandria")).bytes).toString("utf8")).toBe(ALEXANDRIA);

    rmSync(join(corpusDir, "alexandria.txt"));
    const without = await index();
    await expect(without.readOriginal!("alexandria")).rejects.toMatchObject({ code: "ORIGINAL_NOT_AVAILABLE" });
    // The generation before is kept for servers still on it, and so is what it refers to.
    expect(Buffer.from((await withAlexandria.readOriginal!("alexandria")).bytes).toString("utf8")).toBe(ALEXANDRIA);
    expect(await count("SELECT count(*) AS n FROM qa_originals WHERE sha256 = $1", [sha256Of(Buffer.from(ALEXANDRIA))])).toBe(1);

    writeFileSync(join(corpusDir, "aswan.txt"), ASWAN);
    await index(); // its garbage collection drops the generation that had alexandria
    expect(await count("SELECT count(*) AS n FROM qa_originals WHERE sha256 = $1", [sha256Of(Buffer.from(ALEXANDRIA))])).toBe(0);
    expect(await count("SELECT count(*) AS n FROM qa_originals")).toBe(2); // the article's and aswan's

    // An upload's bytes stay while the upload is listed, even before any generation has its document.
    const uploadBytes = Buffer.from("نص مرفوع لم يفهرس بعد.\n");
    await store.pool.query("INSERT INTO qa_originals (sha256, format, bytes, created_at) VALUES ($1, 'text', $2, now() - interval '1 hour')", [sha256Of(uploadBytes), uploadBytes]);
    await store.pool.query("INSERT INTO qa_uploads (name, sha256) VALUES ($1, $2)", [`uploads/${sha256Of(uploadBytes).toString("hex").slice(0, 16)}.txt`, sha256Of(uploadBytes)]);
    expect((await collectGarbage(store.pool, new Date())).originals).toBe(0);
    await store.pool.query("DELETE FROM qa_uploads");
    expect((await collectGarbage(store.pool, new Date())).originals).toBe(1);
    expect(await count("SELECT count(*) AS n FROM qa_originals")).toBe(2);
    rmSync(join(corpusDir, "aswan.txt"));
  });
});
