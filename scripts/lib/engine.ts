// An engine built in memory from a corpus folder with the built-in embedder and exact vector
// search: what tests, calibration and ablations need, without touching embeddings/.
import { loadCorpusDir } from "../../src/corpus/load-node";
import { createExactIndex } from "../../src/index/exact";
import { createHnswIndex } from "../../src/index/hnsw";
import { bridgeEntries, createBuiltInEmbedder, createDefaultAnalyzer, createPipeline, type PipelineOptions, type Pipeline } from "../../src/pipeline";
import type { Corpus, Embedder } from "../../src/types";
import { noLexicons, type Lexicons } from "../../src/text/lexicon";
import { embedBackground } from "../../src/retrieve/background";
import { describeLexicons, loadLexicons } from "../../src/text/lexicon/load-node";

export type InMemoryOptions = Omit<PipelineOptions, "corpus" | "embedder" | "vectorIndex">;

export async function buildInMemoryPipeline(corpus: Corpus, options: InMemoryOptions = {}): Promise<Pipeline> {
  const analyzer = options.analyzer ?? createDefaultAnalyzer();
  const embedder = createBuiltInEmbedder(corpus, analyzer);
  const vectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
  return createPipeline({ ...options, analyzer, corpus, embedder, vectorIndex: createExactIndex(embedder.dimension, vectors) });
}

/**
 * An engine in memory with a multilingual model: passage and sentence vectors from `embedder`,
 * exact search, and the model's scoring and calibrated thresholds (src/retrieve/profiles.ts).
 */
export type ModelPipelineOptions = Omit<InMemoryOptions, "bridge"> & {
  /** The model's cross-lingual bridge (retrieve/bridge.ts): on by default, `false` turns it off; floor, depth and weight override the defaults. */
  bridge?: false | { floor?: number; depth?: number; weight?: number };
};

export async function buildModelPipeline(corpus: Corpus, embedder: Embedder, options: ModelPipelineOptions = {}): Promise<Pipeline> {
  const passageVectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
  const sentenceVectors = new Float32Array(corpus.sentences.length * embedder.dimension);
  (await embedder.embed(corpus.sentences.map((s) => s.text), "passage")).forEach((v, i) => sentenceVectors.set(v, i * embedder.dimension));
  const backgroundVectors = await embedBackground((texts) => embedder.embed(texts, "passage"), embedder.dimension);
  let bridge: PipelineOptions["bridge"];
  if (options.bridge !== false) {
    const entries = bridgeEntries(corpus, options.analyzer ?? createDefaultAnalyzer());
    const rows = await embedder.embed(entries, "query");
    bridge = { ...options.bridge, entries, vectors: packed(rows, embedder.dimension), index: bridgeIndex(rows, embedder.dimension) };
  }
  return createPipeline({ ...options, corpus, embedder, sentenceVectors, backgroundVectors, bridge, vectorIndex: createExactIndex(embedder.dimension, passageVectors) });
}

export async function loadCorpus(dir = "corpus"): Promise<Corpus> {
  return (await loadCorpusDir(dir)).corpus;
}

/**
 * Scripts measure the default configuration, without the optional lexicons; with `--lexicons` they
 * use the ones `npm run lexicons` built into lexicons/, as the server does when it finds them.
 * Says which on stderr, so every printed result states its configuration.
 */
export function lexiconsFromArgs(args: string[] = process.argv.slice(2)): Lexicons {
  if (!args.includes("--lexicons")) {
    console.error("lexicons: none (the default; --lexicons uses the ones in lexicons/)");
    return noLexicons;
  }
  const { lexicons, problems } = loadLexicons();
  for (const problem of problems) console.error(problem);
  if (lexicons.loaded.length === 0) throw new Error("--lexicons: none found in lexicons/; build them with npm run lexicons");
  console.error(`lexicons: ${describeLexicons(lexicons)}`);
  return lexicons;
}

/** An HNSW graph over the bridge's vocabulary, as the server builds it (src/node/engine.ts). */
export function bridgeIndex(rows: Float32Array[], dimension: number) {
  const index = createHnswIndex({ dimension, capacity: rows.length, efConstruction: 100, efSearch: 64 });
  index.add(rows);
  return index;
}

function packed(vectors: Float32Array[], dimension: number): Float32Array {
  const all = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => all.set(v, i * dimension));
  return all;
}
