// The OpenAI-compatible embedder against a fake server of our own: the protocol (batches, marks,
// both encodings, the key header), and each fault behaving as docs/embeddings.md says.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { AppError } from "../../src/errors";
import { checkedVectors, createOpenAiEmbedder, defaultMark, type OpenAiEmbedderOptions } from "../../src/embed/openai";
import { FAKE_DIMENSION, fakeVector, startFakeEmbeddingsServer, type FakeServer } from "./fake-embeddings-server";

const KEY = "sk-test-secret-4242";
let server: FakeServer;
beforeEach(async () => {
  server = await startFakeEmbeddingsServer();
});
afterEach(() => server.close());

const options = (extra: Partial<OpenAiEmbedderOptions> = {}): OpenAiEmbedderOptions => ({ url: server.url, model: "fake-e5", backoffMs: 5, ...extra });
const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

async function failure(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("createOpenAiEmbedder: the protocol", () => {
  it("probes at start for the dimension, then embeds in batches of batchSize, in order, as unit vectors", async () => {
    const embedder = await createOpenAiEmbedder(options({ batchSize: 3, parallel: 2, mark: "none" }));
    expect(embedder.dimension).toBe(FAKE_DIMENSION);
    const texts = Array.from({ length: 8 }, (_, i) => `نص رقم ${i} ${"ب".repeat(i)}`);
    const vectors = await embedder.embed(texts, "passage");
    expect(server.requests.slice(1).map((r) => r.body.input.length)).toEqual([3, 3, 2]);
    vectors.forEach((vector, i) => {
      const raw = fakeVector(texts[i]);
      const rawNorm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
      expect(norm(vector)).toBeCloseTo(1, 5);
      expect(vector[0]).toBeCloseTo(raw[0] / rawNorm, 5);
    });
  });

  it("marks queries and passages as configured: e5 prefixes, an input_type field, or nothing", async () => {
    for (const mark of ["prefix", "input_type", "none"] as const) {
      const embedder = await createOpenAiEmbedder(options({ mark }));
      server.requests.length = 0;
      await embedder.embed(["سؤال"], "query");
      await embedder.embed(["فقرة"], "passage");
      const [query, passage] = server.requests.map((r) => r.body);
      expect([query.input[0], passage.input[0]]).toEqual(mark === "prefix" ? ["query: سؤال", "passage: فقرة"] : ["سؤال", "فقرة"]);
      expect([query.input_type, passage.input_type]).toEqual(mark === "input_type" ? ["query", "passage"] : [undefined, undefined]);
    }
    expect(defaultMark("intfloat/multilingual-e5-large")).toBe("prefix");
    expect(defaultMark("bge-m3")).toBe("none");
  });

  it("reads base64 answers as little-endian float32, the same vectors as float ones", async () => {
    const asFloat = await createOpenAiEmbedder(options({ encoding: "float" }));
    const asBase64 = await createOpenAiEmbedder(options({ encoding: "base64" }));
    const [a] = await asFloat.embed(["مجلس الأمن"], "passage");
    const [b] = await asBase64.embed(["مجلس الأمن"], "passage");
    expect(server.requests.at(-1)!.body.encoding_format).toBe("base64");
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it("names host, model and mark in its id, never the key, and sends the key only as a bearer header", async () => {
    server.key = KEY;
    const embedder = await createOpenAiEmbedder(options({ apiKey: KEY, mark: "input_type" }));
    expect(embedder.id).toBe(`openai:${new URL(server.url).host}/fake-e5:input_type`);
    expect(server.requests.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    const other = await createOpenAiEmbedder(options({ apiKey: KEY, mark: "prefix" }));
    expect(other.id).not.toBe(embedder.id);
  });

  it("places vectors by their index when the server answers out of order, and keeps a zero vector zero", () => {
    const [first, second] = checkedVectors({ data: [{ index: 1, embedding: [0, 2] }, { index: 0, embedding: [0, 0] }] }, 2, 2);
    expect(Array.from(first)).toEqual([0, 0]);
    expect(Array.from(second)).toEqual([0, 1]);
  });

  it("returns unit vectors or refuses the answer, whatever the numbers (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ noDefaultInfinity: false }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (rows) => {
        let vectors: Float32Array[];
        try {
          vectors = checkedVectors({ data: rows.map((embedding) => ({ embedding })) }, rows.length, 3);
        } catch (error) {
          // Refused only for a number that is not finite (as float32).
          expect(rows.flat().some((x) => !Number.isFinite(Math.fround(x)))).toBe(true);
          return;
        }
        for (const vector of vectors) {
          const n = norm(vector);
          expect(n === 0 || Math.abs(n - 1) < 1e-4).toBe(true);
        }
      }),
    );
  });
});

describe("createOpenAiEmbedder: faults", () => {
  it("waits as long as a 429's Retry-After asks, then succeeds", async () => {
    const embedder = await createOpenAiEmbedder(options());
    server.faults.push({ status: 429, retryAfter: "1" });
    const before = server.requests.length;
    const [vector] = await embedder.embed(["نص"], "query");
    expect(vector).toHaveLength(FAKE_DIMENSION);
    const [refused, retried] = server.requests.slice(before);
    expect(retried.at - refused.at).toBeGreaterThanOrEqual(950); // a lower bound only: waiting longer is fine
  });

  it("gives up at once, as unavailable, when Retry-After asks for longer than it may wait", async () => {
    const embedder = await createOpenAiEmbedder(options({ maxRetryDelayMs: 500 }));
    server.faults.push({ status: 429, retryAfter: "120" });
    const error = await failure(embedder.embed(["نص"], "query"));
    expect(error.code).toBe("EMBEDDINGS_UNAVAILABLE");
    expect(error.message).toContain("retry after 120 s");
  });

  it("retries a 500 and returns the vectors of the answer that follows", async () => {
    const embedder = await createOpenAiEmbedder(options());
    server.faults.push({ status: 500 }, { status: 503 });
    const before = server.requests.length;
    const vectors = await embedder.embed(["أ", "ب"], "passage");
    expect(vectors).toHaveLength(2);
    expect(server.requests.length - before).toBe(3);
  });

  it("stops waiting for a server that hangs after timeoutMs and, out of retries, says it is unavailable (503)", async () => {
    // 1 s: long enough for the probe's answer on a busy machine, short enough to wait out twice.
    const embedder = await createOpenAiEmbedder(options({ timeoutMs: 1000, retries: 1 }));
    server.always = { hang: true };
    const error = await failure(embedder.embed(["نص"], "query"));
    expect(error.code).toBe("EMBEDDINGS_UNAVAILABLE");
    expect(error.message).toContain("no answer within 1000 ms");
    // And recovers by itself once the server answers again.
    server.always = undefined;
    expect(await embedder.embed(["نص"], "query")).toHaveLength(1);
  });

  it.each([
    ["a wrong dimension", { dimension: FAKE_DIMENSION + 1 }, `dimension ${FAKE_DIMENSION + 1}, expected ${FAKE_DIMENSION}`],
    ["a wrong count", { dropOne: true as const }, "2 vectors for 3 texts"],
    ["NaN", { nan: true as const }, "holds NaN"],
  ])("refuses an answer with %s, returning no vector at all", async (_, fault, detail) => {
    const embedder = await createOpenAiEmbedder(options({ batchSize: 3 }));
    // The first batch is fine, the second bad: the call fails as a whole, so nothing of it can be stored.
    const texts = ["١", "٢", "٣", "٤", "٥", "٦"];
    server.faults.push({ ok: true }, fault);
    const error = await failure(embedder.embed(texts, "passage"));
    expect(error.code).toBe("EMBEDDINGS_BAD_ANSWER");
    expect(error.message).toContain(detail);
    expect(error.message).toContain("nothing was stored");
  });

  it("stops the start when the key is refused, naming the URL and never the key", async () => {
    server.key = KEY;
    const error = await failure(createOpenAiEmbedder(options({ apiKey: "sk-wrong-key-1234" })));
    expect(error.code).toBe("EMBEDDINGS_REFUSED");
    expect(error.message).toContain(server.url);
    expect(error.message).toContain("EMBEDDINGS_API_KEY");
    expect(error.message).not.toContain("sk-wrong-key-1234");
  });

  it("stops the start when nothing listens at the URL, naming it and what to try", async () => {
    const url = server.url;
    await server.close();
    const error = await failure(createOpenAiEmbedder({ url, model: "fake-e5", apiKey: KEY }));
    expect(error.code).toBe("EMBEDDINGS_UNREACHABLE");
    expect(error.message).toContain(url);
    expect(error.message).toContain("EMBEDDINGS_URL");
    expect(error.message).not.toContain(KEY);
    server = await startFakeEmbeddingsServer(); // for afterEach
  });

  it("stops the start when the server hangs, after one timeout rather than a round of retries", async () => {
    server.always = { hang: true };
    const error = await failure(createOpenAiEmbedder(options({ timeoutMs: 200 })));
    expect(error.code).toBe("EMBEDDINGS_UNREACHABLE");
    expect(server.requests).toHaveLength(1);
  });

  it("says a later 401 makes the server unavailable to questions (503), never showing the key", async () => {
    const embedder = await createOpenAiEmbedder(options({ apiKey: KEY }));
    server.key = "rotated";
    const error = await failure(embedder.embed(["نص"], "query"));
    expect(error.code).toBe("EMBEDDINGS_UNAVAILABLE");
    expect(error.message).not.toContain(KEY);
  });
});
