// A Worker bundle of a served model's vectors (EMBEDDER=openai at build time), read by the Worker's
// engine in Node: questions are embedded through the server (or the Workers AI binding, faked
// here: it cannot be reached from this machine), and a Worker serving another model, or none, refuses the bundle.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorkerBundle } from "../../scripts/build-worker";
import { createOpenAiEmbedder } from "../../src/embed/openai";
import { HealthSchema } from "../../src/schemas";
import { decodeBundle } from "../../src/worker/bundle";
import { createWorkerEngine } from "../../src/worker/engine";
import { WORKERS_AI_URL, workersAiFetch } from "../../src/worker/workers-ai";
import { fakeVector, startFakeEmbeddingsServer, type FakeServer } from "../embed/fake-embeddings-server";

let server: FakeServer;
let bytes: Uint8Array;
beforeAll(async () => {
  server = await startFakeEmbeddingsServer();
  const embedder = await createOpenAiEmbedder({ url: server.url, model: "fake-e5", mark: "prefix" });
  ({ bytes } = await buildWorkerBundle({ served: { embedder, model: "fake-e5", mark: "prefix" } }));
});
afterAll(() => server.close());

const question = { question: "متى ستتبنى روسيا وبيلاروسيا مفهوماً أمنياً جديداً لدولة الاتحاد؟", topK: 3, history: [] };

describe("a Worker bundle of a served model's vectors", () => {
  it("holds the passages', sentences' and background's vectors, and names the model and marking", () => {
    const { header, vectors } = decodeBundle(bytes);
    expect(header.served).toMatchObject({ model: "fake-e5", mark: "prefix" });
    expect(header.vectors.count).toBe(header.counts.passages + header.counts.sentences + header.served!.background);
    expect(vectors.length).toBe(header.vectors.count * header.vectors.dimension);
  });

  it("answers with questions embedded through the server, and says so in health", async () => {
    const engine = await createWorkerEngine({
      bundle: decodeBundle(bytes),
      servedEmbedder: ({ model, mark }) => createOpenAiEmbedder({ url: server.url, model, mark }),
    });
    const health = HealthSchema.parse(engine.health);
    expect(health.embedder.id).toContain("fake-e5:prefix");
    expect(health.refusal?.calibrated).toBe(false);
    const before = server.requests.length;
    const answer = await engine.engine.answer(question);
    expect(server.requests.slice(before).some((r) => r.body.input[0] === `query: ${question.question}`)).toBe(true);
    expect(answer.passages.length).toBeGreaterThan(0);
  });

  it("refuses to serve without an embeddings server, or with another model or marking", async () => {
    await expect(createWorkerEngine({ bundle: decodeBundle(bytes) })).rejects.toThrow(/EMBEDDINGS_URL/);
    await expect(
      createWorkerEngine({ bundle: decodeBundle(bytes), servedEmbedder: () => createOpenAiEmbedder({ url: server.url, model: "fake-e5", mark: "none" }) }),
    ).rejects.toThrow(/served model/);
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
