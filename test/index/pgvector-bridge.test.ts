// The model's cross-lingual bridge words kept in the Postgres store (src/index/pgvector/query-vectors.ts)
// and schema migration 3, on PGlite with pgvector served over the wire in this process. The
// embedder is the fake OpenAI-compatible server (a multilingual embedder to the engine, so the
// bridge is built), which lets the test count every word it is asked to embed.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../src/config";
import type { Logger } from "../../src/log";
import { loadCorpusDir, loadOptionsFrom } from "../../src/corpus/load-node";
import { openPgStore, SCHEMA_VERSION, type PgStore } from "../../src/index/pgvector/schema";
import { activeGeneration } from "../../src/index/pgvector/reader";
import { loadQueryVectors, queryKey } from "../../src/index/pgvector/query-vectors";
import { createNodeEngine } from "../../src/node/engine";
import { selectConfiguredEmbedder } from "../../src/node/embedder";
import { modelBridge } from "../../src/node/bridge-index";
import { bridgeEntries, createDefaultAnalyzer } from "../../src/pipeline";
import { createBridge } from "../../src/retrieve/bridge";
import { startDevDatabase, type DevDatabase } from "../../scripts/lib/pglite-server";
import { startFakeEmbeddingsServer, type FakeServer } from "../embed/fake-embeddings-server";
import { REAL_ARTICLE } from "../reliability/helpers";

const root = mkdtempSync(join(tmpdir(), "pg-bridge-"));
const corpusDir = join(root, "corpus");
const ALEXANDRIA = "تقع مدينة الإسكندرية على ساحل البحر المتوسط. أسسها الإسكندر الأكبر سنة 331 قبل الميلاد.\n\nاشتهرت المدينة بمكتبتها القديمة ومنارتها.\n";
const ASWAN = "يقع السد العالي قرب مدينة أسوان في جنوب مصر، واكتمل بناؤه سنة 1970.\n";
let database: DevDatabase;
let store: PgStore;
let embeddings: FakeServer;
const analyzer = createDefaultAnalyzer();

beforeAll(async () => {
  mkdirSync(corpusDir);
  copyFileSync(REAL_ARTICLE, join(corpusDir, "article.txt"));
  [database, embeddings] = await Promise.all([startDevDatabase(), startFakeEmbeddingsServer()]);
  store = await openPgStore({ url: database.url });
});
afterAll(async () => {
  await store?.close();
  await database?.stop();
  await embeddings?.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  embeddings.requests.length = 0;
});

const config = (): Config =>
  loadConfig({
    VECTOR_STORE: "pgvector",
    DATABASE_URL: database.url,
    CORPUS_DIR: corpusDir,
    PG_POLL_MS: "0",
    EMBEDDER: "openai",
    EMBEDDINGS_URL: embeddings.url,
    EMBEDDINGS_MODEL: "fake-multilingual",
    EMBEDDINGS_MARK: "input_type",
  });

/** A logger that keeps its lines. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string) => void lines.push(message);
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}
const serve = (log: Logger = recordingLogger()) => createNodeEngine(config(), log, { pg: { store, index: "never" } });
const index = (log: Logger = recordingLogger()) => createNodeEngine(config(), log, { pg: { store, index: "always" } });

/** The corpus folder's bridge vocabulary, as the indexer and the servers compute it. */
async function wordsOfFolder(): Promise<string[]> {
  const { corpus } = await loadCorpusDir(corpusDir, loadOptionsFrom(config()));
  return bridgeEntries(corpus, analyzer);
}

/** How many times the fake server was asked to embed each of these words as a query since the test began. */
function embeddedAsQueries(words: readonly string[]): Map<string, number> {
  const wanted = new Set(words);
  const times = new Map<string, number>();
  for (const { body } of embeddings.requests) {
    if (body.input_type !== "query") continue;
    for (const text of body.input) if (wanted.has(text)) times.set(text, (times.get(text) ?? 0) + 1);
  }
  return times;
}

async function storedKeys(words: readonly string[]): Promise<Set<string>> {
  const rows = await store.pool.query<{ text_hash: Buffer }>("SELECT text_hash FROM qa_vectors WHERE text_hash = ANY($1::bytea[])", [words.map(queryKey)]);
  return new Set(rows.rows.map((r) => r.text_hash.toString("hex")));
}
const isStored = (keys: Set<string>, word: string) => keys.has(queryKey(word).toString("hex"));

describe("the bridge's words in the store", () => {
  it("are embedded once in all, by the indexer: the server that indexed and a second server read them and embed none", async () => {
    const words = await wordsOfFolder();
    expect(words.length).toBeGreaterThan(200);
    const indexLog = recordingLogger();
    const first = await index(indexLog);
    const times = embeddedAsQueries(words);
    expect(times.size).toBe(words.length);
    expect([...times.values()].every((n) => n === 1)).toBe(true);
    expect(indexLog.lines.join("\n")).toContain(`bridge: ${words.length} Arabic words and phrases (${words.length} read from the store, 0 embedded)`);
    expect(Number((await store.pool.query("SELECT count(*) AS n FROM qa_bridge_words WHERE generation = $1", [first.generation])).rows[0].n)).toBe(words.length);

    embeddings.requests.length = 0;
    const log = recordingLogger();
    const second = await serve(log);
    expect(second.generation).toBe(first.generation);
    expect(embeddedAsQueries(words).size).toBe(0);
    expect(log.lines.join("\n")).toContain(`(${words.length} read from the store, 0 embedded)`);
    // The bridge works: an English question's word reaches Arabic words of the corpus.
    const question = { question: "Who is the secretary of the Security Council?", topK: 3, history: [] };
    expect((await second.engine.answer(question)).citations).toEqual((await first.engine.answer(question)).citations);
  });

  it("give the same bridged words, read from the store, as embedded afresh", async () => {
    const words = await wordsOfFolder();
    const active = (await activeGeneration(store.pool))!;
    const { embedder } = await selectConfiguredEmbedder(config(), analyzer, []);
    const embed = (texts: string[]) => embedder.embed(texts, "query");
    const stored = await loadQueryVectors(store.pool, active.id, { embedderId: active.embedderId, dimension: embedder.dimension, texts: words, embed });
    expect(stored).toMatchObject({ read: words.length, embedded: 0 });
    const fresh = await embed(words);
    stored.vectors.forEach((vector, i) => expect(vector).toEqual(fresh[i]));

    // Exact search (no HNSW graph) and a low floor, so the comparison does not depend on the fake vectors' spread.
    const bridgeOf = (vectors: Float32Array[]) => createBridge({ entries: words, vectors: modelBridge(words, vectors, embedder.dimension).vectors, dimension: embedder.dimension, embed, floor: 0.5 });
    const asked = ["security", "council", "Belarus", "agreement", "December", "president", "concept"];
    const fromStore = await bridgeOf(stored.vectors)(asked);
    const fromModel = await bridgeOf(fresh)(asked);
    expect([...fromStore.values()].some((entries) => entries.length > 0)).toBe(true);
    expect(fromStore).toEqual(fromModel);
  });

  it("are still served when the store refuses to keep them: embedded, reported, not recorded", async () => {
    const words = (await wordsOfFolder()).slice(0, 50);
    const active = (await activeGeneration(store.pool))!;
    await store.pool.query("DELETE FROM qa_vectors WHERE text_hash = ANY($1::bytea[])", [words.slice(0, 10).map(queryKey)]);
    // A role that may read the store but not write to it.
    const readOnly = {
      query: (sql: string, values?: unknown[]) => (/^\s*INSERT/i.test(sql) ? Promise.reject(Object.assign(new Error("permission denied for table qa_vectors"), { code: "42501" })) : store.pool.query(sql, values)),
    } as unknown as Pick<PgStore["pool"], "query">;
    const { embedder } = await selectConfiguredEmbedder(config(), analyzer, []);
    const embed = (texts: string[]) => embedder.embed(texts, "query");
    const loaded = await loadQueryVectors(readOnly, active.id, { embedderId: active.embedderId, dimension: embedder.dimension, texts: words, embed });
    expect(loaded).toMatchObject({ read: 40, embedded: 10, storeFailed: "permission denied for table qa_vectors" });
    const fresh = await embed(words);
    loaded.vectors.forEach((vector, i) => expect(vector).toEqual(fresh[i]));
    expect((await storedKeys(words.slice(0, 10))).size).toBe(0);
    // Put back for the tests that follow.
    expect(await loadQueryVectors(store.pool, active.id, { embedderId: active.embedderId, dimension: embedder.dimension, texts: words, embed })).toMatchObject({ read: 40, embedded: 10 });
  });

  it("are kept by garbage collection while a remaining generation uses them, and dropped after", async () => {
    const before = await wordsOfFolder();
    writeFileSync(join(corpusDir, "alexandria.txt"), ALEXANDRIA);
    const withAlexandria = await index();
    const alexandriaOnly = (await wordsOfFolder()).filter((word) => !before.includes(word));
    expect(alexandriaOnly.length).toBeGreaterThan(3);
    // Only the new document's new words were embedded.
    const times = embeddedAsQueries(await wordsOfFolder());
    expect(new Set(times.keys())).toEqual(new Set(alexandriaOnly));

    rmSync(join(corpusDir, "alexandria.txt"));
    const without = await index();
    expect(without.generation).toBeGreaterThan(withAlexandria.generation!);
    // The generation before the active one stays for servers still on it, and so do its words.
    let keys = await storedKeys(alexandriaOnly);
    expect(alexandriaOnly.every((word) => isStored(keys, word))).toBe(true);

    writeFileSync(join(corpusDir, "aswan.txt"), ASWAN);
    const withAswan = await index();
    const activeWords = await wordsOfFolder();
    // Alexandria's words that Aswan's document does not use too (it shares "مدينة", "سنة") are no generation's now.
    const unused = alexandriaOnly.filter((word) => !activeWords.includes(word));
    expect(unused.length).toBeGreaterThan(3);
    keys = await storedKeys(unused);
    expect(unused.filter((word) => isStored(keys, word))).toEqual([]);
    const activeKeys = await storedKeys(activeWords);
    expect(activeWords.every((word) => isStored(activeKeys, word))).toBe(true);
    const recorded = (await store.pool.query<{ generation: string }>("SELECT DISTINCT generation FROM qa_bridge_words ORDER BY generation")).rows.map((r) => Number(r.generation));
    expect(recorded).toEqual([without.generation, withAswan.generation]);
    rmSync(join(corpusDir, "aswan.txt"));
  });
});

describe("schema migration 3", () => {
  /** Back to what version 2 had: no qa_bridge_words, and no query vectors (the servers embedded the words at every start). */
  async function downgrade(words: readonly string[]): Promise<void> {
    await store.pool.query("DROP TABLE qa_bridge_words");
    await store.pool.query("DELETE FROM qa_vectors WHERE text_hash = ANY($1::bytea[])", [words.map(queryKey)]);
    await store.pool.query("UPDATE qa_meta SET value = '2' WHERE key = 'schema_version'");
    await store.close();
    store = await openPgStore({ url: database.url });
    expect((await store.pool.query("SELECT value FROM qa_meta WHERE key = 'schema_version'")).rows).toEqual([{ value: String(SCHEMA_VERSION) }]);
  }

  it("a version-2 generation keeps serving: the first server embeds its words once and stores them, the next reads them", async () => {
    const generation = (await index()).generation;
    const words = await wordsOfFolder();
    await downgrade(words);

    embeddings.requests.length = 0;
    const log = recordingLogger();
    const first = await serve(log);
    expect(first.generation).toBe(generation);
    expect(embeddedAsQueries(words).size).toBe(words.length);
    expect(log.lines.join("\n")).toContain(`(0 read from the store, ${words.length} embedded)`);

    embeddings.requests.length = 0;
    const second = await serve();
    expect(second.generation).toBe(generation);
    expect(embeddedAsQueries(words).size).toBe(0);
  });

  it("an indexing run on the same corpus fills a version-2 generation's words in, without writing a generation", async () => {
    const generation = (await activeGeneration(store.pool))!.id;
    const words = await wordsOfFolder();
    await downgrade(words);

    embeddings.requests.length = 0;
    const run = await index();
    expect(run.generation).toBe(generation);
    expect(run.health().index.loaded).toBe(true);
    const times = embeddedAsQueries(words);
    expect(times.size).toBe(words.length);
    expect([...times.values()].every((n) => n === 1)).toBe(true);

    embeddings.requests.length = 0;
    await serve();
    expect(embeddedAsQueries(words).size).toBe(0);
  });
});
