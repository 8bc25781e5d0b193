// The Postgres + pgvector store (src/index/pgvector) against a real Postgres-compatible server:
// PGlite with pgvector, served over the wire protocol in this process on a free port.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../src/config";
import { AppError } from "../../src/errors";
import { createLogger } from "../../src/log";
import { loadCorpusDir } from "../../src/corpus/load-node";
import { createExactIndex } from "../../src/index/exact";
import { openPgStore, SCHEMA_VERSION, type PgStore } from "../../src/index/pgvector/schema";
import { collectGarbage, indexCorpus } from "../../src/index/pgvector/indexer";
import { activeGeneration, createPgVectorIndex, loadGeneration } from "../../src/index/pgvector/reader";
import { createNodeEngine, type NodeEngine } from "../../src/node/engine";
import { createBuiltInEmbedder } from "../../src/pipeline";
import { startDevDatabase, type DevDatabase } from "../../scripts/lib/pglite-server";
import { scratchFolder, startPgFixture, type PgFixture } from "./pg-fixture";

const { root, corpusDir } = scratchFolder("pgvector-");
let fixture: PgFixture | undefined;
let database: DevDatabase;
let store: PgStore;
const silent = createLogger("silent");

const SECOND_DOCUMENT = "تقع مدينة الإسكندرية على ساحل البحر المتوسط. أسسها الإسكندر الأكبر سنة 331 قبل الميلاد.\n\nاشتهرت المدينة بمكتبتها القديمة ومنارتها.\n";

beforeAll(async () => {
  fixture = await startPgFixture(root, corpusDir);
  ({ database, store } = fixture);
});
afterAll(() => fixture?.stop());

const configFor = (extra: Record<string, string> = {}): Config =>
  loadConfig({ VECTOR_STORE: "pgvector", DATABASE_URL: database.url, CORPUS_DIR: corpusDir, EMBEDDER: "hashing", PG_POLL_MS: "0", ...extra });

/** An answer without its timings, which differ run to run. */
const answerOf = async (engine: NodeEngine, question: { question: string; topK: number; history: never[] }) => {
  const { timings: _, ...rest } = (await engine.engine.answer(question)) as { timings?: unknown };
  return rest;
};

async function count(sql: string): Promise<number> {
  return Number((await store.pool.query(sql)).rows[0].n);
}

describe("the pgvector store", () => {
  it("creates its schema once, records its version, and opens again without changing anything", async () => {
    const again = await openPgStore({ url: database.url });
    await again.close();
    const version = await store.pool.query("SELECT value FROM qa_meta WHERE key = 'schema_version'");
    expect(version.rows).toEqual([{ value: String(SCHEMA_VERSION) }]);
    expect(await count("SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE 'qa_%'")).toBe(9);
  });

  it("indexes the corpus once: a second run writes nothing, and serves the same generation", async () => {
    const first = await createNodeEngine(configFor(), silent, { pg: { store, index: "always" } });
    const generation = first.generation!;
    expect(first.health().index).toMatchObject({ kind: "pgvector", loaded: false });
    const rows = await count("SELECT count(*) AS n FROM qa_passages");
    const second = await createNodeEngine(configFor(), silent, { pg: { store, index: "always" } });
    expect(second.generation).toBe(generation);
    expect(second.health().index.loaded).toBe(true);
    expect(await count("SELECT count(*) AS n FROM qa_passages")).toBe(rows);
    expect(await count("SELECT count(*) AS n FROM qa_generations")).toBe(1);
    // The same answer, with the same citations, from either engine.
    const question = { question: "من هو أمين مجلس الأمن؟", topK: 3, history: [] };
    expect((await second.engine.answer(question)).citations).toEqual((await first.engine.answer(question)).citations);
  });

  it("rebuilds the corpus exactly as it was indexed, and searches it as an exact index does", async () => {
    const { corpus } = await loadCorpusDir(corpusDir, { windowSize: 3, stride: 2 });
    const active = (await activeGeneration(store.pool))!;
    const loaded = await loadGeneration(store.pool, active, { sentenceVectors: false });
    expect(loaded.corpus.documents).toEqual(corpus.documents);
    expect(loaded.corpus.sentences).toEqual(corpus.sentences);
    expect(loaded.corpus.passages).toEqual(corpus.passages);

    const embedder = createBuiltInEmbedder(corpus);
    const vectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
    const exact = createExactIndex(embedder.dimension, vectors);
    const index = createPgVectorIndex({ pool: store.pool, generation: active.id, dimension: embedder.dimension, size: corpus.passages.length, efSearch: 64 });
    for (const question of ["مجلس الأمن", "الاتحاد الروسي البيلاروسي", "المفهوم الأمني الجديد"]) {
      const [query] = await embedder.embed([question], "query");
      const got = await index.search(query, 10);
      const want = exact.search(query, 10);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((hit, i) => expect(hit.score).toBeCloseTo(want[i].score, 5));
    }
    // HNSW_EF_SEARCH may be up to 2000 (hnswlib); pgvector stops at 1000, and the search must still work.
    const wide = createPgVectorIndex({ pool: store.pool, generation: active.id, dimension: embedder.dimension, size: corpus.passages.length, efSearch: 2000 });
    expect(await wide.search((await embedder.embed(["مجلس الأمن"], "query"))[0], 5)).toHaveLength(5);
  });

  it("a changed corpus becomes a new generation; the one before stays for servers still on it, older ones go", async () => {
    const before = (await activeGeneration(store.pool))!;
    writeFileSync(join(corpusDir, "alexandria.txt"), SECOND_DOCUMENT);
    try {
      const engine = await createNodeEngine(configFor(), silent, { pg: { store, index: "always" } });
      expect(engine.generation).toBeGreaterThan(before.id);
      expect(engine.health().counts.documents).toBe(2);
      const answer = await engine.engine.answer({ question: "من أسس مدينة الإسكندرية؟", topK: 3, history: [] });
      expect(answer.abstained).toBe(false);
      expect(answer.citations[0].text).toContain("الإسكندرية");
      expect(await count("SELECT count(DISTINCT generation) AS n FROM qa_passages")).toBe(2);
      expect(await count(`SELECT count(*) AS n FROM pg_indexes WHERE indexname LIKE 'qa_passages_hnsw_g%'`)).toBe(2);
    } finally {
      rmSync(join(corpusDir, "alexandria.txt"));
    }
  });

  it("embeds only the texts the store has not seen with this embedder", async () => {
    const { corpus, hash } = await loadCorpusDir(corpusDir, { windowSize: 3, stride: 2 });
    const embedder = createBuiltInEmbedder(corpus);
    const embedded: string[] = [];
    const embed = async (texts: string[]) => (embedded.push(...texts), embedder.embed(texts, "passage"));
    const options = { store, corpus, corpusHash: `${hash}:test`, embedderId: "cache-test", dimension: embedder.dimension, embed, sentenceVectors: true, hnsw: { M: 16, efConstruction: 64 } };
    const first = await indexCorpus(options);
    expect(first.embedded).toBe(new Set([...corpus.passages, ...corpus.sentences].map((x) => x.text)).size);
    embedded.length = 0;
    const second = await indexCorpus({ ...options, force: true });
    expect(second.generation).toBeGreaterThan(first.generation);
    expect(embedded).toEqual([]);
    expect(second.cached).toBe(first.embedded);
  });

  it("an interrupted run leaves the previous generation serving, and the next run removes what it left", async () => {
    // Back to the hashing embedder's generation, which the engine below serves.
    const engine: NodeEngine = await createNodeEngine(configFor(), silent, { pg: { store, index: "always" } });
    const serving = engine.generation!;
    const question = { question: "من هو أمين مجلس الأمن؟", topK: 3, history: [] };
    const expected = await answerOf(engine, question);

    const { corpus, hash } = await loadCorpusDir(corpusDir, { windowSize: 3, stride: 2 });
    const embedder = createBuiltInEmbedder(corpus);
    for (const step of ["embedded", "rows", "index"] as const) {
      const run = indexCorpus({
        store,
        corpus,
        corpusHash: `${hash}:interrupted`,
        embedderId: engine.health().embedder.id + "-other",
        dimension: embedder.dimension,
        embed: (texts) => embedder.embed(texts, "passage"),
        sentenceVectors: false,
        hnsw: { M: 16, efConstruction: 64 },
        checkpoint: (at) => {
          if (at === step) throw new Error(`killed after ${step}`);
        },
      });
      await expect(run).rejects.toThrow(`killed after ${step}`);
      expect((await activeGeneration(store.pool))!.id).toBe(serving);
      expect(await answerOf(engine, question)).toEqual(expected);
    }
    // Three runs left rows behind (two with an index); none of them is served, and the next complete run removes them.
    expect(await count(`SELECT count(DISTINCT generation) AS n FROM qa_passages`)).toBe(4);
    const next = await createNodeEngine(configFor(), silent, { forceRebuild: true, pg: { store, index: "always" } });
    expect(next.generation).toBeGreaterThan(serving);
    // Left: the new generation and the one it replaced (which `engine` still answers from).
    expect(await count(`SELECT count(DISTINCT generation) AS n FROM qa_passages`)).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM pg_indexes WHERE indexname LIKE 'qa_passages_hnsw_g%'`)).toBe(2);
    expect(await answerOf(engine, question)).toEqual(expected);
    expect(await answerOf(next, question)).toEqual(expected);
    // A later run removes the one kept for stragglers.
    await collectGarbage(store.pool, new Date(0));
    expect(await count(`SELECT count(DISTINCT generation) AS n FROM qa_passages`)).toBe(2);
  });

  it("a run that missed a change to the uploads (mayFlip says no) writes its generation but leaves the active one serving", async () => {
    const active = (await activeGeneration(store.pool))!;
    const { corpus, hash } = await loadCorpusDir(corpusDir, { windowSize: 3, stride: 2 });
    const embedder = createBuiltInEmbedder(corpus);
    const result = await indexCorpus({
      store,
      corpus,
      corpusHash: `${hash}:stale`,
      embedderId: "stale-test",
      dimension: embedder.dimension,
      embed: (texts) => embedder.embed(texts, "passage"),
      sentenceVectors: false,
      hnsw: { M: 16, efConstruction: 64 },
      mayFlip: async () => false,
    });
    expect(result).toMatchObject({ reused: false, flipped: false });
    expect(result.generation).toBeGreaterThan(active.id);
    expect((await activeGeneration(store.pool))!.id).toBe(active.id);
  });

  it("a database without pgvector is refused with a clear message", async () => {
    const plain = await startDevDatabase({ withVector: false });
    try {
      const error = await openPgStore({ url: plain.url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("STORE_EXTENSION_MISSING");
      expect((error as AppError).message).toMatch(/no usable pgvector extension .*CREATE EXTENSION vector/);
    } finally {
      await plain.stop();
    }
  });

  it("a database that cannot be reached is a clear error that hides the password", async () => {
    const error = await openPgStore({ url: "postgres://postgres:s3cret@127.0.0.1:1/postgres", connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("STORE_CONNECT_FAILED");
    expect((error as AppError).message).toContain("postgres://postgres:***@127.0.0.1:1/postgres");
    expect((error as AppError).message).toContain("connection refused");
    expect((error as AppError).message).not.toContain("s3cret");
  });

  it("a database that goes away mid-request fails the search with STORE_UNAVAILABLE, and serves again when back", async () => {
    const dir = join(root, "going-away");
    const first = await startDevDatabase({ dir });
    const port = first.port;
    const own = await openPgStore({ url: first.url, queryTimeoutMs: 2000, connectTimeoutMs: 1000 });
    try {
      const engine = await createNodeEngine(configFor({ DATABASE_URL: first.url }), silent, { pg: { store: own, index: "always" } });
      const question = { question: "من هو أمين مجلس الأمن؟", topK: 3, history: [] };
      const expected = await answerOf(engine, question);
      await first.stop();
      const error = await engine.engine.answer(question).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("STORE_UNAVAILABLE");
      const back = await startDevDatabase({ dir, port });
      try {
        expect(await answerOf(engine, question)).toEqual(expected);
      } finally {
        await back.stop();
      }
    } finally {
      await own.close().catch(() => {});
    }
  });

  it("a pooled connection that breaks while idle does not crash the process", async () => {
    const other = await startDevDatabase();
    const own = await openPgStore({ url: other.url });
    await own.pool.query("SELECT 1"); // leaves an idle connection in the pool
    expect(own.pool.idleCount).toBeGreaterThan(0);
    await other.stop();
    // Without the pool's 'error' listener, the idle connection's error would have ended this process.
    await new Promise((r) => setTimeout(r, 300));
    await own.close().catch(() => {});
  });
});
