import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { selectEmbedder, type EmbedderConfig } from "../../src/embed/select";
import { batchesByLength, createTransformersEmbedder } from "../../src/embed/transformers";
import { AppError } from "../../src/errors";
import { TINY_HIDDEN, writeTinyModel } from "./tiny-model";

const terms = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "embed-test-"));
  writeTinyModel(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every test must stay offline: any network attempt fails the test.
let fetchSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    throw new Error(`unexpected network access: ${String(input)}`);
  });
});
afterEach(() => {
  expect(fetchSpy).not.toHaveBeenCalled();
  fetchSpy.mockRestore();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("createTransformersEmbedder on a tiny generated model", () => {
  it("loads through @xenova/transformers and reports id and dimension", async () => {
    const embedder = await createTransformersEmbedder({ model: "tiny", modelsDir: dir, quantized: false });
    expect(embedder.id).toBe("transformers:tiny");
    expect(embedder.dimension).toBe(TINY_HIDDEN);
  });

  it("returns deterministic unit vectors, different for queries and passages", async () => {
    const embedder = await createTransformersEmbedder({ model: "tiny", modelsDir: dir, quantized: false });
    const text = "مفهوم أمني جديد لدولة الاتحاد";
    const [a, b] = await embedder.embed([text, text], "passage");
    const [again] = await embedder.embed([text], "passage");
    const [query] = await embedder.embed([text], "query");
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(TINY_HIDDEN);
    expect(Math.sqrt(dot(a, a))).toBeCloseTo(1, 5);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(again)).toEqual(Array.from(a));
    expect(dot(query, a)).toBeLessThan(0.9999); // the "query: " prefix changes the tokens
  });

  it("gives the same vectors in batches as one by one", async () => {
    const texts = ["روسيا", "the security concept of the union state", "ما هو مفهوم الأمن؟", "", "belarus russia union", "مجلس الأمن"];
    const batched = await createTransformersEmbedder({ model: "tiny", modelsDir: dir, quantized: false, batchSize: 4 });
    const vectors = await batched.embed(texts, "passage");
    expect(vectors).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      const [alone] = await batched.embed([text], "passage");
      for (let d = 0; d < TINY_HIDDEN; d++) expect(vectors[i][d]).toBeCloseTo(alone[d], 5);
    }
    expect(await batched.embed([], "query")).toEqual([]);
  });

  it("fails fast naming the onnx file it lacks", async () => {
    // Only onnx/model.onnx exists; quantized: true asks for model_quantized.onnx.
    const error = await rejection(createTransformersEmbedder({ model: "tiny", modelsDir: dir, quantized: true }));
    expect(error.code).toBe("MODEL_UNAVAILABLE");
    expect(error.message).toContain("onnx/model_quantized.onnx");
    expect(error.message).not.toContain("config.json");
  });

  it("fails with MODEL_UNAVAILABLE within 2 s when the model folder is missing", async () => {
    const started = Date.now();
    const error = await rejection(createTransformersEmbedder({ modelsDir: join(dir, "nowhere") }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.code).toBe("MODEL_UNAVAILABLE");
    expect(error.message).toContain("Xenova/multilingual-e5-small");
    expect(error.message).toContain("config.json");
  });

  it("reports a corrupt model file as MODEL_UNAVAILABLE", async () => {
    const broken = writeTinyModel(dir, "broken");
    writeFileSync(join(broken, "onnx", "model.onnx"), "not an onnx graph");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {}); // onnxruntime's own retry logs the parse error
    const error = await rejection(createTransformersEmbedder({ model: "broken", modelsDir: dir, quantized: false }));
    expect(error.code).toBe("MODEL_UNAVAILABLE");
    expect(error.message).toContain("loading failed");
    warn.mockRestore();
  });

  it("gives up loading after loadTimeoutMs", async () => {
    const error = await rejection(createTransformersEmbedder({ model: "tiny", modelsDir: dir, quantized: false, loadTimeoutMs: 1 }));
    expect(error.code).toBe("MODEL_UNAVAILABLE");
    expect(error.message).toContain("longer than 1 ms");
  });

  it("rejects a batch size below 1 as INVALID_CONFIG", async () => {
    const error = await rejection(createTransformersEmbedder({ model: "tiny", modelsDir: dir, quantized: false, batchSize: 0 }));
    expect(error.code).toBe("INVALID_CONFIG");
  });
});

describe("selectEmbedder", () => {
  const corpus = ["مفهوم أمني جديد لدولة الاتحاد", "التدريبات العسكرية المشتركة"];
  const config = (kind: EmbedderConfig["kind"], modelsDir: string): EmbedderConfig => ({
    kind,
    transformers: { model: "tiny", modelsDir, quantized: false },
    hashing: { terms, dimension: 256 },
  });

  it("auto uses the model when it is on disk", async () => {
    const { embedder, reason } = await selectEmbedder(config("auto", dir), corpus);
    expect(embedder.id).toBe("transformers:tiny");
    expect(reason).toContain("transformers:tiny");
  });

  it("auto falls back to hashing, naming the missing file", async () => {
    const missing = join(dir, "empty");
    mkdirSync(missing, { recursive: true });
    const { embedder, reason } = await selectEmbedder(config("auto", missing), corpus);
    expect(embedder.id).toMatch(/^hashing-v1-d256-/);
    expect(embedder.dimension).toBe(256);
    expect(reason).toContain("config.json");
    expect(reason).toContain("hashing embedder");
    const [vector] = await embedder.embed([corpus[0]], "query");
    expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
  });

  it("transformers turns a missing model into an error", async () => {
    const error = await rejection(selectEmbedder(config("transformers", join(dir, "nowhere")), corpus));
    expect(error.code).toBe("MODEL_UNAVAILABLE");
  });

  it("hashing never looks for a model", async () => {
    const { embedder, reason } = await selectEmbedder(config("hashing", join(dir, "nowhere")), corpus);
    expect(embedder.id).toMatch(/^hashing-v1-d256-n3-5-g1-idf[0-9a-f]{8}$/);
    expect(reason).toContain("hashing");
  });

  it("does not hide configuration mistakes behind the fallback", async () => {
    const bad: EmbedderConfig = { ...config("auto", dir), transformers: { model: "tiny", modelsDir: dir, quantized: false, batchSize: -1 } };
    expect((await rejection(selectEmbedder(bad, corpus))).code).toBe("INVALID_CONFIG");
  });
});

describe("batchesByLength", () => {
  const windows = (...lengths: number[]) => lengths.map((n) => ({ ids: Array.from({ length: n }, () => 0) }));
  const lengthsOf = (batches: { ids: unknown[] }[][]) => batches.map((b) => b.map((w) => w.ids.length));

  it("keeps a question's short words out of its padded batch, and bounds each batch", () => {
    expect(lengthsOf(batchesByLength(windows(24, 7, 6, 6, 5), 16))).toEqual([[24], [7, 6, 6, 5]]);
    expect(lengthsOf(batchesByLength(windows(10, 9, 8, 5, 4), 2))).toEqual([[10, 9], [8, 5], [4]]);
    expect(batchesByLength([], 16)).toEqual([]);
  });

  it("loses and reorders no window", () => {
    const all = windows(30, 20, 16, 15, 9, 8, 3, 2, 2, 1);
    expect(batchesByLength(all, 3).flat()).toEqual(all);
  });
});
