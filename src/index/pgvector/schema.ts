// Node adapter: the Postgres + pgvector store's connection and schema (VECTOR_STORE=pgvector).
//
// Tables (all prefixed qa_, so the store can share a database with other things):
//   qa_meta         key → value: schema_version, active_generation (the pointer readers follow)
//   qa_generations  one row per indexing run: what it was built from, when it completed
//   qa_documents    (generation, position) → id, metadata, the full text, paragraph spans
//   qa_sentences    (generation, position) → document, paragraph/sentence numbers, span, text hash
//   qa_passages     (generation, position) → document, paragraph, span, sentence range, text hash,
//                   and a copy of its vector, under one partial HNSW index per generation
//   qa_vectors      (embedder_id, sha256(text)) → vector: the embedding cache every process shares
//   qa_originals    sha256 → format, bytes: every document's original file, content-addressed
//                   (GET /api/documents/:id/original reads it through qa_documents.original_sha256)
//   qa_uploads      name ("uploads/<16 hex>.<ext>") → sha256, sidecar: the uploads every server's
//                   corpus includes; CORPUS_DIR/uploads/ is a cache of it (src/node/pg-uploads.ts)
//   qa_bridge_words (generation, sha256("query: " + word)): the qa_vectors the generation's
//                   cross-lingual bridge uses (query-vectors.ts), kept by garbage collection
// Sentence and passage texts are not stored: they are slices of their document's text (the
// corpus invariant), rebuilt when a generation is loaded.
//
// Migrations are a list of idempotent steps (CREATE … IF NOT EXISTS); schema_version records how
// many have run, so a newer schema is refused rather than misread.
import pg from "pg";
import { createError, AppError } from "../../errors";
import { redactUrl } from "../../config";

export const SCHEMA_VERSION = 3;

const MIGRATIONS: string[][] = [
  // 1: the tables above.
  [
    `CREATE TABLE IF NOT EXISTS qa_meta (key text PRIMARY KEY, value text NOT NULL)`,
    `CREATE SEQUENCE IF NOT EXISTS qa_generation_seq`,
    `CREATE TABLE IF NOT EXISTS qa_generations (
       id bigint PRIMARY KEY,
       embedder_id text NOT NULL,
       dimension int NOT NULL,
       corpus_hash text NOT NULL,
       hnsw_m int NOT NULL,
       hnsw_ef_construction int NOT NULL,
       counts jsonb NOT NULL,
       examples jsonb,
       warnings jsonb NOT NULL DEFAULT '[]',
       started_at timestamptz NOT NULL DEFAULT now(),
       completed_at timestamptz,
       build_ms int
     )`,
    `CREATE TABLE IF NOT EXISTS qa_documents (
       generation bigint NOT NULL, position int NOT NULL, id text NOT NULL, meta jsonb NOT NULL,
       text text NOT NULL, paragraphs jsonb NOT NULL,
       PRIMARY KEY (generation, position))`,
    `CREATE TABLE IF NOT EXISTS qa_sentences (
       generation bigint NOT NULL, position int NOT NULL, document int NOT NULL,
       paragraph int NOT NULL, sentence int NOT NULL, start_at int NOT NULL, end_at int NOT NULL,
       text_hash bytea NOT NULL,
       PRIMARY KEY (generation, position))`,
    `CREATE TABLE IF NOT EXISTS qa_passages (
       generation bigint NOT NULL, position int NOT NULL, document int NOT NULL, paragraph int NOT NULL,
       start_at int NOT NULL, end_at int NOT NULL, first_sentence int NOT NULL, sentence_count int NOT NULL,
       text_hash bytea NOT NULL, embedding vector NOT NULL,
       PRIMARY KEY (generation, position))`,
    `CREATE TABLE IF NOT EXISTS qa_vectors (
       embedder_id text NOT NULL, text_hash bytea NOT NULL, embedding vector NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (embedder_id, text_hash))`,
  ],
  // 2: originals and uploads in the store, so any server serves any document's original and every
  // server's indexing run includes every upload. A schema-1 generation keeps serving: its documents
  // get no original until a run stores them (indexer.ts fills them in even when it reuses it).
  [
    `CREATE TABLE IF NOT EXISTS qa_originals (
       sha256 bytea PRIMARY KEY, format text NOT NULL, bytes bytea NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE IF NOT EXISTS qa_uploads (
       name text PRIMARY KEY, sha256 bytea NOT NULL, sidecar jsonb,
       created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX IF NOT EXISTS qa_uploads_sha256 ON qa_uploads (sha256)`,
    `ALTER TABLE qa_documents ADD COLUMN IF NOT EXISTS original_sha256 bytea`,
    `ALTER TABLE qa_documents ADD COLUMN IF NOT EXISTS original_format text`,
  ],
  // 3: which query vectors (the bridge's words, kept in qa_vectors) each generation uses. A
  // generation written before has no rows: the first server to serve it embeds its words, once,
  // and records them (query-vectors.ts). Garbage collection cannot tell a word's vector from an
  // unused one by its key (a hash), and recomputing every live generation's vocabulary there would
  // need the analyzer and every document's text; a row per word is the simplest record it can join.
  [
    `CREATE TABLE IF NOT EXISTS qa_bridge_words (
       generation bigint NOT NULL, text_hash bytea NOT NULL,
       PRIMARY KEY (generation, text_hash))`,
  ],
];

export interface PgStoreOptions {
  url: string;
  /** Connections in the pool (per process). */
  max?: number;
  /** A query that takes longer fails (the request gets a 503) instead of hanging; default 5000 ms. */
  queryTimeoutMs?: number;
  /** Giving up on a connection attempt; default 3000 ms. */
  connectTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface PgStore {
  pool: pg.Pool;
  /** The URL without its password, for messages. */
  where: string;
  /** A client without a query timeout, for indexing (an HNSW build can take minutes); release it when done. */
  connectForWrites(): Promise<pg.Client>;
  close(): Promise<void>;
}

/**
 * Connects, checks pgvector, and brings the schema up to date. Fails with a clear AppError
 * (STORE_CONNECT_FAILED, STORE_EXTENSION_MISSING, STORE_SCHEMA_NEWER), never with a raw driver error.
 */
export async function openPgStore(options: PgStoreOptions): Promise<PgStore> {
  const where = redactUrl(options.url);
  const log = options.log ?? (() => {});
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 10_000,
    query_timeout: options.queryTimeoutMs ?? 5000,
    application_name: "arabic-grounded-qa",
  });
  // A pooled connection that breaks while idle (the database restarted) must not crash the process:
  // the pool drops it and the next query opens a new one.
  let lastLogged = 0;
  pool.on("error", (error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    log(`postgres: an idle connection failed (${describePgError(error)}); it will be reopened`);
  });
  const store: PgStore = {
    pool,
    where,
    async connectForWrites() {
      const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs ?? 3000, application_name: "arabic-grounded-qa indexer" });
      client.on("error", () => {}); // reported by the query that fails
      try {
        await client.connect();
      } catch (error) {
        throw createError("STORE_CONNECT_FAILED", where, describePgError(error));
      }
      return client;
    },
    close: () => pool.end(),
  };
  try {
    await migrate(store);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return store;
}

async function migrate(store: PgStore): Promise<void> {
  const { pool, where } = store;
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    throw createError("STORE_CONNECT_FAILED", where, describePgError(error));
  }
  try {
    // IF NOT EXISTS: a role that may not create extensions still works where an owner already did.
    await pool.query("CREATE EXTENSION IF NOT EXISTS vector");
    await pool.query("SELECT '[1,0]'::vector <=> '[0,1]'::vector");
  } catch (error) {
    throw createError("STORE_EXTENSION_MISSING", where, describePgError(error));
  }
  try {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // One migrator at a time: the first statement creates qa_meta if needed, then it is locked.
      await client.query(MIGRATIONS[0][0]);
      await client.query("LOCK TABLE qa_meta IN EXCLUSIVE MODE");
      const row = await client.query<{ value: string }>("SELECT value FROM qa_meta WHERE key = 'schema_version'");
      const found = row.rows[0] ? Number(row.rows[0].value) : 0;
      if (found > SCHEMA_VERSION) throw createError("STORE_SCHEMA_NEWER", where, found, SCHEMA_VERSION);
      for (let version = found; version < SCHEMA_VERSION; version++) for (const statement of MIGRATIONS[version]) await client.query(statement);
      await client.query(
        `INSERT INTO qa_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(SCHEMA_VERSION)],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw createError("STORE_CONNECT_FAILED", where, `creating the schema failed: ${describePgError(error)}`);
  }
}

/** A short, safe description of a driver or server error (no SQL, no password). */
export function describePgError(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: unknown[] };
  if (e?.code === "ECONNREFUSED") return "connection refused";
  if (e?.code === "ENOTFOUND" || e?.code === "EAI_AGAIN") return "host not found";
  if (e?.code === "ECONNRESET" || e?.code === "EPIPE") return "connection lost";
  if (e?.code === "28P01" || e?.code === "28000") return "authentication failed";
  if (e?.code === "3D000") return "database does not exist";
  if (e?.code === "57P01" || e?.code === "57P03") return "the server is shutting down or starting";
  // AggregateError (IPv4 and IPv6 both refused): the first says enough.
  if (Array.isArray(e?.errors) && e.errors.length > 0) return describePgError(e.errors[0]);
  const message = String(e?.message ?? error).split("\n")[0];
  if (/timeout|timed out/i.test(message)) return "timed out";
  if (/Connection terminated|not queryable|ended/i.test(message)) return "connection lost";
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}

/** Any failure of a query that serves a request, as the 503 a client gets (the cause goes to the log). */
export function unavailable(error: unknown): AppError {
  return error instanceof AppError ? error : createError("STORE_UNAVAILABLE", describePgError(error));
}
