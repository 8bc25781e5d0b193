// Node adapter: the answer engine on the Postgres + pgvector store (VECTOR_STORE=pgvector).
//
// The story, in one place:
// - Indexing writes a generation into the store from CORPUS_DIR: `npm run index` (always), a
//   server's SIGHUP (through the same command in a child), and a server's start when the store has
//   no index yet (so `npm start` alone works on an empty database). A server never re-indexes on
//   start when an index is there: a server with an older corpus folder must not roll it back.
// - Serving reads the active generation from the store, not from CORPUS_DIR: its documents,
//   sentences and passages (and, with the model, the sentence vectors), from which each process
//   builds its in-process parts (BM25, the sentence scorer). Dense search is a query per question.
// - Every server polls the active generation (PG_POLL_MS) and swaps in a new engine when it
//   changes (src/server/node.ts), so a document indexed by one is answered by all without restart.
// - Uploads live in the store (./pg-uploads.ts): each indexing run first makes CORPUS_DIR/uploads/
//   hold exactly the store's uploads, so any server's run includes every server's uploads. Each
//   document's original file is stored with its generation, and read from there by document id.
import type { Config } from "../config";
import { createError } from "../errors";
import type { Logger } from "../log";
import type { Corpus, Embedder, Health } from "../types";
import { loadCorpusDir, loadOptionsFrom } from "../corpus/load-node";
import { corpusCounts } from "../corpus/counts";
import { fingerprintedId, selectConfiguredEmbedder } from "./embedder";
import { efSearchFor } from "../index/ef-search";
import { createProgressReporter } from "../index/progress";
import { openPgStore, type PgStore } from "../index/pgvector/schema";
import { indexCorpus, type IndexResult } from "../index/pgvector/indexer";
import { activeGeneration, createPgVectorIndex, loadGeneration, loadSentenceVectors, type GenerationInfo } from "../index/pgvector/reader";
import { readStoredOriginal, type OriginalSource } from "../index/pgvector/originals";
import { loadQueryVectors } from "../index/pgvector/query-vectors";
import { syncUploads, uploadsUnchanged } from "./pg-uploads";
import { readFile } from "node:fs/promises";
import type { OriginalFile } from "../corpus/load-node";
import { embedderFamily, refusalHealth } from "../retrieve/calibration";
import { embedBackground } from "../retrieve/background";
import { bridgeEntries, createDefaultAnalyzer, createPipeline } from "../pipeline";
import { modelBridge } from "./bridge-index";
import { describeLexicons, loadLexicons } from "../text/lexicon/load-node";
import type { Analyzer } from "../text";
import type { NodeEngine, NodeEngineOptions } from "./engine";

export interface PgEngineOptions {
  /** The process's store (pool); opened here, and closed by engine.close(), when absent. */
  store?: PgStore;
  /** Index CORPUS_DIR first: always (npm run index, SIGHUP), only when the store is empty (a server's start), or never (following a new generation). */
  index?: "always" | "if-empty" | "never";
}

export function openStoreFor(config: Config, log: Logger): Promise<PgStore> {
  if (!config.DATABASE_URL) throw createError("INVALID_CONFIG", "DATABASE_URL", "", "a postgres:// URL when VECTOR_STORE=pgvector");
  return openPgStore({ url: config.DATABASE_URL, max: config.PG_POOL_MAX, log: (message) => log.warn(message) });
}

/** The model is loaded once per process and reused by every generation's engine; the hashing embedder is per corpus. */
let modelEmbedder: { key: string; embedder: Embedder; reason: string } | undefined;

async function embedderFor(config: Config, analyzer: Analyzer, corpus: Corpus): Promise<{ embedder: Embedder; reason: string; id: string }> {
  const key = `${config.EMBEDDER}|${config.MODEL}|${config.MODELS_DIR}`;
  let selected = modelEmbedder?.key === key ? modelEmbedder : undefined;
  if (!selected) {
    const picked = await selectConfiguredEmbedder(config, analyzer, corpus.passages.map((p) => p.text));
    selected = { key, ...picked };
    if (embedderFamily(picked.embedder.id) !== "hashing") modelEmbedder = selected;
  }
  return { embedder: selected.embedder, reason: selected.reason, id: await fingerprintedId(selected.embedder) };
}

export async function createPgEngine(config: Config, log: Logger, options: NodeEngineOptions & PgEngineOptions, warmUp: string[]): Promise<NodeEngine> {
  const started = performance.now();
  const store = options.store ?? (await openStoreFor(config, log));
  try {
    const analyzer = createDefaultAnalyzer();
    let generation = await activeGeneration(store.pool);
    let indexed: IndexResult | undefined;
    const mode = options.index ?? "if-empty";
    if (mode === "always" || (mode === "if-empty" && !generation)) {
      indexed = await indexFolder(config, log, store, analyzer, options);
      generation = await activeGeneration(store.pool);
    }
    if (!generation) throw createError("STORE_EMPTY", store.where);
    return await serveGeneration(config, log, store, analyzer, generation, indexed, started, warmUp, options.lexiconsDir, options.store ? undefined : () => store.close());
  } catch (error) {
    if (!options.store) await store.close().catch(() => {});
    throw error;
  }
}

/** How many times a run that missed a change to the uploads (made while it ran) starts again. */
const UPLOAD_RACE_ATTEMPTS = 3;

async function indexFolder(config: Config, log: Logger, store: PgStore, analyzer: Analyzer, options: NodeEngineOptions): Promise<IndexResult> {
  for (let attempt = 1; ; attempt++) {
    const client = await store.connectForWrites();
    let uploads;
    try {
      uploads = await syncUploads(client, config.CORPUS_DIR, (message) => log.info(message));
    } catch (error) {
      throw createError("STORE_INDEX_FAILED", `bringing the uploads from the store into ${config.CORPUS_DIR}/uploads failed: ${describeError(error)}`);
    } finally {
      await client.end().catch(() => {});
    }
    const result = await indexFolderOnce(config, log, store, analyzer, options, uploads.fingerprint);
    if (result.flipped !== false) return result;
    if (attempt === UPLOAD_RACE_ATTEMPTS) {
      log.warn(`pgvector: the uploads kept changing while indexing (${attempt} runs); the runs that changed them index them`);
      return result;
    }
    log.info("pgvector: the uploads changed while indexing; indexing again with them");
  }
}

async function indexFolderOnce(config: Config, log: Logger, store: PgStore, analyzer: Analyzer, options: NodeEngineOptions, uploadsFingerprint: string): Promise<IndexResult> {
  const { corpus, warnings, hash, originals } = await loadCorpusDir(config.CORPUS_DIR, loadOptionsFrom(config));
  for (const warning of warnings) log.warn(warning.message);
  log.info(`corpus (${config.CORPUS_DIR}): ${corpus.documents.length} documents, ${corpus.sentences.length} sentences, ${corpus.passages.length} passages`);
  const { embedder, id } = await embedderFor(config, analyzer, corpus);
  const withModel = embedderFamily(embedder.id) !== "hashing";
  const result = await indexCorpus({
    store,
    corpus,
    warnings,
    corpusHash: `${hash}:w${config.PASSAGE_WINDOW}s${config.PASSAGE_STRIDE}`,
    embedderId: id,
    dimension: embedder.dimension,
    embed: (texts) => embedder.embed(texts, "passage"),
    sentenceVectors: withModel,
    // The model's cross-lingual bridge vocabulary, embedded here once so servers read it (serveGeneration).
    bridge: withModel ? { words: bridgeEntries(corpus, analyzer), embed: (texts) => embedder.embed(texts, "query") } : undefined,
    hnsw: { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION },
    force: options.forceRebuild,
    originals: originalSources(originals),
    mayFlip: (client) => uploadsUnchanged(client, uploadsFingerprint),
    log: (message) => log.info(message),
    onProgress: createProgressReporter(withModel ? "passages, sentences and bridge words" : "passages and sentences", { log: (line) => log.info(`pgvector: ${line}`), onProgress: options.onProgress }),
  });
  log.info(`pgvector: ${result.reason}`);
  return result;
}

async function serveGeneration(
  config: Config,
  log: Logger,
  store: PgStore,
  analyzer: Analyzer,
  generation: GenerationInfo,
  indexed: IndexResult | undefined,
  started: number,
  warmUp: string[],
  lexiconsDir: string | undefined,
  close: (() => Promise<void>) | undefined,
): Promise<NodeEngine> {
  const loadStarted = performance.now();
  const skeleton = await loadGeneration(store.pool, generation, { sentenceVectors: false });
  const { embedder, reason, id } = await embedderFor(config, analyzer, skeleton.corpus);
  if (id !== generation.embedderId) throw createError("STORE_EMBEDDER_MISMATCH", generation.id, generation.embedderId, id);
  const withModel = embedderFamily(embedder.id) !== "hashing";
  const { corpus, warnings } = skeleton;
  const sentenceVectors = withModel ? await loadSentenceVectors(store.pool, generation) : undefined;
  const backgroundVectors = withModel ? await backgroundOf(embedder) : undefined;
  const bridge = withModel ? await bridgeFromStore(log, store, generation, bridgeEntries(corpus, analyzer), embedder) : undefined;
  log.info(
    `pgvector: generation ${generation.id} read from ${store.where} in ${Math.round(performance.now() - loadStarted)} ms: ` +
      `${corpus.documents.length} documents, ${corpus.sentences.length} sentences, ${corpus.passages.length} passages`,
  );

  const efSearch = efSearchFor(corpus.passages.length, config.HNSW_EF_SEARCH);
  const vectorIndex = createPgVectorIndex({ pool: store.pool, generation: generation.id, dimension: embedder.dimension, size: corpus.passages.length, efSearch });
  const { lexicons, problems } = loadLexicons({ dir: lexiconsDir });
  for (const problem of problems) log.warn(problem);
  log.info(`lexicons: ${describeLexicons(lexicons, lexiconsDir)}`);
  const pipeline = createPipeline({ corpus, embedder, vectorIndex, analyzer, lexicons, sentenceVectors, backgroundVectors, bridge, abstainBelow: config.ABSTAIN_THRESHOLD });
  for (const question of warmUp) await pipeline.engine.answer({ question, topK: 1, history: [] });
  log.info(`ready in ${Math.round(performance.now() - started)} ms (generation ${generation.id}, hnsw.ef_search ${efSearch})`);

  const health: Health = {
    ready: true,
    embedder: { id: embedder.id, dimension: embedder.dimension, reason },
    counts: corpusCounts(corpus),
    index: {
      kind: "pgvector",
      loaded: !indexed || indexed.reused,
      builtAt: generation.completedAt,
      buildMs: generation.buildMs,
      reason: `${indexed && !indexed.reused ? indexed.reason : `serving generation ${generation.id}`} from ${store.where}`,
    },
    warnings,
    lexicons: lexicons.loaded,
    ...refusalHealth(embedder.id),
  };
  const readOriginal = (id: string) => readStoredOriginal(store.pool, generation.id, id);
  return { ...pipeline, embedder, embedderReason: reason, warnings, health: () => health, generation: generation.id, readOriginal, close };
}

/**
 * The model's cross-lingual bridge, as the hnswlib engine builds it from its vector cache: the
 * words' vectors read from qa_vectors, where the indexer keeps them; only those missing (a
 * generation indexed before the store kept them) are embedded, and stored for the next server.
 */
async function bridgeFromStore(log: Logger, store: PgStore, generation: GenerationInfo, words: string[], embedder: Embedder) {
  const started = performance.now();
  const loaded = await loadQueryVectors(store.pool, generation.id, {
    embedderId: generation.embedderId,
    dimension: embedder.dimension,
    texts: words,
    embed: (texts) => embedder.embed(texts, "query"),
  });
  if (loaded.storeFailed) log.warn(`bridge: the words embedded now could not be stored (${loaded.storeFailed}); the next server embeds them again`);
  log.info(`bridge: ${words.length} Arabic words and phrases (${loaded.read} read from the store, ${loaded.embedded} embedded) ready in ${Math.round(performance.now() - started)} ms`);
  return modelBridge(words, loaded.vectors, embedder.dimension);
}

/** The loader's files as the indexer stores them: read again, one at a time, when stored. */
function originalSources(originals: Map<string, OriginalFile>): Map<string, OriginalSource> {
  return new Map([...originals].map(([id, { path, format, sha256 }]) => [id, { format, sha256, read: () => readFile(path) }]));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The background sentences' vectors (retrieve/background.ts), embedded once per model in this process, not once per generation served. */
const backgroundByEmbedder = new Map<string, Promise<Float32Array>>();
function backgroundOf(embedder: Embedder): Promise<Float32Array> {
  let vectors = backgroundByEmbedder.get(embedder.id);
  if (!vectors) {
    vectors = embedBackground((texts) => embedder.embed(texts, "passage"), embedder.dimension);
    backgroundByEmbedder.set(embedder.id, vectors);
    // A failure is not remembered: the next generation tries again.
    vectors.catch(() => backgroundByEmbedder.delete(embedder.id));
  }
  return vectors;
}
