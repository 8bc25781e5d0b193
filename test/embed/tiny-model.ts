// Writes a tiny BERT-shaped model (ONNX graph, WordPiece tokenizer, config) that
// @xenova/transformers loads exactly like a real one, so the adapter's real loading
// path runs offline in milliseconds.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// onnx-proto is CommonJS with an ES-style .d.ts, so a static named import fails at runtime.
const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto");

const SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"];
const WORDS = [
  "query", "passage", ":", ".", "?", "the", "security", "concept", "union", "state", "russia", "belarus",
  "مفهوم", "أمني", "جديد", "لدولة", "الاتحاد", "روسيا", "بيلاروسيا", "عام", "مجلس", "الأمن", "ما", "هو",
];
export const TINY_VOCAB = [...SPECIAL, ...WORDS];
export const TINY_HIDDEN = 8;

/** Deterministic pseudo-random numbers in [-1, 1) (an LCG), so every run builds the same weights. */
function pseudoRandom(count: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

function floatTable(name: string, rows: number, seed: number): import("onnx-proto").onnx.ITensorProto {
  return { name, dataType: onnx.TensorProto.DataType.FLOAT, dims: [rows, TINY_HIDDEN], floatData: pseudoRandom(rows * TINY_HIDDEN, seed) };
}

function int64Input(name: string): import("onnx-proto").onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: "batch" }, { dimParam: "sequence" }] } } },
  };
}

/** last_hidden_state = wordEmbedding[input_ids] + typeEmbedding[token_type_ids]; attention_mask is accepted (the pipeline pools with it). */
function modelBytes(): Uint8Array {
  const graph: import("onnx-proto").onnx.IGraphProto = {
    name: "tiny-bert",
    node: [
      { opType: "Gather", input: ["word_embeddings", "input_ids"], output: ["words"], name: "word_lookup" },
      { opType: "Gather", input: ["token_type_embeddings", "token_type_ids"], output: ["types"], name: "type_lookup" },
      { opType: "Add", input: ["words", "types"], output: ["last_hidden_state"], name: "sum" },
    ],
    initializer: [floatTable("word_embeddings", TINY_VOCAB.length, 7), floatTable("token_type_embeddings", 2, 11)],
    input: [int64Input("input_ids"), int64Input("attention_mask"), int64Input("token_type_ids")],
    output: [
      {
        name: "last_hidden_state",
        type: {
          tensorType: {
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: { dim: [{ dimParam: "batch" }, { dimParam: "sequence" }, { dimValue: TINY_HIDDEN }] },
          },
        },
      },
    ],
  };
  const model = onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: "", version: 13 }], producerName: "tiny-model", graph });
  return onnx.ModelProto.encode(model).finish();
}

function tokenizerJson(): object {
  const vocab = Object.fromEntries(TINY_VOCAB.map((token, id) => [token, id]));
  const special = (token: string) => ({ id: token, ids: [vocab[token]], tokens: [token] });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: { "[CLS]": special("[CLS]"), "[SEP]": special("[SEP]") },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
}

/** Writes `<dir>/<name>/` with config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx. */
export function writeTinyModel(dir: string, name = "tiny"): string {
  const root = join(dir, name);
  mkdirSync(join(root, "onnx"), { recursive: true });
  writeFileSync(join(root, "onnx", "model.onnx"), modelBytes());
  writeFileSync(join(root, "tokenizer.json"), JSON.stringify(tokenizerJson()));
  writeFileSync(
    join(root, "tokenizer_config.json"),
    JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: 64, pad_token: "[PAD]", unk_token: "[UNK]", cls_token: "[CLS]", sep_token: "[SEP]" }),
  );
  writeFileSync(
    join(root, "config.json"),
    JSON.stringify({ model_type: "bert", architectures: ["BertModel"], hidden_size: TINY_HIDDEN, vocab_size: TINY_VOCAB.length, type_vocab_size: 2, max_position_embeddings: 64, num_hidden_layers: 0, num_attention_heads: 1 }),
  );
  return root;
}
