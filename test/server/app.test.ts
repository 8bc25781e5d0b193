// The HTTP contract, through app.request() with no server: the real engine over the real corpus.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app";
import { AnswerResponseSchema, DocumentListSchema, DocumentResponseSchema, ErrorSchema, HealthSchema } from "../../src/schemas";
import type { AnswerEngine } from "../../src/answer/engine";
import { buildInMemoryPipeline, loadCorpus } from "../../scripts/lib/engine";
import { READY_HEALTH } from "../support/health";

const DOC_ID = "000_c1add9699fc6f4ec";
const health = READY_HEALTH;

let engine: AnswerEngine;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  engine = (await buildInMemoryPipeline(await loadCorpus())).engine;
  app = createApp({ engine: () => engine, health: () => health, logError: () => {} });
});

const post = (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
  app.request("/api/answer", { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

async function expectError(res: Response, status: number, code: string, mentions?: string) {
  expect(res.status).toBe(status);
  const body = ErrorSchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toContain(mentions);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
}

describe("POST /api/answer", () => {
  it("answers an Arabic question with verbatim citations that point into the document", async () => {
    const res = await post({ question: "من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟" });
    expect(res.status).toBe(200);
    const body = AnswerResponseSchema.parse(await res.json());
    expect(body.abstained).toBe(false);
    expect(body.language).toBe("ar");
    expect(body.citations.length).toBeGreaterThanOrEqual(1);
    const text = readFileSync(`corpus/${DOC_ID}.txt`, "utf8");
    for (const c of body.citations) {
      expect(text.slice(c.start, c.end)).toBe(c.text);
      expect(body.answer).toContain(`[${c.n}]`);
    }
    expect(body.citations[0].text).toContain("ألكسندر فولفوفيتش، أمين مجلس الأمن");
    // Every citation lies inside a returned passage that lists it.
    for (const c of body.citations) {
      expect(body.passages.some((p) => p.citations.includes(c.n) && p.start <= c.start && c.end <= p.end)).toBe(true);
    }
  });

  it("respects topK for the passages", async () => {
    const body = AnswerResponseSchema.parse(await (await post({ question: "التعاون العسكري بين روسيا وبيلاروسيا", topK: 2 })).json());
    expect(body.passages.length).toBeLessThanOrEqual(2);
  });

  it("abstains, in the question's language, when the sources do not say", async () => {
    const ar = AnswerResponseSchema.parse(await (await post({ question: "ما هي عاصمة أستراليا؟" })).json());
    expect(ar.abstained).toBe(true);
    expect(ar.citations).toEqual([]);
    expect(ar.answer).toMatch(/«أستراليا»/); // refused by name: the article never mentions Australia
    expect(ar.unmentioned).toEqual(["أستراليا"]);
    const en = AnswerResponseSchema.parse(await (await post({ question: "What is the boiling point of water?" })).json());
    expect(en.abstained).toBe(true);
    expect(en.answer).toMatch(/sources do not say/);
    // Refused because it names what the document never mentions: the answer says which.
    const named = AnswerResponseSchema.parse(await (await post({ question: "What is the capital of Australia?" })).json());
    expect(named).toMatchObject({ abstained: true, unmentioned: ["Australia"] });
    expect(named.answer).toBe("The closest source never mentions “Australia”, so it does not answer this question.");
  });

  it("returns the closest passages with a refusal, citing nothing, verbatim from the document", async () => {
    const body = AnswerResponseSchema.parse(await (await post({ question: "ما هو لون السماء على المريخ؟" })).json());
    expect(body.abstained).toBe(true);
    expect(body.citations).toEqual([]);
    expect(body.passages.length).toBeGreaterThan(0);
    expect(body.passages.length).toBeLessThanOrEqual(3);
    const text = readFileSync(`corpus/${DOC_ID}.txt`, "utf8");
    for (const p of body.passages) {
      expect(p.citations).toEqual([]);
      expect(text.slice(p.start, p.end)).toBe(p.text);
    }
  });

  it.each([
    [{}, "question"],
    [{ question: "" }, "question"],
    [{ question: "   \n\t " }, "question"],
    [{ question: "x".repeat(1001) }, "question"],
    [{ question: 42 }, "question"],
    [{ question: "سؤال", topK: 0 }, "topK"],
    [{ question: "سؤال", topK: 21 }, "topK"],
    [{ question: "سؤال", topK: 2.5 }, "topK"],
    [{ question: "سؤال", topK: "5" }, "topK"],
    [{ question: "سؤال", history: Array.from({ length: 21 }, () => ({ role: "user", content: "x" })) }, "history"],
    [{ question: "سؤال", history: [{ role: "system", content: "x" }] }, "history.0.role"],
    [{ question: "سؤال", extra: true }, "extra"],
    [[], "body"],
    ["null", "body"],
  ])("rejects %j with 400 naming %s", async (body, field) => {
    await expectError(await post(body), 400, "INVALID_REQUEST", field);
  });

  it("rejects malformed JSON, a wrong content type and a body over 64 KB", async () => {
    await expectError(await post("{ not json"), 400, "INVALID_JSON");
    await expectError(await post(""), 400, "INVALID_JSON", "empty body");
    await expectError(await post({ question: "x" }, { "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE", "text/plain");
    await expectError(await post({ question: "x" }, {}), 415, "UNSUPPORTED_MEDIA_TYPE");
    await expectError(await post({ question: "x", pad: "y".repeat(70_000) }), 413, "PAYLOAD_TOO_LARGE", "65536");
  });

  it("accepts a question of exactly 1,000 characters after trimming", async () => {
    const res = await post({ question: `  ${"ب".repeat(1000)}  ` });
    expect(res.status).toBe(200);
  });

  it("answers 503 while the engine is not ready, and 500 without details when it fails", async () => {
    const notReady = createApp({ engine: () => undefined, health: () => ({ ...health, ready: false }) });
    const res = await notReady.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: '{"question":"x"}' });
    await expectError(res, 503, "NOT_READY");
    expect((await notReady.request("/api/health")).status).toBe(503);

    const failing = createApp({
      engine: () => ({ ...engine, answer: () => Promise.reject(new Error("secret internal detail")) }),
      health: () => health,
      logError: () => {},
    });
    const failed = await failing.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: '{"question":"x"}' });
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain("secret internal detail");
  });
});

describe("documents, health, OpenAPI and unknown routes", () => {
  it("returns a document's text as stored, with metadata and paragraph spans", async () => {
    const res = await app.request(`/api/documents/${DOC_ID}`);
    expect(res.status).toBe(200);
    const doc = DocumentResponseSchema.parse(await res.json());
    expect(doc.text).toBe(readFileSync(`corpus/${DOC_ID}.txt`, "utf8"));
    expect(doc.paragraphs).toHaveLength(18);
    expect(doc.meta.source).toContain("رياليست عربي");
    for (const p of doc.paragraphs) expect(doc.text.slice(p.start, p.end).trim()).toBe(doc.text.slice(p.start, p.end));
  });

  it.each(["nope", "..%2F..%2Fetc%2Fpasswd", "__proto__", "constructor", "%00", `${DOC_ID}.txt`, "..%5Ccorpus"])(
    "answers 404 for the unknown document id %s",
    async (id) => {
      await expectError(await app.request(`/api/documents/${id}`), 404, "DOCUMENT_NOT_FOUND");
    },
  );

  it("lists the documents with title, language and counts, and the corpus's example questions", async () => {
    const body = DocumentListSchema.parse(await (await app.request("/api/documents")).json());
    expect(body.documents.map((d) => d.id)).toEqual([DOC_ID]);
    const [doc] = body.documents;
    expect(doc.title).toContain("روسيا وبيلاروسيا");
    expect(doc.meta.language).toBe("ar");
    expect(doc.paragraphs).toBe(18);
    expect(doc.sentences).toBeGreaterThan(18);
    // From corpus/corpus.json, not from the code, and each one answered by the corpus.
    expect(body.examples.length).toBeGreaterThan(0);
    for (const { question } of body.examples) {
      const answer = AnswerResponseSchema.parse(await (await post({ question })).json());
      expect(answer.abstained, question).toBe(false);
    }
  });

  it("reports health", async () => {
    const res = await app.request("/api/health");
    expect(res.status).toBe(200);
    expect(HealthSchema.parse(await res.json()).ready).toBe(true);
  });

  it("serves an OpenAPI document generated from the schemas", async () => {
    const spec = (await (await app.request("/openapi.json")).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/answer", "/api/documents/{id}", "/api/health"]));
    expect(JSON.stringify(spec.paths["/api/answer"])).toContain("question");
    expect(JSON.stringify(spec.paths["/api/documents"])).toContain("examples");
  });

  it("answers 405 with Allow for a wrong method and 404 JSON for an unknown route", async () => {
    const wrong = await app.request("/api/answer");
    await expectError(wrong, 405, "METHOD_NOT_ALLOWED", "POST");
    expect(wrong.headers.get("allow")).toBe("POST");
    await expectError(await app.request("/api/nothing-here", { method: "DELETE" }), 404, "NOT_FOUND", "/api/nothing-here");
  });
});
