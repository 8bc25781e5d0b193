// Node side of the model's cross-lingual bridge (retrieve/bridge.ts): its vocabulary's vectors
// packed in rows, and an HNSW graph over them, since the vocabulary is searched once per word of a
// question in another language and a scan costs ~3 ms per word per 10k words.
import { createHnswIndex } from "../index/hnsw";

/** The vector cache keeps vectors by text: the bridge's words, embedded as queries, are kept under the text the model reads. */
export const QUERY_PREFIX = "query: ";

export function modelBridge(entries: string[], rows: Float32Array[], dimension: number) {
  const vectors = new Float32Array(rows.length * dimension);
  rows.forEach((v, i) => vectors.set(v, i * dimension));
  const index = createHnswIndex({ dimension, capacity: rows.length, efConstruction: 100, efSearch: 64 });
  index.add(rows);
  return { entries, vectors, index };
}
