// Node adapter: the embedder a server process uses, as configured, and the id its stored vectors
// are kept under. Shared by both stores' engines (engine.ts: hnswlib; pg-engine.ts: pgvector).
import { createHash } from "node:crypto";
import type { Config } from "../config";
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
