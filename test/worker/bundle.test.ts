// The Worker's bundle and app, in process (no workerd): the bundle round-trips, the engine built
// from it answers exactly like the Node in-memory engine, and a bundle that does not match this
// code fails loudly instead of answering from wrong vectors.
import { existsSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { AnswerResponseSchema, ErrorSchema, HealthSchema } from "../../src/schemas";
import type { AnswerResponse } from "../../src/types";
import { BUNDLE_FORMAT, decodeBundle, encodeBundle, type BundleHeader } from "../../src/worker/bundle";
import { createWorkerApp } from "../../src/worker/app";
import { buildWorkerBundle } from "../../scripts/build-worker";
import { buildInMemoryPipeline, loadCorpus } from "../../scripts/lib/engine";
import { readQuestions } from "../../scripts/lib/evaluate";
import { noLexicons } from "../../src/text/lexicon";

// The shared dev sample when it sits beside the repository, else this repository's held-out questions.
const DEV_SET = "../shared/eval/dev.jsonl";
const questions = readQuestions(existsSync(DEV_SET) ? DEV_SET : "test/questions/heldout.jsonl");
let built: Awaited<ReturnType<typeof buildWorkerBundle>>;

beforeAll(async () => {
  built = await buildWorkerBundle();
});

const header = (count: number, dimension: number): Omit<BundleHeader, "format" | "vectors"> => ({
  builtAt: "2026-01-01T00:00:00.000Z",
  embedder: { id: "test", dimension },
  passageOptions: { windowSize: 3, stride: 2 },
  counts: { documents: 1, paragraphs: 1, sentences: 1, passages: count },
  warnings: [],
  documents: [{ id: "d", meta: { title: "عنوان" }, text: "نص عربي. وجملة ثانية؟" }],
});

describe("bundle format", () => {
  it("round-trips documents and float32 vectors exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.string(), (count, dimension, text) => {
        const vectors = Float32Array.from({ length: count * dimension }, (_, i) => Math.fround(Math.sin(i + 1)));
        const input = { ...header(count, dimension), documents: [{ id: "d", meta: { title: text }, text }] };
        const bundle = decodeBundle(encodeBundle({ ...input, vectors: { encoding: "f32", count, dimension } }, vectors));
        expect(bundle.vectors).toEqual(vectors);
        expect(bundle.header.documents).toEqual(input.documents);
        expect(bundle.header.vectors).toEqual({ encoding: "f32", count, dimension, byteLength: count * dimension * 4 });
      }),
    );
  });

  it("int8 keeps each row within half a quantization step and renormalizes it", () => {
    const [count, dimension] = [4, 64];
    const vectors = new Float32Array(count * dimension);
    for (let row = 0; row < count; row++) {
      const raw = Array.from({ length: dimension }, (_, j) => Math.cos(row * 7 + j * 1.3) * (row === 3 ? 0 : 1));
      const norm = Math.hypot(...raw) || 1;
      raw.forEach((x, j) => (vectors[row * dimension + j] = x / norm));
    }
    const bytes = encodeBundle({ ...header(count, dimension), vectors: { encoding: "i8", count, dimension } }, vectors);
    const decoded = decodeBundle(bytes).vectors;
    expect(bytes.byteLength).toBeLessThan(encodeBundle({ ...header(count, dimension), vectors: { encoding: "f32", count, dimension } }, vectors).byteLength);
    for (let row = 0; row < 3; row++) {
      const original = vectors.subarray(row * dimension, (row + 1) * dimension);
      const restored = decoded.subarray(row * dimension, (row + 1) * dimension);
      const step = Math.max(...original.map(Math.abs)) / 127;
      original.forEach((x, j) => expect(Math.abs(x - restored[j])).toBeLessThan(step));
      expect(Math.hypot(...restored)).toBeCloseTo(1, 5);
    }
    expect(decoded.subarray(3 * dimension).every((x) => x === 0)).toBe(true); // a zero row stays zero, no NaN
  });

  it("carries a second section, the built-in embedder's vectors beside a model's, in either encoding and any dimension", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom("f32" as const, "i8" as const), (count, dimension, fallbackCount, fallbackDimension, encoding) => {
        const rows = (n: number, d: number, seed: number) => Float32Array.from({ length: n * d }, (_, i) => Math.fround(Math.sin(i * seed + 1)));
        const [vectors, fallback] = [rows(count, dimension, 1), rows(fallbackCount, fallbackDimension, 3)];
        const bundle = decodeBundle(
          encodeBundle(
            { ...header(count, dimension), vectors: { encoding, count, dimension }, fallback: { embedder: { id: "hashing", dimension: fallbackDimension }, vectors: { encoding, count: fallbackCount, dimension: fallbackDimension } } },
            vectors,
            fallback,
          ),
        );
        expect(bundle.vectors.length).toBe(vectors.length);
        expect(bundle.fallback!.length).toBe(fallback.length);
        if (encoding === "f32") expect([bundle.vectors, bundle.fallback]).toEqual([vectors, fallback]);
        expect(bundle.header.fallback!.vectors).toMatchObject({ encoding, count: fallbackCount, dimension: fallbackDimension });
      }),
    );
  });

  it("rejects what is not a whole bundle of this format, saying how to fix it", () => {
    const good = encodeBundle({ ...header(2, 3), vectors: { encoding: "f32", count: 2, dimension: 3 } }, new Float32Array(6));
    const wrongFormat = new TextEncoder().encode(new TextDecoder().decode(good).replace(`"format":${BUNDLE_FORMAT}`, '"format":9'));
    for (const bad of [new Uint8Array(3), new Uint8Array(good.byteLength), good.subarray(0, good.byteLength - 4), wrongFormat]) {
      expect(() => decodeBundle(bad)).toThrow(AppError);
      expect(() => decodeBundle(bad)).toThrow(/npm run build:worker/);
    }
  });
});

describe("the Worker app in process", () => {
  const withoutTimings = ({ timings, ...rest }: AnswerResponse) => rest;

  it("answers every dev question exactly as the Node in-memory engine does (both without the optional lexicons)", async () => {
    const app = createWorkerApp({ bundle: built.bytes });
    const node = (await buildInMemoryPipeline(await loadCorpus(), { lexicons: noLexicons })).engine;
    for (const q of questions) {
      const res = await app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: q.question, history: q.history ?? [] }) });
      expect(res.status).toBe(200);
      const worker = AnswerResponseSchema.parse(await res.json());
      const expected = await node.answer({ question: q.question, topK: 5, history: q.history ?? [] });
      expect(withoutTimings(worker), q.id).toEqual(JSON.parse(JSON.stringify(withoutTimings(expected))));
    }
  });

  it("reports the rebuilt embedder and the counts in /api/health, and serves /openapi.json", async () => {
    const app = createWorkerApp({ bundle: built.bytes });
    const health = HealthSchema.parse(await (await app.request("/api/health")).json());
    expect(health.ready).toBe(true);
    expect(health.embedder).toMatchObject(built.header.embedder);
    expect(health.counts).toEqual(built.header.counts);
    expect(health.index).toMatchObject({ kind: "exact", loaded: true, builtAt: built.header.builtAt });
    // The Worker never has the optional lexicons (GPL data built on a user's machine, not bundled).
    expect(health.lexicons).toEqual([]);
    expect((await app.request("/openapi.json")).status).toBe(200);
  });

  it("builds the engine once, even for concurrent first requests", async () => {
    const app = createWorkerApp({ bundle: built.bytes });
    const bodies = await Promise.all([1, 2, 3].map(async () => (await app.request("/api/health")).json()));
    expect(new Set(bodies.map((b) => b.index.buildMs)).size).toBe(1);
  });

  describe("fails loudly on a bundle that does not match this code", () => {
    const reencode = (change: (header: BundleHeader, vectors: Float32Array) => void) => {
      const { header, vectors } = decodeBundle(built.bytes.slice());
      const copy = vectors.slice();
      change(header, copy);
      return encodeBundle(header, copy);
    };
    const cases: [string, () => Uint8Array, RegExp][] = [
      ["a changed vector", () => reencode((_, v) => (v[v.length - 1] += 0.01)), /vector of passage \d+ differs/],
      ["a different embedder id", () => reencode((h) => (h.embedder.id = "hashing-v0")), /embedder hashing-v0, but this code rebuilds hashing-v1/],
      ["a changed document text", () => reencode((h) => (h.documents[0].text = h.documents[0].text.replace("روسيا", "روسية"))), /embedder .* but this code rebuilds/],
      ["other passage windows", () => reencode((h) => (h.passageOptions = { windowSize: 1, stride: 1 })), /counts/],
      ["a corrupt file", () => built.bytes.subarray(0, 100), /truncated/],
    ];
    for (const [name, bundle, reason] of cases) {
      it(`${name}: health 503 with the reason, API 500 with the reason, logged once`, async () => {
        const logged: string[] = [];
        const app = createWorkerApp({ bundle: bundle(), logError: (line) => logged.push(line) });
        const health = await app.request("/api/health");
        expect(health.status).toBe(503);
        expect(HealthSchema.parse(await health.json()).embedder.reason).toMatch(reason);
        const answer = await app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: '{"question":"سؤال"}' });
        expect(answer.status).toBe(500);
        expect(ErrorSchema.parse(await answer.json()).error.message).toMatch(reason);
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatch(reason);
      });
    }
  });
});
