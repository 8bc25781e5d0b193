// Node adapter: keeps the embedded passages and their HNSW graph in a folder, and reuses
// them while they still match the corpus, embedder and parameters.
//
// Crash safety: every file is written to a temp name in the same folder, fsynced and renamed
// into place, and the manifest goes last (the old one is removed before any file is replaced).
// A manifest therefore only ever points at complete files, and its checksums catch anything
// changed behind its back. Leftover temp files are deleted, never read.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { createError } from "../errors";
import { createProgressMeter, describeProgress, type IndexingProgress } from "./progress";
import type { VectorIndex } from "../types";
import { buildHnswShards, DEFAULT_MIN_SHARD_SIZE, loadHnswShards, shardCount } from "./hnsw-shards";
import { createExactIndex } from "./exact";
import { FORMAT_VERSION, ManifestSchema, STORE_FILES, shardFile, staleReason, type Manifest, type ManifestFileEntry } from "./manifest";

export type { Manifest } from "./manifest";

export interface VectorStoreOptions {
  dir: string;
  embedderId: string;
  dimension: number;
  corpusHash: string;
  count: number;
  /** shards: at most this many graphs, built in parallel on worker threads (default 1). */
  hnsw: { M: number; efConstruction: number; efSearch: number; shards?: number };
  /** Fewer vectors than this per graph and fewer graphs are built (default DEFAULT_MIN_SHARD_SIZE): small corpora keep one. */
  minShardSize?: number;
  /** Embeds every passage, in passage order. Only called when the stored index cannot be used. */
  build: (onProgress: (done: number, total: number) => void) => Promise<Float32Array[]>;
  log?: (message: string) => void;
  /**
   * false: keep the vectors only, with no HNSW graph, for vectors read by position and never
   * searched (the model's sentence vectors); `index` is then exact search over them. Default true.
   */
  graph?: boolean;
  /** What the vectors are of, for progress lines (default "passages"). */
  label?: string;
  /** Every embedding progress report, e.g. for /api/health while the index builds. */
  onProgress?: (progress: IndexingProgress) => void;
  /** Rebuild even when the stored index matches. */
  force?: boolean;
}

export interface VectorStore {
  index: VectorIndex;
  /** count × dimension, row-major. */
  vectors: Float32Array;
  manifest: Manifest;
  /** True when read from disk, false when just built. */
  loaded: boolean;
  /** Why it was loaded or rebuilt, for the log and the health endpoint. */
  reason: string;
}

const TEMP_FILE = /^(manifest\.json|index(-\d+)?\.hnsw|vectors\.f32)\..+\.tmp$/;
const EXTRA_SHARD_FILE = /^index-\d+\.hnsw$/;
const PROGRESS_LOG_MS = 2000;

/** The number of graphs this store builds for these options. */
const shardsFor = (options: VectorStoreOptions) =>
  options.graph === false ? 0 : shardCount(options.count, options.hnsw.shards ?? 1, options.minShardSize ?? DEFAULT_MIN_SHARD_SIZE);

export async function openVectorStore(options: VectorStoreOptions): Promise<VectorStore> {
  const log = options.log ?? (() => {});
  await mkdir(options.dir, { recursive: true });
  await removeTempFiles(options.dir);

  const attempt = options.force ? { reason: "forced" } : await tryLoad(options);
  if ("store" in attempt) {
    log(attempt.store.reason);
    return attempt.store;
  }
  const reason = attempt.firstBuild ? `building: ${attempt.reason}` : `rebuilding: ${attempt.reason}`;
  log(reason);
  return build(options, reason, log);
}

type LoadAttempt = { store: VectorStore } | { reason: string; firstBuild?: boolean };

async function tryLoad(options: VectorStoreOptions): Promise<LoadAttempt> {
  const { dir } = options;
  const manifestText = await readFile(join(dir, STORE_FILES.manifest), "utf8").catch(() => undefined);
  if (manifestText === undefined) {
    const leftovers = await exists(join(dir, STORE_FILES.index)) || await exists(join(dir, STORE_FILES.vectors));
    return leftovers
      ? { reason: `no ${STORE_FILES.manifest} in ${dir} (an earlier build did not finish)` }
      : { reason: `no index in ${dir} yet`, firstBuild: true };
  }

  let manifest: Manifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(manifestText));
  } catch (error) {
    return { reason: `${STORE_FILES.manifest} is unreadable (${firstLine(error)})` };
  }
  const stale = staleReason(manifest, { ...options, hnsw: { ...options.hnsw, shards: shardsFor(options) } });
  if (stale) return { reason: stale };

  const vectorBytes = await verifyFile(dir, STORE_FILES.vectors, manifest.files.vectors);
  if (typeof vectorBytes === "string") return { reason: vectorBytes };
  const graphEntries = manifest.files.index ? [manifest.files.index, ...manifest.files.moreShards] : [];
  if (graphEntries.length !== manifest.hnsw.shards) return { reason: `${STORE_FILES.manifest} lists ${graphEntries.length} graphs for ${manifest.hnsw.shards} shards` };
  for (const [shard, entry] of graphEntries.entries()) {
    const indexCheck = await verifyFile(dir, shardFile(shard), entry);
    if (typeof indexCheck === "string") return { reason: indexCheck };
  }
  if (vectorBytes.byteLength !== manifest.count * manifest.embedder.dimension * 4) {
    return { reason: `${STORE_FILES.vectors} holds ${vectorBytes.byteLength} bytes, not ${manifest.count} × ${manifest.embedder.dimension} floats` };
  }

  const vectors = floatsFromLittleEndian(vectorBytes);
  let index: VectorIndex;
  const paths = graphEntries.map((_, shard) => join(dir, shardFile(shard)));
  try {
    index = paths.length > 0 ? await loadHnswShards(paths, { dimension: options.dimension, efSearch: options.hnsw.efSearch }) : createExactIndex(options.dimension, vectors);
  } catch (error) {
    return { reason: `${STORE_FILES.index} cannot be read (${firstLine(error)})` };
  }
  if (index.size !== manifest.count) return { reason: `${STORE_FILES.index} holds ${index.size} vectors, manifest says ${manifest.count}` };

  const reason = `loaded index built ${manifest.builtAt} with ${manifest.embedder.id} (${manifest.count} vectors, dimension ${manifest.embedder.dimension})`;
  return { store: { index, vectors, manifest, loaded: true, reason } };
}

async function build(options: VectorStoreOptions, reason: string, log: (message: string) => void): Promise<VectorStore> {
  const { dir, dimension, count } = options;
  const started = Date.now();

  let lastLog = started;
  const meter = createProgressMeter(options.label ?? "passages");
  let rows: Float32Array[] | undefined = await options.build((done, total) => {
    const progress = meter(done, total);
    options.onProgress?.(progress);
    if (done < total && Date.now() - lastLog < PROGRESS_LOG_MS) return;
    lastLog = Date.now();
    log(`embedded ${describeProgress(progress)}`);
  });
  if (rows.length !== count) throw createError("VECTOR_COUNT_MISMATCH", count, rows.length);

  // Shared memory, so the graph-building workers read the vectors without a copy each.
  const vectors = new Float32Array(new SharedArrayBuffer(count * dimension * 4));
  rows.forEach((row, i) => {
    if (row.length !== dimension) throw createError("DIMENSION_MISMATCH", dimension, row.length, `Embedding of passage ${i}`);
    vectors.set(row, i * dimension);
  });

  // Only the flat copy is needed from here: dropping the rows frees a whole copy of the vectors
  // before hnswlib makes its own (400 MB at 100k passages of 1024 floats).
  rows = undefined;

  // The graphs are written by their workers to temp files, renamed into place below.
  const shards = shardsFor(options);
  const temps = Array.from({ length: shards }, (_, shard) => tempPath(dir, shardFile(shard)));
  try {
    if (shards > 0) await buildHnswShards({
      vectors,
      dimension,
      M: options.hnsw.M,
      efConstruction: options.hnsw.efConstruction,
      paths: temps,
      onProgress: (done, total) => {
        if (Date.now() - lastLog < PROGRESS_LOG_MS) return;
        lastLog = Date.now();
        log(`indexed ${done}/${total} vectors`);
      },
    });
  } catch (error) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    throw error;
  }

  // From here on the folder is being replaced: drop the old manifest first, so that no
  // manifest ever describes a mix of old and new files.
  await rm(join(dir, STORE_FILES.manifest), { force: true });
  const names = await readdir(dir);
  await Promise.all(names.filter((name) => EXTRA_SHARD_FILE.test(name)).map((name) => rm(join(dir, name), { force: true })));
  const vectorsEntry = await writeAtomically(dir, STORE_FILES.vectors, (path) => writeBytes(path, littleEndianBytes(vectors)));
  const graphEntries: ManifestFileEntry[] = [];
  for (const [shard, temp] of temps.entries()) graphEntries.push(await commitFile(temp, dir, shardFile(shard)));
  const index: VectorIndex =
    graphEntries.length > 0 ? await loadHnswShards(graphEntries.map((entry) => join(dir, entry.name)), { dimension, efSearch: options.hnsw.efSearch }) : createExactIndex(dimension, vectors);
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    embedder: { id: options.embedderId, dimension },
    corpusHash: options.corpusHash,
    count,
    hnsw: { M: options.hnsw.M, efConstruction: options.hnsw.efConstruction, efSearch: options.hnsw.efSearch, shards },
    builtAt: new Date().toISOString(),
    buildMs: Date.now() - started,
    files: { index: graphEntries[0], vectors: vectorsEntry, moreShards: graphEntries.slice(1) },
  };
  await writeAtomically(dir, STORE_FILES.manifest, (path) => writeBytes(path, new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n")));
  await syncDirectory(dir);
  log(`built ${count} vectors with ${options.embedderId} in ${manifest.buildMs} ms`);
  return { index, vectors, manifest, loaded: false, reason };
}

/** Writes via a temp file in the same folder (so rename is atomic), fsynced before the rename. */
async function writeAtomically(dir: string, name: string, write: (path: string) => Promise<void>): Promise<ManifestFileEntry> {
  const temp = tempPath(dir, name);
  try {
    await write(temp);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return commitFile(temp, dir, name);
}

function tempPath(dir: string, name: string): string {
  return join(dir, `${name}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

/** Fsyncs a complete temp file, checksums it and renames it to `name`; the temp is removed on failure. */
async function commitFile(temp: string, dir: string, name: string): Promise<ManifestFileEntry> {
  try {
    const handle = await open(temp, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Checksum what is actually on disk, whoever wrote it (hnswlib writes its own file).
    const bytes = await readFile(temp);
    await rename(temp, join(dir, name));
    return { name, bytes: bytes.byteLength, sha256: sha256(bytes) };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The file's bytes when its size and checksum match the manifest entry, otherwise why not.
 * The name is ours, not the manifest's, so a manifest cannot point outside the folder.
 */
async function verifyFile(dir: string, name: string, entry: ManifestFileEntry): Promise<Uint8Array | string> {
  const bytes = await readFile(join(dir, name)).catch(() => undefined);
  if (bytes === undefined) return `${name} is missing`;
  if (bytes.byteLength !== entry.bytes) return `${name} is ${bytes.byteLength} bytes, manifest says ${entry.bytes}`;
  if (sha256(bytes) !== entry.sha256) return `${name} checksum mismatch`;
  return bytes;
}

async function removeTempFiles(dir: string): Promise<void> {
  const names = await readdir(dir);
  await Promise.all(names.filter((name) => TEMP_FILE.test(name)).map((name) => rm(join(dir, name), { force: true })));
}

async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
}

/** Makes the renames durable; not every platform can fsync a directory, and that is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only.
  }
}

const hostIsLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The stored layout is little-endian whatever the host; swapping 4-byte words converts either way. */
function swapWords(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.byteLength);
  for (let i = 0; i < bytes.byteLength; i += 4) {
    swapped[i] = bytes[i + 3];
    swapped[i + 1] = bytes[i + 2];
    swapped[i + 2] = bytes[i + 1];
    swapped[i + 3] = bytes[i];
  }
  return swapped;
}

function littleEndianBytes(floats: Float32Array): Uint8Array {
  const bytes = new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);
  return hostIsLittleEndian ? bytes : swapWords(bytes);
}

function floatsFromLittleEndian(bytes: Uint8Array): Float32Array {
  // Float32Array needs a 4-byte-aligned offset; a copy (new Uint8Array, not Buffer.slice) starts at 0.
  const aligned = !hostIsLittleEndian ? swapWords(bytes) : bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split("\n")[0];
}
