// What a stored vector index was built from, and how to tell whether it is still valid.
// Core (no Node APIs): the Worker reads the same manifest next to vectors.f32.
import { z } from "zod";

/** Bump when the layout of the stored files changes, so old folders are rebuilt. */
export const FORMAT_VERSION = 1;

export const STORE_FILES = {
  manifest: "manifest.json",
  /** hnswlib's own format. */
  index: "index.hnsw",
  /** count × dimension Float32, row-major, little-endian, no header. */
  vectors: "vectors.f32",
} as const;

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
  hnsw: z.object({ M: z.number(), efConstruction: z.number(), efSearch: z.number() }),
  builtAt: z.string(),
  buildMs: z.number().nonnegative(),
  files: z.object({ index: FileEntrySchema, vectors: FileEntrySchema }),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFileEntry = z.infer<typeof FileEntrySchema>;

/** What the running service expects the stored index to have been built from. */
export interface ManifestExpectation {
  embedderId: string;
  dimension: number;
  corpusHash: string;
  count: number;
  hnsw: { M: number; efConstruction: number };
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
  return undefined;
}
