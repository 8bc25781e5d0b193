// What a stored vector index was built from, and how to tell whether it is still valid.
// Core (no Node APIs): the Worker reads the same manifest next to vectors.f32.
import { z } from "zod";

/** Bump when the layout of the stored files changes, so old folders are rebuilt. */
export const FORMAT_VERSION = 1;

export const STORE_FILES = {
  manifest: "manifest.json",
  /** hnswlib's own format; the first graph when the index is built in shards. */
  index: "index.hnsw",
  /** count × dimension Float32, row-major, little-endian, no header. */
  vectors: "vectors.f32",
  /**
   * count Uint32, little-endian: each row's label in the graph, once the graph has been updated
   * in place (index/incremental.ts). Absent: row i is label i, as a fresh build makes it.
   */
  labels: "labels.u32",
} as const;

/** The file of graph `shard` (0 is STORE_FILES.index, so a one-graph folder looks as it always did). */
export const shardFile = (shard: number): string => (shard === 0 ? STORE_FILES.index : `index-${shard}.hnsw`);

const FileEntrySchema = z.object({
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ManifestSchema = z.object({
  formatVersion: z.number().int(),
  embedder: z.object({ id: z.string(), dimension: z.number().int().positive() }),
  corpusHash: z.string(),
  count: z.number().int().nonnegative(),
  /** efSearch is recorded for reference only: it is a query-time setting and never forces a rebuild. */
  /** shards: how many graphs over contiguous passage ranges (absent in manifests from before sharding: one). */
  hnsw: z.object({ M: z.number(), efConstruction: z.number(), efSearch: z.number(), shards: z.number().int().nonnegative().default(1) }),
  builtAt: z.string(),
  buildMs: z.number().nonnegative(),
  /** index is graph 0; moreShards holds graphs 1… (index-1.hnsw, …) when there are several. */
  /** No index and 0 shards: a store of vectors only, read by position and never searched (store.ts, graph: false). */
  files: z.object({ index: FileEntrySchema.optional(), vectors: FileEntrySchema, moreShards: z.array(FileEntrySchema).default([]), labels: FileEntrySchema.optional() }),
  /** The first graph label never given (labels of removed rows are never reused); absent: count. */
  nextLabel: z.number().int().nonnegative().optional(),
  /** How the last write changed the graph, when it was updated in place rather than built. */
  update: z.object({ added: z.number().int(), removed: z.number().int(), kept: z.number().int() }).optional(),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFileEntry = z.infer<typeof FileEntrySchema>;

/** What the running service expects the stored index to have been built from. */
export interface ManifestExpectation {
  embedderId: string;
  dimension: number;
  corpusHash: string;
  count: number;
  /** shards: the number of graphs a build would make now (default 1). */
  hnsw: { M: number; efConstruction: number; shards?: number };
}

/** Why the manifest does not describe what is expected, or undefined when it does. */
export function staleReason(manifest: Manifest, expected: ManifestExpectation): string | undefined {
  const short = (hash: string) => `${hash.slice(0, 8)}…`;
  if (manifest.formatVersion !== FORMAT_VERSION) return `store format changed (version ${manifest.formatVersion} ≠ ${FORMAT_VERSION})`;
  if (manifest.embedder.id !== expected.embedderId) return `embedder changed (${manifest.embedder.id} ≠ ${expected.embedderId})`;
  if (manifest.embedder.dimension !== expected.dimension) return `dimension changed (${manifest.embedder.dimension} ≠ ${expected.dimension})`;
  if (manifest.corpusHash !== expected.corpusHash) return `corpus changed (hash ${short(manifest.corpusHash)} ≠ ${short(expected.corpusHash)})`;
  if (manifest.count !== expected.count) return `passage count changed (${manifest.count} ≠ ${expected.count})`;
  const { M, efConstruction } = manifest.hnsw;
  if (M !== expected.hnsw.M || efConstruction !== expected.hnsw.efConstruction) {
    return `HNSW parameters changed (M=${M}, efConstruction=${efConstruction} ≠ M=${expected.hnsw.M}, efConstruction=${expected.hnsw.efConstruction})`;
  }
  const shards = expected.hnsw.shards ?? 1;
  if (manifest.hnsw.shards !== shards) return `HNSW shards changed (${manifest.hnsw.shards} ≠ ${shards})`;
  return undefined;
}
