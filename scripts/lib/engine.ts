// An engine built in memory from a corpus folder with the built-in embedder and exact vector
// search: what tests, calibration and ablations need, without touching embeddings/.
import { loadCorpusDir } from "../../src/corpus/load-node";
import { createExactIndex } from "../../src/index/exact";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline, type PipelineOptions, type Pipeline } from "../../src/pipeline";
import type { Corpus } from "../../src/types";

export type InMemoryOptions = Omit<PipelineOptions, "corpus" | "embedder" | "vectorIndex">;

export async function buildInMemoryPipeline(corpus: Corpus, options: InMemoryOptions = {}): Promise<Pipeline> {
  const analyzer = options.analyzer ?? createDefaultAnalyzer();
  const embedder = createBuiltInEmbedder(corpus, analyzer);
  const vectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
  return createPipeline({ ...options, analyzer, corpus, embedder, vectorIndex: createExactIndex(embedder.dimension, vectors) });
}

export async function loadCorpus(dir = "corpus"): Promise<Corpus> {
  return (await loadCorpusDir(dir)).corpus;
}
