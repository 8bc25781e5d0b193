// Node adapter: writes a corpus into the Postgres store as a new generation, once, idempotently.
//
// 1. Nothing to do when the active generation was built from the same corpus hash, embedder and
//    HNSW parameters (a second run, or a second server starting on the same folder, writes nothing).
// 2. Texts whose vector is not yet in qa_vectors (keyed by embedder id + sha256 of the text, shared
//    by every process) are embedded and stored batch by batch, each batch committed at once, so an
//    interrupted run keeps what it paid for and the next run embeds only the rest.
// 3. The generation's rows (documents, sentences, passages with a copy of their vectors) are
//    written in short transactions, then its HNSW index is built: a partial index WHERE generation
//    = N, so a search of the active generation walks a graph of exactly its passages (no filtering
//    after the fact, no recall lost to rows of other generations; pgvector's iterative scans are
//    not needed) and the graph is built in bulk after the rows are in, which is faster than growing
//    it row by row.
// 4. Last, one transaction marks the generation complete and moves qa_meta.active_generation to it
//    (only forward: an older run finishing late never replaces a newer index). Until then readers
//    see the previous generation; a crash anywhere before leaves it serving, and the orphan rows
//    are removed by the next run's garbage collection.
//    Each document's original file goes into qa_originals (originals.ts) with the rows, so the new
//    generation serves originals from its first request; the uploads the run was given are checked
//    in the flip's transaction (`mayFlip`): a run that missed an upload made meanwhile does not flip.
//    With the model, the corpus's bridge vocabulary (its Arabic words and phrases, retrieve/bridge.ts)
//    is embedded as queries in step 2, only the words qa_vectors lacks, and recorded as the
//    generation's with its row (query-vectors.ts): servers read the vectors instead of embedding them.
// 5. Older generations (and their indexes) are dropped, vectors no generation uses any more (its
//    passages', sentences' and bridge words'), and originals no generation and no upload refers to.
import { createHash } from "node:crypto";
import type pg from "pg";
import type { Corpus, CorpusWarning } from "../../types";
import { createError, AppError } from "../../errors";
import { describePgError, type PgStore } from "./schema";
import { activeGeneration } from "./reader";
import { collectOriginals, storeOriginals, type OriginalSource } from "./originals";
import { countBridgeWords, ensureQueryVectors, ensureStoredVectors, recordBridgeWords } from "./query-vectors";

export interface IndexCorpusOptions {
  store: PgStore;
  corpus: Corpus;
  /** The corpus hash with the passage settings (what the passages were cut from and how). */
  corpusHash: string;
  warnings?: CorpusWarning[];
  embedderId: string;
  dimension: number;
  /** Embeds passage texts (documents' sentences and passages alike), in order. */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  /** Whether sentences get vectors too (with the model: see sentenceVectors in pipeline.ts). */
  sentenceVectors: boolean;
  /**
   * With the model: the cross-lingual bridge's vocabulary (pipeline.ts bridgeEntries) and how to
   * embed it (as queries). Kept in qa_vectors and recorded as the generation's, so servers read it;
   * filled in for a reused generation written before the store kept it.
   */
  bridge?: { words: readonly string[]; embed: (texts: string[]) => Promise<Float32Array[]> };
  hnsw: { M: number; efConstruction: number };
  force?: boolean;
  batchSize?: number;
  log?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** Each document's original file, by document id: stored in qa_originals with the generation (and filled in for a reused one that lacks them). */
  originals?: Map<string, OriginalSource>;
  /**
   * Asked inside the flip's transaction: false means the corpus this run read is already stale
   * (an upload was added or removed meanwhile), and the run does not flip (`flipped: false`).
   */
  mayFlip?: (client: pg.Client) => Promise<boolean>;
  /** Test hook: called between the steps above, so a test can stop a run where a crash would. */
  checkpoint?: (step: "embedded" | "rows" | "index") => Promise<void> | void;
}

export interface IndexResult {
  generation: number;
  /** True when the active generation already matched and nothing was written. */
  reused: boolean;
  /** False when mayFlip refused: the generation was written but is not served; index again. */
  flipped?: boolean;
  embedded: number;
  cached: number;
  buildMs: number;
  reason: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest();

export async function indexCorpus(options: IndexCorpusOptions): Promise<IndexResult> {
  const { store, embedderId, dimension } = options;
  const log = options.log ?? (() => {});
  const started = performance.now();
  const active = await activeGeneration(store.pool).catch((error) => {
    throw createError("STORE_INDEX_FAILED", describePgError(error));
  });
  if (!options.force && active && active.embedderId === embedderId && active.corpusHash === options.corpusHash && active.dimension === dimension && active.hnswM === options.hnsw.M && active.hnswEfConstruction === options.hnsw.efConstruction) {
    if (options.originals) await fillOriginals(options, active.id, log);
    if (options.bridge) await fillBridge(options, active.id, log);
    return { generation: active.id, reused: true, embedded: 0, cached: 0, buildMs: 0, reason: `generation ${active.id} already holds this corpus (built ${active.completedAt})` };
  }
  const why = !active ? "no index in the store yet" : options.force ? "forced" : describeChange(active, options);

  const client = await options.store.connectForWrites();
  try {
    return await write(client, options, why, started, log);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw createError("STORE_INDEX_FAILED", describePgError(error));
  } finally {
    await client.end().catch(() => {});
  }
}

/** A generation written before the store kept originals (schema 1) gets them from the same files. */
async function fillOriginals(options: IndexCorpusOptions, generation: number, log: (message: string) => void): Promise<void> {
  const lacking = await options.store.pool.query("SELECT 1 FROM qa_documents WHERE generation = $1 AND original_sha256 IS NULL LIMIT 1", [generation]).catch((error) => {
    throw createError("STORE_INDEX_FAILED", describePgError(error));
  });
  if (lacking.rowCount === 0) return;
  const client = await options.store.connectForWrites();
  try {
    const { documents } = await storeOriginals(client, generation, options.originals!, log);
    if (documents > 0) log(`pgvector: stored the originals of ${documents} documents of generation ${generation}`);
  } catch (error) {
    throw createError("STORE_INDEX_FAILED", describePgError(error));
  } finally {
    await client.end().catch(() => {});
  }
}

/** A generation written before the store kept the bridge's words gets them now, so servers stop embedding them at start. */
async function fillBridge(options: IndexCorpusOptions, generation: number, log: (message: string) => void): Promise<void> {
  const { words } = options.bridge!;
  const recorded = await countBridgeWords(options.store.pool, generation).catch((error) => {
    throw createError("STORE_INDEX_FAILED", describePgError(error));
  });
  if (recorded >= new Set(words).size) return;
  const client = await options.store.connectForWrites();
  try {
    const { embedded } = await ensureQueryVectors(client, { embedderId: options.embedderId, dimension: options.dimension, texts: words, embed: options.bridge!.embed, batchSize: options.batchSize, onProgress: options.onProgress });
    await recordBridgeWords(client, generation, words);
    log(`pgvector: kept the bridge's ${words.length} words for generation ${generation} (${embedded} embedded)`);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw createError("STORE_INDEX_FAILED", describePgError(error));
  } finally {
    await client.end().catch(() => {});
  }
}

function describeChange(active: NonNullable<Awaited<ReturnType<typeof activeGeneration>>>, options: IndexCorpusOptions): string {
  if (active.embedderId !== options.embedderId) return `embedder changed (${active.embedderId} ≠ ${options.embedderId})`;
  if (active.corpusHash !== options.corpusHash) return `corpus changed (hash ${active.corpusHash.slice(0, 8)}… ≠ ${options.corpusHash.slice(0, 8)}…)`;
  return `HNSW parameters changed (M=${active.hnswM}, efConstruction=${active.hnswEfConstruction} ≠ M=${options.hnsw.M}, efConstruction=${options.hnsw.efConstruction})`;
}

async function write(client: pg.Client, options: IndexCorpusOptions, why: string, started: number, log: (message: string) => void): Promise<IndexResult> {
  const { corpus, embedderId, dimension } = options;
  const batchSize = options.batchSize ?? 64;
  const runStarted = (await client.query<{ now: Date }>("SELECT now() AS now")).rows[0].now;
  log(`pgvector: indexing: ${why}`);

  // ---- 2. Vectors: embed only texts the store has not seen with this embedder.
  const texts = [...corpus.passages.map((p) => p.text), ...(options.sentenceVectors ? corpus.sentences.map((s) => s.text) : [])];
  const unique = new Set(texts).size;
  // The bridge's words are embedded after the passages and sentences, under the same progress.
  const wordCount = options.bridge ? new Set(options.bridge.words).size : 0;
  const total = unique + wordCount;
  const { embedded } = await ensureStoredVectors(client, {
    embedderId,
    dimension,
    texts,
    embed: options.embed,
    batchSize,
    keyOf: sha256,
    what: "An embedding",
    onProgress: (done) => options.onProgress?.(done, total),
  });
  const words = options.bridge
    ? await ensureQueryVectors(client, {
        embedderId,
        dimension,
        texts: options.bridge.words,
        embed: options.bridge.embed,
        batchSize,
        onProgress: (wordsDone) => options.onProgress?.(unique + wordsDone, total),
      })
    : { embedded: 0, stored: 0 };
  await options.checkpoint?.("embedded");

  // ---- 3. The generation's rows, then its index.
  const generation = Number((await client.query<{ id: string }>("SELECT nextval('qa_generation_seq') AS id")).rows[0].id);
  const documentPosition = new Map(corpus.documents.map((d, i) => [d.id, i]));
  await inTransaction(client, async () => {
    await client.query(
      `INSERT INTO qa_generations (id, embedder_id, dimension, corpus_hash, hnsw_m, hnsw_ef_construction, counts, examples, warnings)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        generation,
        embedderId,
        dimension,
        options.corpusHash,
        options.hnsw.M,
        options.hnsw.efConstruction,
        JSON.stringify({ documents: corpus.documents.length, sentences: corpus.sentences.length, passages: corpus.passages.length }),
        corpus.examples ? JSON.stringify(corpus.examples) : null,
        JSON.stringify(options.warnings ?? []),
      ],
    );
    // With the generation's row: garbage collection keeps what a generation that exists records.
    if (options.bridge) await recordBridgeWords(client, generation, options.bridge.words);
  });
  for (let i = 0; i < corpus.documents.length; i += 200) {
    const docs = corpus.documents.slice(i, i + 200);
    await inTransaction(client, () =>
      client.query(
        `INSERT INTO qa_documents (generation, position, id, meta, text, paragraphs)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::jsonb[], $5::text[], $6::jsonb[])`,
        [generation, docs.map((_, j) => i + j), docs.map((d) => d.id), docs.map((d) => JSON.stringify(d.meta)), docs.map((d) => d.text), docs.map((d) => JSON.stringify(d.paragraphs))],
      ),
    );
  }
  for (let i = 0; i < corpus.sentences.length; i += 5000) {
    const rows = corpus.sentences.slice(i, i + 5000);
    await inTransaction(client, () =>
      client.query(
        `INSERT INTO qa_sentences (generation, position, document, paragraph, sentence, start_at, end_at, text_hash)
         SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bytea[])`,
        [generation, rows.map((_, j) => i + j), rows.map((s) => documentPosition.get(s.docId)!), rows.map((s) => s.paragraph), rows.map((s) => s.sentence), rows.map((s) => s.start), rows.map((s) => s.end), rows.map((s) => sha256(s.text))],
      ),
    );
  }
  for (let i = 0; i < corpus.passages.length; i += 2000) {
    const rows = corpus.passages.slice(i, i + 2000);
    for (const p of rows) {
      // Stored as a range: a passage is a window of consecutive sentences (corpus/passages.ts).
      if (p.sentenceIndices.some((s, k) => s !== p.sentenceIndices[0] + k)) throw new Error(`passage ${p.index} does not hold consecutive sentences`);
    }
    // The vector is copied from the cache table by its hash: the join must find every one.
    const inserted = await inTransaction(client, () =>
      client.query(
        `INSERT INTO qa_passages (generation, position, document, paragraph, start_at, end_at, first_sentence, sentence_count, text_hash, embedding)
         SELECT $1, u.position, u.document, u.paragraph, u.start_at, u.end_at, u.first_sentence, u.sentence_count, u.text_hash, v.embedding
         FROM unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::bytea[])
              AS u(position, document, paragraph, start_at, end_at, first_sentence, sentence_count, text_hash)
         JOIN qa_vectors v ON v.embedder_id = $10 AND v.text_hash = u.text_hash`,
        [
          generation,
          rows.map((p) => p.index),
          rows.map((p) => documentPosition.get(p.docId)!),
          rows.map((p) => p.paragraph),
          rows.map((p) => p.start),
          rows.map((p) => p.end),
          rows.map((p) => p.sentenceIndices[0]),
          rows.map((p) => p.sentenceIndices.length),
          rows.map((p) => sha256(p.text)),
          embedderId,
        ],
      ),
    );
    if (inserted.rowCount !== rows.length) throw new Error(`${rows.length - (inserted.rowCount ?? 0)} passage vectors went missing while indexing (another run removed them?); run npm run index again`);
  }
  if (options.originals) await storeOriginals(client, generation, options.originals, log);
  await options.checkpoint?.("rows");

  const indexStarted = performance.now();
  // pgvector builds the graph in maintenance_work_mem and falls back to a much slower build when it
  // does not fit (the default 64 MB holds ~40k passages of 384 floats at M = 32). This session's
  // setting is raised to the graph's estimated size (vector + 2M neighbour slots + overhead per
  // passage, +20%), never lowered, at most 1 GB; other sessions keep theirs.
  const graphMb = Math.ceil((corpus.passages.length * (dimension * 4 + options.hnsw.M * 2 * 10 + 100) * 1.2) / 2 ** 20);
  const currentMb = Number((await client.query<{ kb: string }>("SELECT setting AS kb FROM pg_settings WHERE name = 'maintenance_work_mem'")).rows[0]?.kb ?? 0) / 1024;
  if (graphMb > currentMb) await client.query(`SET maintenance_work_mem = '${int(Math.min(graphMb, 1024))}MB'`);
  await client.query(
    `CREATE INDEX IF NOT EXISTS ${hnswIndexName(generation)} ON qa_passages
     USING hnsw ((embedding::vector(${int(dimension)})) vector_cosine_ops)
     WITH (m = ${int(options.hnsw.M)}, ef_construction = ${int(options.hnsw.efConstruction)})
     WHERE generation = ${int(generation)}`,
  );
  const indexMs = Math.round(performance.now() - indexStarted);
  log(`pgvector: HNSW index of generation ${generation} (${corpus.passages.length} passages) built in ${indexMs} ms`);
  await options.checkpoint?.("index");

  // ---- 4. The flip: one transaction, forward only.
  const buildMs = Math.round(performance.now() - started);
  const flipped = await inTransaction(client, async () => {
    if (options.mayFlip && !(await options.mayFlip(client))) return "stale" as const;
    await client.query("UPDATE qa_generations SET completed_at = now(), build_ms = $2 WHERE id = $1", [generation, buildMs]);
    const result = await client.query(
      `INSERT INTO qa_meta (key, value) VALUES ('active_generation', $1) ON CONFLICT (key)
       DO UPDATE SET value = excluded.value WHERE qa_meta.value::bigint < excluded.value::bigint`,
      [String(generation)],
    );
    return result.rowCount === 1;
  });
  if (flipped === "stale") {
    log(`pgvector: the uploads changed while generation ${generation} was written; it is not used`);
    return { generation, reused: false, flipped: false, embedded, cached: unique - embedded, buildMs, reason: `generation ${generation} missed a change to the uploads` };
  }
  if (!flipped) log(`pgvector: a newer generation became active meanwhile; generation ${generation} is not used`);
  else
    log(
      `pgvector: generation ${generation} is active (${corpus.passages.length} passages, ${embedded} texts embedded, ${unique - embedded} from the store's cache` +
        (options.bridge ? `; bridge: ${words.embedded} words embedded, ${words.stored} from the store's cache)` : ")"),
    );

  // ---- 5. Garbage collection (failures here leave extra rows, never a broken index).
  await collectGarbage(client, runStarted).catch((error) => log(`pgvector: cleaning up old generations failed (${describePgError(error)}); the next run retries`));

  return { generation, reused: false, flipped: true, embedded, cached: unique - embedded, buildMs, reason: `built generation ${generation}: ${why}` };
}

/**
 * Drops every generation older than the active one (superseded, or left by a run that stopped
 * before its flip) except the one it replaced: servers still answer from that one until their next
 * poll sees the flip and their new engine is loaded, and its rows and index must be there until
 * then. Then drops the vectors no remaining generation uses that existed before this run began
 * (a concurrent run's fresh vectors are left alone).
 */
export async function collectGarbage(client: pg.Client | pg.Pool, before: Date): Promise<{ generations: number; vectors: number; originals: number }> {
  const active = await activeGeneration(client);
  if (!active) return { generations: 0, vectors: 0, originals: 0 };
  const old = (
    await client.query<{ id: string }>(
      `SELECT id FROM qa_generations WHERE id < $1 AND id IS DISTINCT FROM
         (SELECT max(id) FROM qa_generations WHERE id < $1 AND completed_at IS NOT NULL)`,
      [active.id],
    )
  ).rows.map((r) => Number(r.id));
  const previous = Number((await client.query<{ id: string | null }>("SELECT max(id) AS id FROM qa_generations WHERE id < $1 AND completed_at IS NOT NULL", [active.id])).rows[0].id ?? -1);
  // Orphans of runs that never wrote their generation row (stopped right after nextval) have no row here;
  // their sentences/passages are found by generation number.
  const stray = (await client.query<{ generation: string }>("SELECT DISTINCT generation FROM qa_passages WHERE generation < $1 UNION SELECT DISTINCT generation FROM qa_documents WHERE generation < $1", [active.id])).rows.map((r) => Number(r.generation));
  const ids = [...new Set([...old, ...stray])].filter((id) => id !== previous);
  for (const id of ids) {
    await client.query(`DROP INDEX IF EXISTS ${hnswIndexName(id)}`);
    await client.query("BEGIN");
    try {
      for (const table of ["qa_passages", "qa_sentences", "qa_documents", "qa_bridge_words"]) await client.query(`DELETE FROM ${table} WHERE generation = $1`, [id]);
      await client.query("DELETE FROM qa_generations WHERE id = $1", [id]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }
  // A server records a generation's bridge words when it embeds them (query-vectors.ts), and may do
  // so for a generation dropped meanwhile: its rows are dropped here (the indexer records them in
  // the transaction that writes the generation's row, so a generation being written is never hit).
  await client.query("DELETE FROM qa_bridge_words b WHERE NOT EXISTS (SELECT 1 FROM qa_generations g WHERE g.id = b.generation)");
  const vectors = await client.query(
    `DELETE FROM qa_vectors v WHERE v.created_at < $1
       AND NOT EXISTS (SELECT 1 FROM qa_passages p JOIN qa_generations g ON g.id = p.generation WHERE g.embedder_id = v.embedder_id AND p.text_hash = v.text_hash)
       AND NOT EXISTS (SELECT 1 FROM qa_sentences s JOIN qa_generations g ON g.id = s.generation WHERE g.embedder_id = v.embedder_id AND s.text_hash = v.text_hash)
       AND NOT EXISTS (SELECT 1 FROM qa_bridge_words b JOIN qa_generations g ON g.id = b.generation WHERE g.embedder_id = v.embedder_id AND b.text_hash = v.text_hash)`,
    [before],
  );
  const originals = await collectOriginals(client, before);
  return { generations: ids.length, vectors: vectors.rowCount ?? 0, originals };
}

export const hnswIndexName = (generation: number) => `qa_passages_hnsw_g${int(generation)}`;

/** Numbers spliced into DDL (which takes no parameters) are checked to be plain integers. */
function int(n: number): number {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return n;
}

async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
