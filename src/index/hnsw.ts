// Node adapter: approximate nearest neighbours with hnswlib (HNSW graph, native code).
// Vectors are L2-normalised, so the "ip" space ranks by cosine; hnswlib reports
// distance = 1 − inner product, which search turns back into a score.
import hnswlib from "hnswlib-node";
import { createError } from "../errors";
import type { ScoredId, VectorIndex } from "../types";

export interface HnswOptions {
  dimension: number;
  /** Graph degree: higher means better recall, more memory and slower builds. */
  M?: number;
  /** Candidate list size while inserting: higher means a better graph and slower builds. */
  efConstruction?: number;
  /** Candidate list size while searching (raised to k when k is larger). */
  efSearch?: number;
  /** Vectors the index has room for; it grows past this when needed. */
  capacity: number;
  /** Fixed so that the same vectors always give the same graph. */
  randomSeed?: number;
}

export type HnswIndex = VectorIndex & {
  add(vectors: Float32Array[]): void;
  /**
   * Adds one vector under `label`, reusing the room of a removed one when there is any. A label
   * is never given twice (hnswlib refuses to re-add a removed label while room is reused).
   */
  insert(vector: Float32Array, label: number): void;
  /** Marks a label removed: searches skip it, and the next insert may take its room. */
  remove(label: number): void;
  /** Every label the graph holds, removed ones included. */
  labels(): number[];
  /** Trades recall for speed on the built graph, no rebuild (e.g. to measure a recall curve). */
  setEfSearch(efSearch: number): void;
  writeTo(path: string): Promise<void>;
};

const defaults = { M: 16, efConstruction: 200, efSearch: 64, randomSeed: 100 };

export function createHnswIndex(options: HnswOptions): HnswIndex {
  const settings = { ...defaults, ...options };
  const graph = new hnswlib.HierarchicalNSW("ip", settings.dimension);
  graph.initIndex({
    maxElements: Math.max(1, settings.capacity),
    m: settings.M,
    efConstruction: settings.efConstruction,
    randomSeed: settings.randomSeed,
    allowReplaceDeleted: true,
  });
  return wrap(graph, settings.dimension, settings.efSearch);
}

/** Reads an index written by writeTo; `dimension` must be the one it was built with. */
export async function loadHnswIndex(path: string, options: Omit<HnswOptions, "capacity"> & { capacity?: number }): Promise<HnswIndex> {
  const settings = { ...defaults, ...options };
  const graph = new hnswlib.HierarchicalNSW("ip", settings.dimension);
  await graph.readIndex(path, true);
  if (settings.capacity !== undefined && settings.capacity > graph.getMaxElements()) graph.resizeIndex(settings.capacity);
  return wrap(graph, settings.dimension, settings.efSearch);
}

function wrap(graph: hnswlib.HierarchicalNSW, dimension: number, initialEfSearch: number): HnswIndex {
  let efSearch = initialEfSearch;
  function add(vectors: Float32Array[]): void {
    vectors.forEach((vector, i) => {
      if (vector.length !== dimension) throw createError("DIMENSION_MISMATCH", dimension, vector.length, `Vector ${graph.getCurrentCount() + i}`);
    });
    const needed = graph.getCurrentCount() + vectors.length;
    if (needed > graph.getMaxElements()) graph.resizeIndex(Math.max(needed, graph.getMaxElements() * 2));
    // Labels are insertion positions, i.e. passage indices.
    for (const vector of vectors) graph.addPoint(Array.from(vector), graph.getCurrentCount());
  }

  function insert(vector: Float32Array, label: number): void {
    if (vector.length !== dimension) throw createError("DIMENSION_MISMATCH", dimension, vector.length, `Vector ${label}`);
    // Room is reused from removed vectors first; the graph grows only when there is none.
    if (graph.getCurrentCount() >= graph.getMaxElements()) graph.resizeIndex(graph.getMaxElements() * 2);
    graph.addPoint(Array.from(vector), label, true);
  }

  function search(query: Float32Array, k: number): ScoredId[] {
    if (query.length !== dimension) throw createError("DIMENSION_MISMATCH", dimension, query.length, "The query vector");
    // hnswlib throws when asked for more neighbours than it holds.
    const count = Math.min(Math.floor(k), graph.getCurrentCount());
    if (!(count >= 1)) return [];
    graph.setEf(Math.max(efSearch, count));
    const { neighbors, distances } = graph.searchKnn(Array.from(query), count);
    return neighbors
      .map((id, i) => ({ id, score: 1 - distances[i] }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }

  return {
    dimension,
    get size() {
      return graph.getCurrentCount();
    },
    add,
    insert,
    remove: (label) => graph.markDelete(label),
    labels: () => graph.getIdsList(),
    search,
    setEfSearch: (value) => {
      if (!Number.isInteger(value) || value < 1) throw createError("INVALID_CONFIG", "efSearch", String(value), "a positive integer");
      efSearch = value;
    },
    writeTo: async (path) => {
      await graph.writeIndex(path);
    },
  };
}
