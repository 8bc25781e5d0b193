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
import { createProgressReporter, type IndexingProgress } from "./progress";
import type { VectorIndex } from "../types";
import { buildHnswShards, combineShards, DEFAULT_MIN_SHARD_SIZE, shardCount } from "./hnsw-shards";
import { loadHnswIndex, type HnswIndex } from "./hnsw";
import { planUpdate } from "./incremental";
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
  /**
   * When only the corpus changed, the stored graph is updated in place (new rows inserted, gone
   * ones removed) unless more than this share of the rows changed; then it is rebuilt, which
   * is as fast and gives the best graph. Default 0.5; 0 always rebuilds.
   */
  maxUpdateShare?: number;
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

const TEMP_FILE = /^(manifest\.json|index(-\d+)?\.hnsw|vectors\.f32|labels\.u32)\..+\.tmp$/;
const DEFAULT_MAX_UPDATE_SHARE = 0.5;
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
  if ("previous" in attempt && attempt.previous) {
    // Embedded once: when too much changed for an update (the built-in embedder's vectors all move
    // with the corpus), the build takes these same vectors.
    const vectors = await embedRows(options, log);
    const updated = await update(options, attempt.previous, vectors, attempt.reason, log);
    if (updated) return updated;
    const reason = `rebuilding: ${attempt.reason}`;
    log(reason);
    return build(options, reason, log, vectors);
  }
  const reason = attempt.firstBuild ? `building: ${attempt.reason}` : `rebuilding: ${attempt.reason}`;
  log(reason);
  return build(options, reason, log, await embedRows(options, log));
}

/** A complete stored index whose corpus has changed: the starting point of an update in place. */
interface PreviousStore {
  manifest: Manifest;
  vectors: Float32Array;
  /** Each row's graph label. */
  labels: Uint32Array;
  shards: HnswIndex[];
}

type LoadAttempt = { store: VectorStore } | { reason: string; firstBuild?: boolean; previous?: PreviousStore };

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
  const expected = { ...options, hnsw: { ...options.hnsw, shards: shardsFor(options) } };
  const stale = staleReason(manifest, expected);
  // Only the corpus changed: the stored graph can be updated rather than rebuilt, if it is intact.
  const corpusOnly = stale !== undefined && staleReason(manifest, { ...expected, corpusHash: manifest.corpusHash, count: manifest.count }) === undefined;
  if (stale && !(corpusOnly && options.graph !== false && (options.maxUpdateShare ?? DEFAULT_MAX_UPDATE_SHARE) > 0)) return { reason: stale };

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

  let labels: Uint32Array;
  if (manifest.files.labels) {
    const labelBytes = await verifyFile(dir, STORE_FILES.labels, manifest.files.labels);
    if (typeof labelBytes === "string") return { reason: labelBytes };
    if (labelBytes.byteLength !== manifest.count * 4) return { reason: `${STORE_FILES.labels} holds ${labelBytes.byteLength} bytes, not ${manifest.count} labels` };
    labels = uint32sFromLittleEndian(labelBytes);
  } else {
    labels = Uint32Array.from({ length: manifest.count }, (_, i) => i);
  }

  const vectors = floatsFromLittleEndian(vectorBytes);
  let shards: HnswIndex[];
  const paths = graphEntries.map((_, shard) => join(dir, shardFile(shard)));
  try {
    shards = await Promise.all(paths.map((path) => loadHnswIndex(path, { dimension: options.dimension, efSearch: options.hnsw.efSearch })));
  } catch (error) {
    return { reason: `${STORE_FILES.index} cannot be read (${firstLine(error)})` };
  }
  const missing = missingLabel(shards, labels);
  if (missing !== undefined) return { reason: `${STORE_FILES.index} lacks the vector of row ${missing}` };
  if (stale) return { reason: stale, previous: { manifest, vectors, labels, shards } };
  const index = shards.length > 0 ? rowsOf(combineShards(shards, options.dimension), labels) : createExactIndex(options.dimension, vectors);

  const reason = `loaded index built ${manifest.builtAt} with ${manifest.embedder.id} (${manifest.count} vectors, dimension ${manifest.embedder.dimension})`;
  return { store: { index, vectors, manifest, loaded: true, reason } };
}

/** Every row's vector from `options.build`, checked and laid out flat in shared memory. */
async function embedRows(options: VectorStoreOptions, log: (message: string) => void): Promise<Float32Array> {
  const { dimension, count } = options;
  let rows: Float32Array[] | undefined = await options.build(createProgressReporter(options.label ?? "passages", { log, onProgress: options.onProgress, everyMs: PROGRESS_LOG_MS }));
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
  return vectors;
}

async function build(options: VectorStoreOptions, reason: string, log: (message: string) => void, vectors: Float32Array): Promise<VectorStore> {
  const { dir, dimension, count } = options;
  const started = Date.now();
  let lastLog = Date.now();

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

  const files = await writeStoreFiles(dir, vectors, temps);
  const index: VectorIndex =
    files.graphs.length > 0
      ? combineShards(await Promise.all(files.graphs.map((entry) => loadHnswIndex(join(dir, entry.name), { dimension, efSearch: options.hnsw.efSearch }))), dimension)
      : createExactIndex(dimension, vectors);
  const manifest = await writeManifest(dir, files, {
    formatVersion: FORMAT_VERSION,
    embedder: { id: options.embedderId, dimension },
    corpusHash: options.corpusHash,
    count,
    hnsw: { M: options.hnsw.M, efConstruction: options.hnsw.efConstruction, efSearch: options.hnsw.efSearch, shards },
    builtAt: new Date().toISOString(),
    buildMs: Date.now() - started,
  });
  log(`built ${count} vectors with ${options.embedderId} in ${manifest.buildMs} ms`);
  return { index, vectors, manifest, loaded: false, reason };
}

/**
 * The corpus changed but the stored graph is intact: inserts the rows whose vectors the graph
 * lacks and removes those no row uses, then writes the graph, vectors and labels like a build.
 * Undefined when too much changed.
 */
async function update(options: VectorStoreOptions, previous: PreviousStore, vectors: Float32Array, stale: string, log: (message: string) => void): Promise<VectorStore | undefined> {
  const { dir, dimension, count } = options;
  const started = Date.now();
  const keyOf = (rows: Float32Array, i: number) => sha256(new Uint8Array(rows.buffer, rows.byteOffset + i * dimension * 4, dimension * 4));
  const oldCount = previous.manifest.count;
  const plan = planUpdate(
    Array.from({ length: oldCount }, (_, i) => keyOf(previous.vectors, i)),
    previous.labels,
    Array.from({ length: count }, (_, i) => keyOf(vectors, i)),
    previous.manifest.nextLabel ?? oldCount,
  );
  const changed = plan.added.length + plan.removed.length;
  if (changed > (options.maxUpdateShare ?? DEFAULT_MAX_UPDATE_SHARE) * Math.max(count, oldCount, 1)) {
    log(`${changed} of ${Math.max(count, oldCount)} rows changed: rebuilding rather than updating`);
    return undefined;
  }

  const { shards } = previous;
  const shardOfLabel = new Map<number, HnswIndex>();
  for (const shard of shards) for (const label of shard.labels()) shardOfLabel.set(label, shard);
  for (const label of plan.removed) shardOfLabel.get(label)?.remove(label);
  // Live rows per graph, so new ones go where there are fewest (graphs stay balanced).
  const live = new Map<HnswIndex, number>(shards.map((shard) => [shard, 0]));
  plan.labels.forEach((label) => {
    const shard = shardOfLabel.get(label);
    if (shard) live.set(shard, live.get(shard)! + 1);
  });
  for (const row of plan.added) {
    const smallest = shards.reduce((a, b) => (live.get(b)! < live.get(a)! ? b : a));
    smallest.insert(vectors.subarray(row * dimension, (row + 1) * dimension), plan.labels[row]);
    live.set(smallest, live.get(smallest)! + 1);
  }

  const temps = shards.map((_, shard) => tempPath(dir, shardFile(shard)));
  try {
    await Promise.all(shards.map((shard, i) => shard.writeTo(temps[i])));
  } catch (error) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    throw error;
  }
  const labels = Uint32Array.from(plan.labels);
  const files = await writeStoreFiles(dir, vectors, temps, labels);
  const update = { added: plan.added.length, removed: plan.removed.length, kept: count - plan.added.length };
  const { files: _, ...kept } = previous.manifest;
  const manifest = await writeManifest(dir, files, {
    ...kept,
    corpusHash: options.corpusHash,
    count,
    hnsw: { ...previous.manifest.hnsw, efSearch: options.hnsw.efSearch },
    builtAt: new Date().toISOString(),
    buildMs: Date.now() - started,
    nextLabel: plan.nextLabel,
    update,
  });
  const reason = `updated in place (${stale}): ${update.added} vectors added, ${update.removed} removed, ${update.kept} kept`;
  log(`${reason}, in ${manifest.buildMs} ms`);
  return { index: rowsOf(combineShards(shards, dimension), labels), vectors, manifest, loaded: false, reason };
}

/**
 * Search results as row numbers: the graph answers with labels, which are the rows themselves
 * until an update has moved them (labels.u32).
 */
function rowsOf(index: VectorIndex, labels: Uint32Array): VectorIndex {
  if (labels.every((label, row) => label === row)) return index;
  let maxLabel = 0;
  for (const label of labels) maxLabel = Math.max(maxLabel, label);
  const rowOfLabel = new Int32Array(maxLabel + 1).fill(-1);
  labels.forEach((label, row) => (rowOfLabel[label] = row));
  return {
    dimension: index.dimension,
    size: labels.length,
    search(query, k) {
      // Removed labels are never returned; a label past the table (none should be) is dropped.
      return index.search(query, Math.min(k, labels.length)).flatMap(({ id, score }) => (id < rowOfLabel.length && rowOfLabel[id] >= 0 ? [{ id: rowOfLabel[id], score }] : []));
    },
  };
}

/** The first row whose label no graph holds, if any (a store of vectors only has no graph to check). */
function missingLabel(shards: HnswIndex[], labels: Uint32Array): number | undefined {
  if (shards.length === 0) return undefined;
  const held = new Set<number>();
  for (const shard of shards) for (const label of shard.labels()) held.add(label);
  const row = labels.findIndex((label) => !held.has(label));
  return row < 0 ? undefined : row;
}

/**
 * Replaces the folder's data files, as a build and an update both do: the old manifest goes
 * first, so that no manifest ever describes a mix of old and new files; then the vectors, the
 * labels (or the stale labels file of an earlier update goes: a build's rows are their labels),
 * and the graphs, from their complete temp files. The manifest is written last (writeManifest).
 */
async function writeStoreFiles(dir: string, vectors: Float32Array, graphTemps: string[], labels?: Uint32Array): Promise<StoreFileEntries> {
  await rm(join(dir, STORE_FILES.manifest), { force: true });
  const names = await readdir(dir);
  const unused = (name: string) => EXTRA_SHARD_FILE.test(name) || (!labels && name === STORE_FILES.labels);
  await Promise.all(names.filter(unused).map((name) => rm(join(dir, name), { force: true })));
  const vectorsEntry = await writeAtomically(dir, STORE_FILES.vectors, littleEndianBytes(vectors));
  const labelsEntry = labels && (await writeAtomically(dir, STORE_FILES.labels, littleEndianBytes(labels)));
  const graphs: ManifestFileEntry[] = [];
  for (const [shard, temp] of graphTemps.entries()) graphs.push(await commitFile(temp, dir, shardFile(shard)));
  return { vectors: vectorsEntry, labels: labelsEntry, graphs };
}

interface StoreFileEntries {
  vectors: ManifestFileEntry;
  labels?: ManifestFileEntry;
  graphs: ManifestFileEntry[];
}

/** Writes the manifest of the files just written, last, and makes the renames durable. */
async function writeManifest(dir: string, files: StoreFileEntries, fields: Omit<Manifest, "files">): Promise<Manifest> {
  const manifest: Manifest = { ...fields, files: { index: files.graphs[0], vectors: files.vectors, moreShards: files.graphs.slice(1), ...(files.labels && { labels: files.labels }) } };
  await writeAtomically(dir, STORE_FILES.manifest, new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"));
  await syncDirectory(dir);
  return manifest;
}

/** Writes via a temp file in the same folder (so rename is atomic), fsynced before the rename. */
async function writeAtomically(dir: string, name: string, bytes: Uint8Array): Promise<ManifestFileEntry> {
  const temp = tempPath(dir, name);
  try {
    await writeBytes(temp, bytes);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return commitFile(temp, dir, name, bytes);
}

function tempPath(dir: string, name: string): string {
  return join(dir, `${name}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Fsyncs a complete temp file, checksums it and renames it to `name`; the temp is removed on failure.
 * `written`: the bytes just written to it, checksummed as they are; a file another writer made
 * (hnswlib writes its graph itself) is read back. Reading back our own 15 + 33 MB of vectors at
 * 10k passages cost a live reload 0.1 s of main thread, and told nothing a successful write and
 * fsync had not: the next start checks every file against the manifest anyway.
 */
async function commitFile(temp: string, dir: string, name: string, written?: Uint8Array): Promise<ManifestFileEntry> {
  try {
    const handle = await open(temp, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const bytes = written ?? (await readFile(temp));
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

function littleEndianBytes(floats: Float32Array | Uint32Array): Uint8Array {
  const bytes = new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);
  return hostIsLittleEndian ? bytes : swapWords(bytes);
}

/** The bytes as host-order 4-byte words at a 4-byte-aligned offset (a copy, new Uint8Array rather than Buffer.slice, starts at 0). */
function alignedWords(bytes: Uint8Array): Uint8Array {
  return !hostIsLittleEndian ? swapWords(bytes) : bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
}

function floatsFromLittleEndian(bytes: Uint8Array): Float32Array {
  const aligned = alignedWords(bytes);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

function uint32sFromLittleEndian(bytes: Uint8Array): Uint32Array {
  const aligned = alignedWords(bytes);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
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
