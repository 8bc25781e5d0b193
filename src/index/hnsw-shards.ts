// Node adapter: one HNSW index made of several graphs ("shards") over contiguous ranges of the
// passages, built at once on worker threads (hnswlib's addPoint is synchronous, so one graph
// uses one core) and searched together, merging by score. Smaller graphs also search with
// better recall at the same efSearch.
import { Worker } from "node:worker_threads";
import { createError } from "../errors";
import type { ScoredId } from "../types";
import { loadHnswIndex, type HnswIndex } from "./hnsw";

export interface ShardBuildOptions {
  /** count × dimension, row-major. Shared with the workers, copied once if not already in a SharedArrayBuffer. */
  vectors: Float32Array;
  dimension: number;
  M: number;
  efConstruction: number;
  /** One file per shard: the number of paths is the number of graphs. */
  paths: string[];
  randomSeed?: number;
  onProgress?: (inserted: number, total: number) => void;
}

export type ShardedHnswIndex = Pick<HnswIndex, "dimension" | "size" | "search" | "setEfSearch">;

const WORKER_URL = new URL("./hnsw-shard-worker.mjs", import.meta.url);

/** Contiguous [start, end) ranges of nearly equal length covering 0…count. */
export function shardRanges(count: number, shards: number): [number, number][] {
  return Array.from({ length: shards }, (_, s) => [Math.floor((s * count) / shards), Math.floor(((s + 1) * count) / shards)]);
}

/**
 * Below this many vectors per graph, fewer graphs are built. Every graph is searched for every
 * question, so sharding buys build time with query time: at 10k passages one graph answers at
 * recall@10 0.955 in 0.33 ms where two need 0.69 ms (efSearch 128); at 20k one graph at ef 256
 * reaches 0.975 in 1.16 ms, two graphs at ef 128 0.964 in 1.53 ms (bench/REPORT.md, session 3).
 * One graph also builds in seconds up to here (20k: 15 s), so only larger corpora are split.
 */
export const DEFAULT_MIN_SHARD_SIZE = 20_000;

/** How many graphs to build: at most `shards`, each with at least `minShardSize` vectors, at least one. */
export function shardCount(count: number, shards: number, minShardSize: number): number {
  return Math.max(1, Math.min(shards, Math.floor(count / Math.max(1, minShardSize))));
}

/** Builds one graph per path on its own worker thread and writes it there. */
export async function buildHnswShards(options: ShardBuildOptions): Promise<void> {
  const { dimension, paths } = options;
  if (options.vectors.length % dimension !== 0) {
    throw createError("DIMENSION_MISMATCH", dimension, options.vectors.length % dimension, `The last row of a flat buffer of ${options.vectors.length} floats`);
  }
  const count = options.vectors.length / dimension;
  const vectors = inSharedMemory(options.vectors);
  const inserted = new Array<number>(paths.length).fill(0);
  const ranges = shardRanges(count, paths.length);
  await Promise.all(
    ranges.map(([start, end], s) => {
      const workerData = { vectors, dimension, start, end, M: options.M, efConstruction: options.efConstruction, randomSeed: options.randomSeed ?? 100, path: paths[s] };
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(WORKER_URL, { workerData });
        let done = false;
        worker.on("message", (message: { inserted: number; done?: boolean }) => {
          inserted[s] = message.inserted;
          options.onProgress?.(inserted.reduce((a, b) => a + b, 0), count);
          if (message.done) done = true;
        });
        worker.on("error", reject);
        worker.on("exit", (code) => (done && code === 0 ? resolve() : reject(new Error(`HNSW shard ${s} worker exited with code ${code} before finishing`))));
      });
    }),
  );
}

/** Reads the graphs written by buildHnswShards, in the same order. */
export async function loadHnswShards(paths: string[], options: { dimension: number; efSearch?: number }): Promise<ShardedHnswIndex> {
  return combineShards(await Promise.all(paths.map((path) => loadHnswIndex(path, options))), options.dimension);
}

/** Searches every shard for k and keeps the k best overall (ties to the smaller id, like every index here). */
export function combineShards(shards: HnswIndex[], dimension: number): ShardedHnswIndex {
  if (shards.length === 1) return shards[0];
  return {
    dimension,
    get size() {
      return shards.reduce((total, shard) => total + shard.size, 0);
    },
    search(query: Float32Array, k: number): ScoredId[] {
      return shards
        .flatMap((shard) => shard.search(query, k))
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, Math.max(0, Math.floor(k)));
    },
    setEfSearch(efSearch: number) {
      for (const shard of shards) shard.setEfSearch(efSearch);
    },
  };
}

function inSharedMemory(vectors: Float32Array): Float32Array {
  if (vectors.buffer instanceof SharedArrayBuffer) return vectors;
  const shared = new Float32Array(new SharedArrayBuffer(vectors.byteLength));
  shared.set(vectors);
  return shared;
}
