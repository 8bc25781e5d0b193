// Node adapter: vectors kept in qa_vectors, embedded only when missing (ensureStoredVectors: the
// indexer's passages and sentences, and the bridge's words), and the model's cross-lingual bridge
// vocabulary (retrieve/bridge.ts) read back, so a server reads its vectors instead of embedding
// thousands of words at every start.
//
// The words are embedded as queries and kept in qa_vectors, the embedding cache every process
// shares, under the hash of the text the model reads, "query: <word>": the convention of the Node
// vector cache (node/bridge-index.ts), under which no passage or sentence vector is ever kept.
// qa_bridge_words records which of them each generation uses, so the garbage collection keeps them
// as it keeps a generation's passages' and sentences' vectors (indexer.ts).
import { createHash } from "node:crypto";
import type pg from "pg";
import { createError } from "../../errors";
import { QUERY_PREFIX } from "../../node/bridge-index";
import { parseVectorInto, vectorLiteral } from "./reader";
import { describePgError } from "./schema";

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.Client, "query">;

/**
 * Keys per look-up (one bytea[] parameter), vectors per read and per insert: 384 floats are ~4 kB
 * as text, so a read of 1,000 is ~4 MB, well inside the pool's query timeout even on PGlite.
 */
const LOOKUP_BATCH = 5000;
const READ_BATCH = 1000;
const INSERT_BATCH = 256;

/** The qa_vectors key of a text embedded as a query. */
export const queryKey = (text: string): Buffer => createHash("sha256").update(`${QUERY_PREFIX}${text}`).digest();

export interface QueryVectorsOptions {
  embedderId: string;
  dimension: number;
  texts: readonly string[];
  /** Embeds texts as queries, in order. */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  batchSize?: number;
  /** Called with how many were embedded so far. */
  onEmbedded?: (count: number) => void;
}

/** Any texts' vectors in qa_vectors: under which key each is kept, and what to call them in an error. */
export interface StoredVectorsOptions extends QueryVectorsOptions {
  keyOf: (text: string) => Buffer;
  /** Names the vectors in a dimension error ("An embedding", "A word's embedding"). */
  what: string;
}

/** The hex keys among `keys` that qa_vectors holds for this embedder (keys only, no vectors read). */
async function storedKeys(db: Queryable, embedderId: string, keys: Buffer[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += LOOKUP_BATCH) {
    const rows = await db.query<{ text_hash: Buffer }>("SELECT text_hash FROM qa_vectors WHERE embedder_id = $1 AND text_hash = ANY($2::bytea[])", [embedderId, keys.slice(i, i + LOOKUP_BATCH)]);
    for (const row of rows.rows) found.add(row.text_hash.toString("hex"));
  }
  return found;
}

/**
 * Embeds these texts as queries, batch by batch, handing each batch to `stored` before the next
 * starts (each insert commits on its own), so an interrupted run keeps what it paid for.
 */
async function embedInBatches(options: QueryVectorsOptions & { what: string }, texts: string[], stored: (texts: string[], vectors: Float32Array[]) => Promise<void>): Promise<Float32Array[]> {
  const { dimension, what } = options;
  const batchSize = options.batchSize ?? 64;
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const fresh = await options.embed(batch);
    if (fresh.length !== batch.length) throw createError("VECTOR_COUNT_MISMATCH", batch.length, fresh.length);
    for (const v of fresh) if (v.length !== dimension) throw createError("DIMENSION_MISMATCH", dimension, v.length, what);
    await stored(batch, fresh);
    vectors.push(...fresh);
    options.onEmbedded?.(vectors.length);
  }
  return vectors;
}

/** One statement per INSERT_BATCH, each committed on its own: kept even if the run stops later. */
async function insertVectors(db: Queryable, embedderId: string, keys: Buffer[], vectors: Float32Array[]): Promise<void> {
  for (let i = 0; i < keys.length; i += INSERT_BATCH) {
    await db.query(
      `INSERT INTO qa_vectors (embedder_id, text_hash, embedding)
       SELECT $1, h, e::vector FROM unnest($2::bytea[], $3::text[]) AS u(h, e)
       ON CONFLICT (embedder_id, text_hash) DO NOTHING`,
      [embedderId, keys.slice(i, i + INSERT_BATCH), vectors.slice(i, i + INSERT_BATCH).map(vectorLiteral)],
    );
  }
}

const insertQueryVectors = (db: Queryable, embedderId: string, texts: string[], vectors: Float32Array[]) => insertVectors(db, embedderId, texts.map(queryKey), vectors);

/**
 * The indexer's side: makes qa_vectors hold every text's vector, embedding only those it lacks (a
 * corpus that changed by one document embeds that document's new texts only). Used for passages
 * and sentences (keyed by their text) and for the bridge's words (keyed as queries).
 */
export async function ensureStoredVectors(
  db: Queryable,
  options: StoredVectorsOptions & { onProgress?: (done: number, total: number) => void },
): Promise<{ embedded: number; stored: number }> {
  const { keyOf } = options;
  const keys = new Map<string, Buffer>();
  for (const text of options.texts) if (!keys.has(text)) keys.set(text, keyOf(text));
  const texts = [...keys.keys()];
  const found = await storedKeys(db, options.embedderId, [...keys.values()]);
  const missing = texts.filter((text) => !found.has(keys.get(text)!.toString("hex")));
  const stored = texts.length - missing.length;
  options.onProgress?.(stored, texts.length);
  const onEmbedded = (count: number) => {
    options.onEmbedded?.(count);
    options.onProgress?.(stored + count, texts.length);
  };
  await embedInBatches({ ...options, onEmbedded }, missing, (batch, vectors) => insertVectors(db, options.embedderId, batch.map((t) => keys.get(t)!), vectors));
  return { embedded: missing.length, stored };
}

/** ensureStoredVectors for texts embedded as queries (the bridge's words). */
export const ensureQueryVectors = (db: Queryable, options: QueryVectorsOptions & { onProgress?: (done: number, total: number) => void }) =>
  ensureStoredVectors(db, { ...options, keyOf: queryKey, what: "A word's embedding" });

/** Records that the generation uses these texts' query vectors (idempotent), so garbage collection keeps them. */
export async function recordBridgeWords(db: Queryable, generation: number, texts: readonly string[]): Promise<void> {
  const keys = [...new Set(texts)].map(queryKey);
  for (let i = 0; i < keys.length; i += LOOKUP_BATCH) {
    await db.query("INSERT INTO qa_bridge_words (generation, text_hash) SELECT $1, unnest($2::bytea[]) ON CONFLICT DO NOTHING", [generation, keys.slice(i, i + LOOKUP_BATCH)]);
  }
}

/** How many query vectors the generation has recorded (the indexer records them all with its rows). */
export async function countBridgeWords(db: Queryable, generation: number): Promise<number> {
  return Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM qa_bridge_words WHERE generation = $1", [generation])).rows[0].n);
}

export interface LoadedQueryVectors {
  /** One per text, in order. */
  vectors: Float32Array[];
  /** Read from qa_vectors / embedded now (a generation indexed before the store kept them). */
  read: number;
  embedded: number;
  /** Set when the embedded vectors could not be stored (they still serve this process). */
  storeFailed?: string;
}

/**
 * A server's side: the texts' query vectors read from qa_vectors, and only the missing ones
 * embedded; those are stored and recorded for the generation, so the next server reads them.
 * Storing is best-effort: a store this process may read but not write still serves.
 */
export async function loadQueryVectors(db: Queryable, generation: number, options: QueryVectorsOptions): Promise<LoadedQueryVectors> {
  const { embedderId, dimension, texts } = options;
  const keys = texts.map(queryKey);
  const byKey = new Map<string, Float32Array>();
  for (let i = 0; i < keys.length; i += READ_BATCH) {
    // As text ('[0.1,…]'), as loadSentenceVectors reads them: pg has no binary decoder for vector.
    const rows = await db.query<{ text_hash: Buffer; e: string }>(
      "SELECT text_hash, embedding::text AS e FROM qa_vectors WHERE embedder_id = $1 AND text_hash = ANY($2::bytea[])",
      [embedderId, keys.slice(i, i + READ_BATCH)],
    );
    for (const row of rows.rows) {
      const vector = new Float32Array(dimension);
      parseVectorInto(row.e, vector, 0, dimension);
      byKey.set(row.text_hash.toString("hex"), vector);
    }
  }
  const hexKeys = keys.map((key) => key.toString("hex"));
  const missing = [...new Set(texts.filter((_, i) => !byKey.has(hexKeys[i])))];
  let storeFailed: string | undefined;
  const fresh = await embedInBatches({ ...options, what: "A word's embedding" }, missing, async (batch, vectors) => {
    if (storeFailed) return;
    await insertQueryVectors(db, embedderId, batch, vectors).catch((error) => (storeFailed = describePgError(error)));
  });
  missing.forEach((text, i) => byKey.set(queryKey(text).toString("hex"), fresh[i]));
  if (!storeFailed && (missing.length > 0 || (await countBridgeWords(db, generation)) < new Set(texts).size)) {
    await recordBridgeWords(db, generation, texts).catch((error) => (storeFailed = describePgError(error)));
  }
  const read = texts.length - missing.length;
  return { vectors: hexKeys.map((key) => byKey.get(key)!), read, embedded: missing.length, ...(storeFailed ? { storeFailed } : {}) };
}
