// Node adapter: the embedder a server process uses, as configured, and the id its stored vectors
// are kept under. Shared by both stores' engines (engine.ts: hnswlib; pg-engine.ts: pgvector).
import { createHash } from "node:crypto";
import type { Config } from "../config";
import type { OpenAiEmbedderOptions } from "../embed/openai";
import { selectEmbedder } from "../embed/select";
import type { Analyzer } from "../text";
import type { Embedder } from "../types";

/** Text that exercises normalisation, stemming and both scripts: its vector changes when any of them does. */
export const PROBE = "قال أمينُ مجلس الأمن إنّ الاتفاقيات الأمنية ستُوقَّع في ديسمبر 2024؛ The security council approved it.";

/** EMBEDDER/MODEL/MODELS_DIR as configured; `passageTexts` teach the built-in embedder its weights. */
export function selectConfiguredEmbedder(config: Config, analyzer: Analyzer, passageTexts: string[]): Promise<{ embedder: Embedder; reason: string }> {
  return selectEmbedder(
    {
      kind: config.EMBEDDER,
      transformers: { model: config.MODEL, modelsDir: config.MODELS_DIR, allowRemote: config.ALLOW_REMOTE_MODELS },
      ...(config.EMBEDDER === "openai" && { openai: openAiOptionsOf(config) }),
      hashing: { terms: (t) => analyzer.analyze(t), words: (t) => analyzer.words(t) },
    },
    passageTexts,
  );
}

/**
 * The embedder's id with a fingerprint of its vector for PROBE: stored vectors are kept under it,
 * so any change to the model, its conversion or the text analysis makes them stale.
 */
export async function fingerprintedId(embedder: Embedder): Promise<string> {
  const [vector] = await embedder.embed([PROBE], "passage");
  return `${embedder.id}#${createHash("sha256").update(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength)).digest("hex").slice(0, 12)}`;
}

/** EMBEDDINGS_* as the openai embedder's options (EMBEDDER=openai; loadConfig has checked URL and model are set). */
export function openAiOptionsOf(config: Config): OpenAiEmbedderOptions {
  return {
    url: config.EMBEDDINGS_URL ?? "",
    model: config.EMBEDDINGS_MODEL ?? "",
    apiKey: config.EMBEDDINGS_API_KEY,
    mark: config.EMBEDDINGS_MARK,
    batchSize: config.EMBEDDINGS_BATCH,
    parallel: config.EMBEDDINGS_PARALLEL,
    timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
  };
}
