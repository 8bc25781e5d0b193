import type { Health } from "../types";

/** What /api/health reports before an engine is ready (503), with the reason in place of the embedder's. */
export function notReadyHealth(reason = "starting", kind: "hnsw" | "pgvector" = "hnsw"): Health {
  return {
    ready: false,
    embedder: { id: "", dimension: 0, reason },
    counts: { documents: 0, paragraphs: 0, sentences: 0, passages: 0 },
    index: { kind, loaded: false, builtAt: "", buildMs: 0, reason },
    warnings: [],
    lexicons: [],
  };
}
