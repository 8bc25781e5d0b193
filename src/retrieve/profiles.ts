// Retrieval settings that depend on the dense embedder. With the built-in (hashing) embedder the
// question's words carry the ranking and the refusal; with a multilingual model, sentences are
// also compared with the question through the model's own vectors (computed when the index is
// built), and questions in other languages than the sources' are scored by the model alone.
//
// The model's weights were chosen on the fit half of XQuAD dev (articles split by hash in
// scripts/tune-model.ts) and are reported on both halves in docs/quality.md, "Retrieval with the model".
import type { CrossLingualProfile, RetrieverOptions, SentenceWeights } from "./retriever";
import { modelThresholds } from "./calibration";
import { createBackground } from "./background";

/** Weights scaled to sum to 1, so a sentence's score (and the answer's confidence) stays in [0, 1]. */
export function normalized(weights: SentenceWeights): SentenceWeights {
  const sum = weights.coverage + weights.similarity + weights.passage + weights.proximity + (weights.densePassage ?? 0);
  return {
    coverage: weights.coverage / sum,
    similarity: weights.similarity / sum,
    passage: weights.passage / sum,
    proximity: weights.proximity / sum,
    densePassage: (weights.densePassage ?? 0) / sum,
  };
}

/** Same-language (Arabic) questions with the model: words still count, the model's similarity leads. */
export const MODEL_SENTENCE_WEIGHTS: SentenceWeights = normalized({ coverage: 0.3, similarity: 1, passage: 0.1, proximity: 0.05, densePassage: 0.5 });

/** Questions in other languages with the model: dense search leads fusion, similarity leads sentences. */
export const MODEL_CROSS_LINGUAL: Omit<CrossLingualProfile, "abstainBelow"> = {
  fusion: { dense: 1, lexical: 0.3, k: 60 },
  sentenceWeights: normalized({ coverage: 0.1, similarity: 1, passage: 0.1, proximity: 0, densePassage: 0.5 }),
  // Which of the best few sentences to cite first, by matching tokens (token-match.ts); weight
  // chosen on the fit half (0.04-0.2 tried; any depth from 3 to 8 gave the same).
  tokenRerank: { weight: 0.1, depth: 5 },
};

/** The model's vectors computed with the index: every sentence's, and the background sentences' (retrieve/background.ts). */
export interface ModelVectors {
  sentences: Float32Array;
  background: Float32Array;
}

/** What createPipeline gives the retriever when the dense embedder is a multilingual model. */
export function modelRetrieverOptions(vectors: ModelVectors, dimension: number, embedderId?: string): Partial<RetrieverOptions> {
  // Each model's scores sit on its own scale: thresholds are per embedder (retrieve/calibration.ts).
  const thresholds = modelThresholds(embedderId);
  return {
    sentenceVectors: vectors.sentences,
    sentenceWeights: MODEL_SENTENCE_WEIGHTS,
    rerankPassages: 16,
    abstainBelow: thresholds.sameLanguage,
    crossLingual: {
      ...MODEL_CROSS_LINGUAL,
      abstainBelow: thresholds.crossLingual,
      ...(thresholds.crossLingualNamed !== undefined && { namedAbstainBelow: thresholds.crossLingualNamed }),
      background: createBackground(vectors.background, dimension),
    },
  };
}
