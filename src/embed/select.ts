// Node adapter: picks the embedder at startup. "auto" prefers the transformer model
// when it is on disk and otherwise falls back to hashing, saying which and why.
import { AppError } from "../errors";
import type { Embedder } from "../types";
import { createHashingEmbedder, type HashingEmbedderOptions } from "./hashing";
import { createOpenAiEmbedder, displayUrl, type OpenAiEmbedderOptions } from "./openai";
import { createQueryBatcher } from "./query-batcher";
import { createTransformersEmbedder, type TransformersEmbedderOptions } from "./transformers";

export interface EmbedderConfig {
  kind: "auto" | "hashing" | "transformers" | "openai";
  transformers?: TransformersEmbedderOptions;
  /** Required with kind "openai". */
  openai?: OpenAiEmbedderOptions;
  hashing: Omit<HashingEmbedderOptions, "corpus">;
}

/** `corpus` (the passage texts) teaches the hashing embedder its IDF weights. */
export async function selectEmbedder(config: EmbedderConfig, corpus: string[]): Promise<{ embedder: Embedder; reason: string }> {
  const hashing = () => createHashingEmbedder({ ...config.hashing, corpus });

  if (config.kind === "hashing") return { embedder: hashing(), reason: "using the built-in hashing embedder, as configured" };

  if (config.kind === "openai") {
    if (!config.openai) throw new Error("selectEmbedder: kind openai needs the openai options");
    // No fallback: a configured server that cannot be used stops the start (its error says why and what to try).
    const embedder = createQueryBatcher(await createOpenAiEmbedder(config.openai));
    return { embedder, reason: `using ${embedder.id} (dimension ${embedder.dimension}) from the server at ${displayUrl(config.openai.url)}` };
  }

  try {
    // Questions asked at once share forward passes (see query-batcher.ts).
    const embedder = createQueryBatcher(await createTransformersEmbedder(config.transformers));
    const tokens = embedder.embedTokens ? ", with its token vectors" : ", without token vectors (no token-vectors.bin in its folder; npm run model:fetch writes one)";
    return { embedder, reason: `using ${embedder.id} (dimension ${embedder.dimension}${tokens})` };
  } catch (error) {
    // Only "the model is not there or will not load" is worth a fallback; anything else is a bug to surface.
    if (config.kind === "transformers" || !(error instanceof AppError && error.code === "MODEL_UNAVAILABLE")) throw error;
    return { embedder: hashing(), reason: `${error.message} Using the built-in hashing embedder instead.` };
  }
}
