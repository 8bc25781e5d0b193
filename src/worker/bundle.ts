// The Worker's data bundle: one binary file holding the corpus documents and the passage
// vectors, written by scripts/build-worker.ts and imported by the Worker as a Data module.
// Web APIs only: the same code encodes it in Node and decodes it in workerd.
//
// Layout (little-endian):
//   [0, 4)     magic "AQWB"
//   [4, 8)     u32 byte length H of the header JSON
//   [8, 8+H)   header JSON (UTF-8): ids, counts, warnings and the documents (id, meta, text)
//   zero padding to a multiple of 4, so the vectors can be viewed in place
//   vectors:   "f32": count × dimension float32, row-major
//              "i8":  count float32 row scales, then count × dimension int8 (value = q × scale)
//   with a model's vectors (format 2): zero padding to a multiple of 4, then the built-in
//   embedder's passage vectors (header.fallback.vectors), in the same encoding
//
// Only documents are shipped, not sentences and passages: those are re-segmented in the Worker
// by the same deterministic code. That is ~3.6× smaller and costs a few per cent of cold start.
import { createError } from "../errors";
import type { EmbeddingsMark } from "../embed/openai";
import type { CorpusWarning, DocumentMeta, SourceDocument } from "../types";

export const BUNDLE_MAGIC = "AQWB";
export const BUNDLE_FORMAT = 2;

export type VectorEncoding = "f32" | "i8";

export interface BundleDocument {
  id: string;
  meta: DocumentMeta;
  /** The document text as stored (after front matter); every offset points into it. */
  text: string;
  /** How the source was read, and its pages and sections (PDF, DOCX, HTML sources). */
  format?: SourceDocument["format"];
  pages?: SourceDocument["pages"];
  sections?: SourceDocument["sections"];
}

export interface BundleHeader {
  format: number;
  builtAt: string;
  /** Id and dimension of the embedder the vectors were made with (the built-in one, or a model's). */
  embedder: { id: string; dimension: number };
  passageOptions: { windowSize: number; stride: number };
  counts: { documents: number; paragraphs: number; sentences: number; passages: number };
  vectors: VectorSection;
  /**
   * The vectors are a model's (issue 27: the in-process model's by default when it is present, or a
   * served one's with EMBEDDER=openai), and the rows after the passages' are every sentence's, then
   * the background sentences' (retrieve/background.ts), which turn on the model's scoring, then the
   * bridge vocabulary's (retrieve/bridge.ts, embedded as queries). The Worker embeds questions
   * through a server (EMBEDDINGS_URL or Workers AI) serving the same model.
   */
  served?: ServedModel;
  /**
   * With a model's vectors: the built-in embedder's passage vectors too, which the Worker answers
   * with when it has no embeddings server to embed questions (src/worker/engine.ts).
   */
  fallback?: { embedder: { id: string; dimension: number }; vectors: VectorSection };
  warnings: CorpusWarning[];
  documents: BundleDocument[];
}

export interface VectorSection {
  encoding: VectorEncoding;
  count: number;
  dimension: number;
  byteLength: number;
}

export interface ServedModel {
  /** The model's name on an embeddings server, and how questions are marked there (the Worker's defaults for EMBEDDINGS_MODEL and EMBEDDINGS_MARK). */
  model: string;
  mark: EmbeddingsMark;
  sentences: number;
  background: number;
  /** The cross-lingual bridge's Arabic vocabulary (pipeline.ts bridgeEntries), one vector row each after the background's. */
  bridge?: string[];
}

export interface Bundle {
  header: BundleHeader;
  /** count × dimension, row-major; a view into the bundle for "f32", a decoded copy for "i8". */
  vectors: Float32Array;
  /** The built-in embedder's passage vectors, when the bundle holds a model's (header.fallback). */
  fallback?: Float32Array;
}

type SectionShape = Omit<VectorSection, "byteLength">;

const hostIsLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `vectors` is count × dimension, row-major; the sections' `byteLength`s are filled in here. */
export function encodeBundle(
  header: Omit<BundleHeader, "format" | "vectors" | "fallback"> & { vectors: SectionShape; fallback?: { embedder: { id: string; dimension: number }; vectors: SectionShape } },
  vectors: Float32Array,
  fallbackVectors?: Float32Array,
): Uint8Array {
  if (!hostIsLittleEndian) throw bundleError("built on a big-endian host");
  if (!header.fallback !== !fallbackVectors) throw bundleError("fallback vectors without their header, or the reverse");
  const main = encodeSection(header.vectors, vectors);
  const fallback = header.fallback && encodeSection(header.fallback.vectors, fallbackVectors!);
  const { fallback: fallbackHeader, ...rest } = header;
  const full: BundleHeader = {
    ...rest,
    format: BUNDLE_FORMAT,
    vectors: { ...header.vectors, byteLength: main.byteLength },
    ...(fallbackHeader && { fallback: { ...fallbackHeader, vectors: { ...fallbackHeader.vectors, byteLength: fallback!.byteLength } } }),
  };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const vectorsAt = align4(8 + json.byteLength);
  const fallbackAt = align4(vectorsAt + main.byteLength);
  const bytes = new Uint8Array(fallback ? fallbackAt + fallback.byteLength : vectorsAt + main.byteLength);
  bytes.set(new TextEncoder().encode(BUNDLE_MAGIC), 0);
  new DataView(bytes.buffer).setUint32(4, json.byteLength, true);
  bytes.set(json, 8);
  bytes.set(main, vectorsAt);
  if (fallback) bytes.set(fallback, fallbackAt);
  return bytes;
}

function encodeSection({ encoding, count, dimension }: SectionShape, vectors: Float32Array): Uint8Array {
  if (vectors.length !== count * dimension) throw bundleError(`vectors of ${vectors.length} floats, not ${count} × ${dimension}`);
  return encoding === "i8" ? quantize(vectors, count, dimension) : new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength);
}

/** Reads a bundle; throws with what is wrong when it is not one this code can read. */
export function decodeBundle(data: ArrayBuffer | Uint8Array): Bundle {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const fail = (problem: string): never => {
    throw bundleError(problem);
  };
  if (bytes.byteLength < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== BUNDLE_MAGIC) fail("not a bundle (bad magic bytes)");
  if (!hostIsLittleEndian) fail("read on a big-endian host");
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + jsonLength > bytes.byteLength) fail(`truncated (its header says ${jsonLength} bytes)`);

  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength))) as BundleHeader;
  if (header.format !== BUNDLE_FORMAT) fail(`format ${header.format}, this Worker reads format ${BUNDLE_FORMAT}`);
  const vectorsAt = align4(8 + jsonLength);
  const fallbackAt = align4(vectorsAt + header.vectors.byteLength);
  const end = header.fallback ? fallbackAt + header.fallback.vectors.byteLength : vectorsAt + header.vectors.byteLength;
  const section = (at: number, shape: VectorSection) => {
    const { encoding, count, dimension, byteLength } = shape;
    const expected = encoding === "i8" ? count * 4 + count * dimension : count * dimension * 4;
    if (byteLength !== expected || end !== bytes.byteLength) {
      fail(`${bytes.byteLength - at} vector bytes where ${count} × ${dimension} ${encoding} needs ${expected}`);
    }
    // Float32Array needs a 4-byte-aligned start; copy only when the import is not aligned.
    const raw = (bytes.byteOffset + at) % 4 === 0 ? bytes.subarray(at, at + byteLength) : bytes.slice(at, at + byteLength);
    return encoding === "i8" ? dequantize(raw, count, dimension) : new Float32Array(raw.buffer, raw.byteOffset, count * dimension);
  };
  const vectors = section(vectorsAt, header.vectors);
  return header.fallback ? { header, vectors, fallback: section(fallbackAt, header.fallback.vectors) } : { header, vectors };
}

/** Per-row symmetric int8: scale = max |x| / 127, so each row keeps its own precision. */
function quantize(vectors: Float32Array, count: number, dimension: number): Uint8Array {
  const section = new Uint8Array(count * 4 + count * dimension);
  const scales = new Float32Array(section.buffer, 0, count);
  const values = new Int8Array(section.buffer, count * 4, count * dimension);
  for (let row = 0; row < count; row++) {
    const offset = row * dimension;
    let max = 0;
    for (let j = 0; j < dimension; j++) max = Math.max(max, Math.abs(vectors[offset + j]));
    const scale = max > 0 ? max / 127 : 1; // a zero row stays zero
    scales[row] = scale;
    for (let j = 0; j < dimension; j++) values[offset + j] = Math.round(vectors[offset + j] / scale);
  }
  return section;
}

function dequantize(section: Uint8Array, count: number, dimension: number): Float32Array {
  const scales = new Float32Array(section.buffer, section.byteOffset, count);
  const values = new Int8Array(section.buffer, section.byteOffset + count * 4, count * dimension);
  const vectors = new Float32Array(count * dimension);
  for (let row = 0; row < count; row++) {
    const offset = row * dimension;
    let sumOfSquares = 0;
    for (let j = 0; j < dimension; j++) sumOfSquares += (values[offset + j] * scales[row]) ** 2;
    // Rounding moves the norm a little; renormalize so scores stay cosines, as for "f32".
    const scale = sumOfSquares > 0 ? scales[row] / Math.sqrt(sumOfSquares) : 0;
    for (let j = 0; j < dimension; j++) vectors[offset + j] = values[offset + j] * scale;
  }
  return vectors;
}

/** Everything wrong with a bundle is fixed the same way: rebuild it with this code. */
export function bundleError(problem: string) {
  return createError("WORKER_BUNDLE_INVALID", problem);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
