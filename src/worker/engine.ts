// The answer engine from a Worker bundle: corpus re-segmented from the shipped documents, the
// built-in embedder rebuilt from it (or, for a model's bundle, questions embedded through an
// embeddings server and the model's bridge built), exact search over the shipped vectors. Web APIs only.
//
// The shipped vectors are only valid if this code would compute the same ones, so the engine
// checks that before serving: same embedder id (which fingerprints the IDF corpus), same
// dimension and counts, and a few passages re-embedded here match their stored rows.
import { buildPassages, segmentDocument } from "../corpus";
import { locateSpans } from "../corpus/locate-spans";
import { createExactIndex } from "../index/exact";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline, type Pipeline } from "../pipeline";
import type { Corpus, Embedder, Health, Sentence, SourceDocument } from "../types";
import { bundleError, type Bundle, type BundleHeader, type ServedModel, type VectorEncoding } from "./bundle";
import { calibrationKey, refusalHealth } from "../retrieve/calibration";
import { corpusCounts } from "../corpus/counts";

export interface WorkerEngineOptions {
  bundle: Bundle;
  /** Refusal threshold; default: the calibrated one for the built-in embedder. */
  abstainBelow?: number;
  /**
   * For a bundle of a model's vectors: the embedder the Worker asks for questions' vectors
   * (EMBEDDINGS_URL, or the Workers AI binding; src/worker.ts). Without it, such a bundle is
   * answered from its built-in embedder's vectors, and /api/health says why.
   */
  servedEmbedder?: (served: ServedModel) => Promise<Embedder>;
}

/** A served model's vectors agree with the bundle's when the first passage re-embedded is this close (two hosts of one model differ a little). */
const SERVED_MIN_COSINE = 0.98;

export interface WorkerEngine extends Pipeline {
  corpus: Corpus;
  embedder: Embedder;
  health: Health;
}

/** The largest difference between a stored and a recomputed component that still counts as equal. */
const F32_TOLERANCE = 1e-6;

export async function createWorkerEngine(options: WorkerEngineOptions): Promise<WorkerEngine> {
  const { bundle, abstainBelow } = options;
  const { header, vectors } = bundle;
  const started = Date.now();

  const corpus = corpusFromBundle(header);
  const counts = corpusCounts(corpus);
  expectSame("counts", JSON.stringify(counts), JSON.stringify(header.counts));

  const analyzer = createDefaultAnalyzer();
  // A model's bundle without an embeddings server to embed questions answers with the built-in
  // embedder's passage vectors it also holds, and says so, rather than not at all.
  const fallback = header.served && !options.servedEmbedder && header.fallback && bundle.fallback ? { header: header.fallback, vectors: bundle.fallback } : undefined;
  const served = header.served && !fallback ? await servedModelOf(header.served, corpus, bundle, options.servedEmbedder) : undefined;
  const embedder = served?.embedder ?? createBuiltInEmbedder(corpus, analyzer);
  if (!served) {
    const stored = fallback ?? { header, vectors };
    expectSame("embedder", embedder.id, stored.header.embedder.id);
    expectSame("dimension", String(embedder.dimension), String(stored.header.vectors.dimension));
    expectSame("vector count", String(counts.passages), String(stored.header.vectors.count));
    await expectSameVectors(embedder, corpus, stored.vectors, stored.header.vectors.encoding);
  }

  const pipeline = createPipeline({
    corpus,
    embedder,
    analyzer,
    vectorIndex: createExactIndex(embedder.dimension, served ? served.passages : fallback ? fallback.vectors : vectors),
    ...(served && { sentenceVectors: served.sentences, backgroundVectors: served.background }),
    // The model's cross-lingual bridge, as the Node server builds it, searched exactly (no hnswlib here).
    ...(served?.bridge && { bridge: served.bridge }),
    ...(abstainBelow !== undefined && { abstainBelow }),
  });

  const bridged = served?.bridge ? `, with the cross-lingual bridge over ${served.bridge.entries.length} Arabic words and phrases` : "";
  const health: Health = {
    ready: true,
    embedder: {
      id: embedder.id,
      dimension: embedder.dimension,
      reason: served
        ? `questions embedded through the embeddings server (${calibrationKey(embedder.id)}); the bundle's vectors were made by ${header.embedder.id} and agree with it${bridged}`
        : fallback
          ? `the bundle holds ${header.served!.model}'s vectors, but this Worker has no embeddings server: set EMBEDDINGS_URL (or bind Workers AI as AI) for the model's answers; ` +
            "answering meanwhile with the built-in hashing embedder, rebuilt from the bundled corpus (matches the bundle's fallback vectors)"
          : "built-in hashing embedder, rebuilt from the bundled corpus; matches the bundle",
    },
    ...refusalHealth(embedder.id),
    counts,
    index: {
      kind: "exact",
      loaded: true,
      builtAt: header.builtAt,
      // Workers freeze the clock while code runs, so on Cloudflare this reads 0; wrangler dev shows real time.
      buildMs: Date.now() - started,
      reason: `loaded worker bundle built ${header.builtAt} (${header.vectors.count} vectors, dimension ${header.vectors.dimension}, ${header.vectors.encoding}${fallback ? `; answering from its ${fallback.header.vectors.count} built-in embedder's vectors` : ""})`,
    },
    warnings: header.warnings,
    // The Worker never has the optional lexicons: they are GPL data built on a user's machine
    // (npm run lexicons) and are not bundled; createPipeline defaults to none.
    lexicons: [],
  };
  return { ...pipeline, corpus, embedder, health };
}

/** Sentences and passages from the documents, by the same code that built them in Node. */
export function corpusFromBundle(header: BundleHeader): Corpus {
  const documents: SourceDocument[] = [];
  const sentences: Sentence[] = [];
  for (const { id, meta, text, format, pages, sections } of header.documents) {
    const segmented = segmentDocument({ id, meta, text });
    // A PDF's pages and a DOCX's or page's sections travel with the text, so citations keep them.
    documents.push({ ...segmented.document, ...(format && { format }), ...(pages && { pages }), ...(sections && { sections }) });
    for (const sentence of locateSpans(segmented.sentences, pages, sections)) sentences.push(sentence);
  }
  return { documents, sentences, passages: buildPassages(documents, sentences, header.passageOptions) };
}

function expectSame(what: string, rebuilt: string, stored: string): void {
  if (rebuilt !== stored) throw bundleError(`${what} ${stored}, but this code rebuilds ${rebuilt}`);
}

/** Re-embeds the first, middle and last passage and compares them with the stored rows. */
async function expectSameVectors(embedder: Embedder, corpus: Corpus, vectors: Float32Array, encoding: VectorEncoding): Promise<void> {
  const count = corpus.passages.length;
  if (count === 0) return;
  const probes = [...new Set([0, count >> 1, count - 1])];
  const fresh = await embedder.embed(probes.map((i) => corpus.passages[i].text), "passage");
  const dimension = embedder.dimension;
  probes.forEach((passage, k) => {
    const stored = vectors.subarray(passage * dimension, (passage + 1) * dimension);
    // int8 rows are off by up to half a quantization step (max |x| / 254) before renormalizing.
    let tolerance = F32_TOLERANCE;
    if (encoding === "i8") tolerance = (Math.max(...fresh[k].map(Math.abs)) / 127) * 1.01 + F32_TOLERANCE;
    let worst = 0;
    for (let j = 0; j < dimension; j++) worst = Math.max(worst, Math.abs(stored[j] - fresh[k][j]));
    if (worst > tolerance) throw bundleError(`vector of passage ${passage} differs from this code's embedding by ${worst.toExponential(2)}`);
  });
}

/**
 * A bundle of a served model's vectors: the Worker's embedder must serve the same model with the
 * same marking (host aside), with the same dimension, and agree on a passage's vector.
 */
async function servedModelOf(served: ServedModel, corpus: Corpus, { header, vectors }: Bundle, embedderFor: WorkerEngineOptions["servedEmbedder"]) {
  if (!embedderFor) throw bundleError(`it holds ${served.model}'s vectors, but this Worker has no embeddings server; set EMBEDDINGS_URL (or bind Workers AI as AI), or build it with the built-in embedder`);
  const embedder = await embedderFor(served);
  expectSame("served model", calibrationKey(embedder.id), calibrationKey(header.embedder.id));
  const dimension = header.vectors.dimension;
  expectSame("dimension", String(embedder.dimension), String(dimension));
  const passages = corpus.passages.length;
  const bridgeCount = served.bridge?.length ?? 0;
  expectSame("vector count", String(passages + corpus.sentences.length + served.background + bridgeCount), String(header.vectors.count));
  expectSame("sentence vectors", String(corpus.sentences.length), String(served.sentences));
  if (passages > 0) {
    const [fresh] = await embedder.embed([corpus.passages[0].text], "passage");
    let cosine = 0;
    for (let j = 0; j < dimension; j++) cosine += fresh[j] * vectors[j];
    if (!(cosine >= SERVED_MIN_COSINE)) throw bundleError(`the first passage's vector from the embeddings server is at cosine ${cosine.toFixed(3)} from the bundle's; serve the model the bundle was built with`);
  }
  const rows = (from: number, count: number) => vectors.subarray(from * dimension, (from + count) * dimension);
  const bridgeAt = passages + served.sentences + served.background;
  return {
    embedder,
    passages: rows(0, passages),
    sentences: rows(passages, served.sentences),
    background: rows(passages + served.sentences, served.background),
    bridge: served.bridge && { entries: served.bridge, vectors: rows(bridgeAt, bridgeCount) },
  };
}
