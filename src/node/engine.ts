// Node adapter: reads the corpus from disk, picks the embedder, opens (or builds) the HNSW
// store in embeddings/, and assembles the answer engine. Used by the server and the CLI.
import { join } from "node:path";
import type { Config } from "../config";
import type { Logger } from "../log";
import type { CorpusWarning, Embedder, Health, SourceFormat } from "../types";
import { loadCorpusDir, loadOptionsFrom, type OriginalFile } from "../corpus/load-node";
import type { ParsedFiles } from "../corpus/build";
import { createBm25IndexOfTermIds } from "../index/bm25";
import { createTermDictionary, type TermDictionary } from "../index/term-dictionary";
import { efSearchFor } from "../index/ef-search";
import { openVectorStore } from "../index/store";
import { openVectorCache, type VectorCache } from "../index/vector-cache";
import type { IndexingProgress } from "../index/progress";
import { embedderFamily, refusalHealth } from "../retrieve/calibration";
import { BACKGROUND_SENTENCES, embedBackground } from "../retrieve/background";
import { modelBridge, QUERY_PREFIX } from "./bridge-index";
import { bridgeEntries, createDefaultAnalyzer, createPipeline, type Pipeline } from "../pipeline";
import { corpusCounts } from "../corpus/counts";
import { describeLexicons, loadLexicons } from "../text/lexicon/load-node";
import { corpusVocabulary } from "../text/vocabulary";
import { fingerprintedId, PROBE, selectConfiguredEmbedder } from "./embedder";
import { createPgEngine, type PgEngineOptions } from "./pg-engine";

export interface NodeEngine extends Pipeline {
  health(): Health;
  warnings: CorpusWarning[];
  embedder: Embedder;
  /** Why this embedder was chosen (health's embedder.reason). */
  embedderReason: string;
  /** The model's vectors by text, when the embedder is a model (index/vector-cache.ts). */
  vectorCache?: VectorCache;
  /** The file each document was read from, by document id (GET /api/documents/:id/original). */
  originals?: Map<string, OriginalFile>;
  /** Each corpus file as parsed (corpus/build.ts), for the next live reload. */
  parsedFiles?: ParsedFiles;
  /** BM25's term dictionary and each passage's term ids by text (what BM25 was built from), for the next live reload. */
  lexicalTerms?: { dictionary: TermDictionary; byPassage: Map<string, Uint32Array> };
  /** Each document's distinct words by text (the phonetic index's vocabulary), for the next live reload. */
  documentWords?: Map<string, string[]>;
  /** With VECTOR_STORE=pgvector: a document's original file, read from the store (any server serves any document's). */
  readOriginal?: (id: string) => Promise<{ bytes: Uint8Array; format: SourceFormat }>;
  /** With VECTOR_STORE=pgvector: the store generation this engine serves (servers poll for a newer one). */
  generation?: number;
  /** Releases what the engine opened itself (the pgvector pool when none was passed in). */
  close?: () => Promise<void>;
}

/** Texts embedded at a time during a live reload, between which questions are answered. */
const LIVE_RELOAD_BATCH = 4;

/** One question per language an optional lexicon may cover, so any present is loaded before the first user asks. */
const WARM_UP = [PROBE, "When was the agreement signed?", "Quand l'accord a-t-il été signé ?", "Wann wurde der Vertrag unterzeichnet?", "¿Cuándo se firmó el acuerdo?"];

export interface NodeEngineOptions {
  forceRebuild?: boolean;
  /** Where the optional lexicons are (npm run lexicons writes lexicons/); used only if present. */
  lexiconsDir?: string;
  /** Embedding progress while an index is built (the server shows it in /api/health). */
  onProgress?: (progress: IndexingProgress) => void;
  /** Each phase as it begins: reading the corpus, embedding, then the indexes and warm-up (an upload's job shows them). */
  onStage?: (stage: "extracting" | "embedding" | "indexing") => void;
  /**
   * The running engine this one replaces (a live reload): its loaded model and vector cache are
   * reused, so the reload loads nothing twice and embeds only new texts. The built-in embedder
   * is never reused: it learns its weights from the corpus. (hnswlib store only.)
   */
  previous?: NodeEngine;
  /** VECTOR_STORE=pgvector only: the process's shared store, and when to index CORPUS_DIR (src/node/pg-engine.ts). */
  pg?: PgEngineOptions;
}

export async function createNodeEngine(config: Config, log: Logger, options: NodeEngineOptions = {}): Promise<NodeEngine> {
  if (config.VECTOR_STORE === "pgvector") return createPgEngine(config, log, { ...options, ...options.pg }, WARM_UP);
  const started = performance.now();
  options.onStage?.("extracting");
  const { corpus, warnings, hash, parsedFiles, originals } = await loadCorpusDir(config.CORPUS_DIR, {
    ...loadOptionsFrom(config),
    // A live reload parses only the files that changed.
    reuse: options.previous?.parsedFiles,
  });
  for (const warning of warnings) log.warn(warning.message);
  log.info(`corpus: ${corpus.documents.length} documents, ${corpus.sentences.length} sentences, ${corpus.passages.length} passages`);

  const analyzer = createDefaultAnalyzer();
  const passageTexts = corpus.passages.map((p) => p.text);
  const sentenceTexts = corpus.sentences.map((s) => s.text);
  const reusable = options.previous && embedderFamily(options.previous.embedder.id) !== "hashing" ? options.previous : undefined;
  const { embedder, reason } = reusable ? { embedder: reusable.embedder, reason: reusable.embedderReason } : await selectConfiguredEmbedder(config, analyzer, passageTexts);
  log.info(`embedder: ${reason}`);

  const embedderId = await fingerprintedId(embedder);
  // A model's vectors are kept by text, so a changed corpus re-embeds only what changed
  // (index/vector-cache.ts); the built-in embedder is faster than reading them back.
  const cache =
    embedderFamily(embedder.id) === "hashing"
      ? undefined
      : reusable?.vectorCache ?? (await openVectorCache({ dir: join(config.EMBEDDINGS_DIR, "cache"), embedderId, dimension: embedder.dimension }));
  // Questions in other languages are refused on their margin over these (retrieve/background.ts):
  // kept in the cache, so embedded once per model, and left out of the corpus's counts below.
  const backgroundVectors = cache ? await embedBackground((texts) => cache.embed(texts, (batch) => embedder.embed(batch, "passage")), embedder.dimension) : undefined;
  const cacheBefore = cache ? { ...cache.stats } : undefined;
  // A live reload embeds in the serving process, and the model's forward passes hold the event loop
  // while they run: small batches give questions a turn between them (the cache yields while it
  // appends each batch). 64 at a time held answers for up to 20 s on two busy cores (bench/upload.ts).
  const batchSize = reusable ? LIVE_RELOAD_BATCH : undefined;
  const embedTexts = (texts: string[], onProgress: (done: number, total: number) => void) =>
    cache ? cache.embed(texts, (batch) => embedder.embed(batch, "passage"), { onProgress, batchSize }) : embedAll(embedder, texts, onProgress);
  options.onStage?.("embedding");
  const store = await openVectorStore({
    dir: config.EMBEDDINGS_DIR,
    embedderId,
    dimension: embedder.dimension,
    // Passage windows decide what the vectors are of, so they are part of what the index was built from.
    corpusHash: `${hash}:w${config.PASSAGE_WINDOW}s${config.PASSAGE_STRIDE}`,
    count: corpus.passages.length,
    hnsw: { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: efSearchFor(corpus.passages.length, config.HNSW_EF_SEARCH), shards: config.HNSW_SHARDS },
    force: options.forceRebuild,
    log: (message) => log.info(message),
    onProgress: options.onProgress,
    build: async (onProgress) => embedTexts(passageTexts, onProgress),
  });

  // With a multilingual model, every sentence gets the model's vector too, stored beside the
  // passages' under the same checks, so sentence similarity needs no embedding at query time.
  const sentenceStore =
    embedderFamily(embedder.id) === "hashing"
      ? undefined
      : await openVectorStore({
          dir: join(config.EMBEDDINGS_DIR, "sentences"),
          embedderId,
          dimension: embedder.dimension,
          corpusHash: hash,
          count: corpus.sentences.length,
          hnsw: { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: efSearchFor(corpus.sentences.length, config.HNSW_EF_SEARCH), shards: config.HNSW_SHARDS },
          force: options.forceRebuild,
          log: (message) => log.info(`sentences: ${message}`),
          label: "sentences",
          // Read by position for sentence similarity, never searched: no graph to build or rebuild.
          graph: false,
          onProgress: options.onProgress,
          build: async (onProgress) => embedTexts(sentenceTexts, onProgress),
        });
  options.onStage?.("indexing");
  if (cache) {
    const hits = cache.stats.hits - cacheBefore!.hits;
    const misses = cache.stats.misses - cacheBefore!.misses;
    const dropped = cache.stats.dropped - cacheBefore!.dropped;
    if (hits + misses > 0) log.info(`vector cache: ${misses} texts embedded, ${hits} read back${dropped ? `, ${dropped} damaged records dropped and recomputed` : ""}`);
  }
  // The model's cross-lingual bridge (retrieve/bridge.ts): the corpus's Arabic words and recurring
  // phrases, embedded once through the same cache (counted apart from the index's texts above), so a
  // reload embeds only new words. They are embedded as queries; the cache keeps vectors by text, so
  // they are kept under the text the model reads, "query: …", which no passage's vector is kept under.
  const bridgeWords = cache ? bridgeEntries(corpus, analyzer) : [];
  const bridgeKeys = bridgeWords.map((word) => `${QUERY_PREFIX}${word}`);
  let bridge: ReturnType<typeof modelBridge> | undefined;
  if (cache) {
    const started = performance.now();
    const missesBefore = cache.stats.misses;
    bridge = modelBridge(bridgeWords, await cache.embed(bridgeKeys, (batch) => embedder.embed(batch.map((key) => key.slice(QUERY_PREFIX.length)), "query")), embedder.dimension);
    log.info(`bridge: ${bridgeWords.length} Arabic words and phrases (${cache.stats.misses - missesBefore} embedded) ready in ${Math.round(performance.now() - started)} ms`);
    // Only what the corpus still holds stays cached: a removed document's vectors go with it.
    await cache.retain([...passageTexts, ...sentenceTexts, ...BACKGROUND_SENTENCES, ...bridgeKeys]);
  }

  const { lexicons, problems } = loadLexicons({ dir: options.lexiconsDir });
  for (const problem of problems) log.warn(problem);
  log.info(`lexicons: ${describeLexicons(lexicons, options.lexiconsDir)}`);

  // A live reload analyzes only new passages and looks up only their terms: the analyzer is the
  // same, so are the terms of a text, and the dictionary keeps their ids (index/term-dictionary.ts).
  const dictionary = reusable?.lexicalTerms?.dictionary.fork() ?? createTermDictionary();
  const termIds = new Map<string, Uint32Array>();
  for (const { text } of corpus.passages) if (!termIds.has(text)) termIds.set(text, reusable?.lexicalTerms?.byPassage.get(text) ?? dictionary.idsOf(analyzer.analyze(text)));
  const lexicalIndex = createBm25IndexOfTermIds(corpus.passages.map(({ text }) => termIds.get(text)!), dictionary);
  // Removed passages' terms keep their ids: once they outnumber the corpus's own, the next reload
  // starts a fresh dictionary (analyzing every passage again) rather than carry them on.
  const lexicalTerms = cache && dictionary.size <= 2 * lexicalIndex.distinctTerms ? { dictionary, byPassage: termIds } : undefined;
  const vocabulary = corpusVocabulary({ texts: corpus.documents.map((d) => d.text), wordsOf: (text) => analyzer.words(text), previous: reusable?.documentWords });
  const pipeline = createPipeline({
    corpus,
    vocabulary: vocabulary.words,
    embedder,
    lexicalIndex,
    vectorIndex: store.index,
    analyzer,
    lexicons,
    sentenceVectors: sentenceStore?.vectors,
    backgroundVectors,
    bridge,
    abstainBelow: config.ABSTAIN_THRESHOLD,
  });
  // Questions up front load the lexicons and compile the hot paths before the first user waits.
  // A live reload skips them unless lexicons are loaded (this engine's lexicons are new, and build
  // their look-up tables on first use): the running engine has compiled the code already, and at
  // 10k passages the first questions after a reload answered as fast without them (first question
  // median 21 ms without, 32 ms with, 6 reloads each on a busy machine), while they cost the
  // reload 0.05-0.12 s, mostly the model embedding five questions.
  if (!reusable || lexicons.loaded.length > 0) for (const question of WARM_UP) await pipeline.engine.answer({ question, topK: 1, history: [] });
  log.info(`ready in ${Math.round(performance.now() - started)} ms`);

  const counts = corpusCounts(corpus);
  const health: Health = {
    ready: true,
    embedder: { id: embedder.id, dimension: embedder.dimension, reason },
    counts,
    index: {
      kind: "hnsw",
      loaded: store.loaded,
      builtAt: store.manifest.builtAt,
      buildMs: store.manifest.buildMs,
      reason: store.reason,
    },
    warnings,
    lexicons: lexicons.loaded,
    ...refusalHealth(embedder.id),
  };
  return { ...pipeline, embedder, embedderReason: reason, vectorCache: cache, lexicalTerms, documentWords: cache ? vocabulary.byDocument : undefined, parsedFiles, originals, warnings, health: () => health };
}

async function embedAll(embedder: Embedder, texts: string[], onProgress: (done: number, total: number) => void): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  const batch = 64;
  for (let i = 0; i < texts.length; i += batch) {
    vectors.push(...(await embedder.embed(texts.slice(i, i + batch), "passage")));
    onProgress(vectors.length, texts.length);
  }
  return vectors;
}
