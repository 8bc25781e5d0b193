// Hostile and malformed requests through app.request(), against the real engine: every one gets
// a 4xx JSON error naming the problem, or a proper answer; never a 500 or a stack trace.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app";
import { AnswerResponseSchema, ErrorSchema } from "../../src/schemas";
import type { AnswerEngine } from "../../src/answer/engine";
import { buildInMemoryPipeline, loadCorpus } from "../../scripts/lib/engine";
import { READY_HEALTH } from "../support/health";

const health = READY_HEALTH;

let engine: AnswerEngine;
let app: ReturnType<typeof createApp>;
const unexpected: unknown[] = [];

beforeAll(async () => {
  engine = (await buildInMemoryPipeline(await loadCorpus())).engine;
  app = createApp({ engine: () => engine, health: () => health, logError: (error) => unexpected.push(error) });
});

const json = { "content-type": "application/json" };
const post = (body: string, headers: Record<string, string> = json) => app.request("/api/answer", { method: "POST", headers, body });

/** A 4xx JSON error with this code (and a message naming `mentions`), with no stack trace in it. */
async function expectError(res: Response, status: number, code: string, mentions?: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = ErrorSchema.parse(JSON.parse(text));
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toContain(mentions);
  expect(text).not.toMatch(/at .*\.(ts|js):\d+|node_modules/);
}

async function expectAnswer(res: Response) {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return AnswerResponseSchema.parse(JSON.parse(text));
}

describe("invisible characters", () => {
  it("a question of only invisible characters → 400 naming them", async () => {
    await expectError(await post(JSON.stringify({ question: "\u200b\u200f\ufeff" })), 400, "INVALID_REQUEST", "visible");
  });

  it("an invisible character around a question changes nothing in its answer", async () => {
    // A trailing U+200B once moved the model's vector enough to turn a refusal into an answer.
    for (const question of ["ما هو مبدأ استخدام الأسلحة النووية؟", "What is the GDP of Russia?"]) {
      const plain = await expectAnswer(await post(JSON.stringify({ question })));
      for (const hidden of [`${question}\u200b`, `\u202b${question}`, question.replace(" ", " \u2060")]) {
        const answer = await expectAnswer(await post(JSON.stringify({ question: hidden })));
        expect({ ...answer, timings: {} }).toEqual({ ...plain, timings: {} });
      }
    }
  });
});

describe("malformed bodies", () => {
  it.each([
    ["empty", "", "empty body"],
    ["whitespace only", "  \n\t ", "empty body"],
    ["truncated", '{"question": "سؤال"', "position"],
    ["single quotes", "{'question': 'x'}", "position"],
    ["trailing garbage", '{"question":"x"} extra', "position"],
    ["NaN", '{"question": NaN}', "syntax error"],
    ["unterminated", '[[[', "ends too early"],
  ])("%s → 400 INVALID_JSON", async (_name, body, mentions) => {
    await expectError(await post(body), 400, "INVALID_JSON", mentions);
  });

  it("deeply nested JSON under the size limit is refused as a non-object, without a stack overflow", async () => {
    await expectError(await post("[".repeat(60_000) + "]".repeat(60_000)), 413, "PAYLOAD_TOO_LARGE");
    await expectError(await post("[".repeat(30_000) + "]".repeat(30_000)), 400, "INVALID_REQUEST", "body");
    await expectError(await post("[".repeat(60_000)), 400, "INVALID_JSON");
    const nestedField = `{"question":"x","history":${"[".repeat(30_000)}${"]".repeat(30_000)}}`;
    await expectError(await post(nestedField), 400, "INVALID_REQUEST", "history");
    const nestedObjects = `{"question":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`;
    await expectError(await post(nestedObjects), 400, "INVALID_REQUEST", "question");
  });

  it("100k '[' is refused 413 from Content-Length, before any parsing", async () => {
    await expectError(await post("[".repeat(100_000)), 413, "PAYLOAD_TOO_LARGE", "65536");
  });

  it("a __proto__ key is rejected and pollutes nothing", async () => {
    await expectError(await post('{"question":"x","__proto__":{"polluted":1}}'), 400, "INVALID_REQUEST", "__proto__");
    await expectError(await post('{"question":"x","constructor":{"prototype":{"polluted":1}}}'), 400, "INVALID_REQUEST", "constructor");
    await expectError(await post('{"question":"x","history":[{"role":"user","content":"x","__proto__":{"polluted":1}}]}'), 400, "INVALID_REQUEST");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it.each([
    ["a number", "42"],
    ["a string", '"question"'],
    ["true", "true"],
    ["null", "null"],
    ["an array", '[{"question":"x"}]'],
  ])("a JSON body that is %s → 400 naming the body", async (_name, body) => {
    await expectError(await post(body), 400, "INVALID_REQUEST", "body");
  });

  it.each([
    ["no question", {}, "question"],
    ["question empty", { question: "" }, "question"],
    ["question whitespace only", { question: " \n\t " }, "question"],
    ["question null", { question: null }, "question"],
    ["question an object", { question: { text: "x" } }, "question"],
    ["question an array", { question: ["x"] }, "question"],
    ["topK a string", { question: "x", topK: "3" }, "topK"],
    ["topK NaN-like", { question: "x", topK: 1e400 }, "topK"],
    ["history not an array", { question: "x", history: "earlier" }, "history"],
    ["history turn extra field", { question: "x", history: [{ role: "user", content: "x", extra: 1 }] }, "history.0"],
    ["extra field", { question: "x", debug: true }, "debug"],
    ["emptied by trimming", { question: "\u00a0\u2003\n" }, "question"],
    ["too long", { question: "س".repeat(1001) }, "question"],
  ])("%s → 400 naming the field", async (_name, body, field) => {
    await expectError(await post(JSON.stringify(body).replace("1e+400", "1e400")), 400, "INVALID_REQUEST", field);
  });

  it("a field name full of control characters or 50 KB long is echoed short and printable", async () => {
    const res = await post(JSON.stringify({ question: "x", ["\u0000\u001b[31m" + "k".repeat(50_000)]: 1 }));
    const text = await res.clone().text();
    await expectError(res, 400, "INVALID_REQUEST");
    expect(text.length).toBeLessThan(600);
    expect(text).not.toContain("\\u001b");
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["form", { "content-type": "application/x-www-form-urlencoded" }],
    ["multipart", { "content-type": "multipart/form-data; boundary=x" }],
    ["none", {}],
    ["garbage", { "content-type": "\u0001;;;" }],
  ])("Content-Type %s → 415", async (_name, headers) => {
    await expectError(await post('{"question":"x"}', headers), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("a compressed body → 415 UNSUPPORTED_ENCODING, not a confusing INVALID_JSON", async () => {
    await expectError(await post('{"question":"x"}', { ...json, "content-encoding": "gzip" }), 415, "UNSUPPORTED_ENCODING", "gzip");
    expect((await post('{"question":"x"}', { ...json, "content-encoding": "identity" })).status).toBe(200);
  });

  it("accepts application/json with a charset and +json types", async () => {
    await expectAnswer(await post('{"question":"x"}', { "content-type": "application/json; charset=utf-8" }));
    await expectAnswer(await post('{"question":"x"}', { "content-type": "application/vnd.api+json" }));
    await expectAnswer(await post('\ufeff{"question":"x"}')); // a UTF-8 byte order mark is dropped when decoding
  });

  it("a body over the limit → 413, with and without Content-Length", async () => {
    const big = JSON.stringify({ question: "x", pad: "y".repeat(70_000) });
    await expectError(await post(big), 413, "PAYLOAD_TOO_LARGE");
    // A stream has no Content-Length: the limit is enforced while reading.
    const chunks = Array.from({ length: 100 }, () => new TextEncoder().encode("y".repeat(1024)));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await app.request("/api/answer", { method: "POST", headers: json, body: stream, duplex: "half" } as RequestInit);
    await expectError(streamed, 413, "PAYLOAD_TOO_LARGE");
    expect(chunks.length).toBeGreaterThan(0); // it stopped reading before the end
  });
});

describe("hard questions that are still questions get answers", () => {
  it.each([
    ["a lone high surrogate", '{"question":"\\ud800"}'],
    ["a lone low surrogate inside Arabic", '{"question":"من هو \\udc00 أمين مجلس الأمن؟"}'],
    ["control characters", '{"question":"\\u0000\\u0007\\u001b[2J مجلس الأمن \\u007f"}'],
    ["emoji only", JSON.stringify({ question: "🤔🤔🇸🇦👍🏽" })],
    ["zero-width and bidi marks only", JSON.stringify({ question: "\u200b\u200f\u202e\u2066x" })],
    ["Arabic diacritics only", JSON.stringify({ question: "ًٌٍَُِّْ" })],
    ["a single letter", JSON.stringify({ question: "؟" })],
    ["1,000 characters of one word", JSON.stringify({ question: "الأمن ".repeat(166) })],
    ["punctuation only", JSON.stringify({ question: "?!.،؛..." })],
    ["markdown and HTML", JSON.stringify({ question: "<script>alert(1)</script> **مجلس** [x](javascript:1)" })],
  ])("%s → 200 with a valid answer", async (_name, body) => {
    const answer = await expectAnswer(await post(body));
    expect(answer.answer).not.toContain("<script>");
  });
});

describe("paths and methods", () => {
  it.each([
    ["../ in the id", "/api/documents/..%2F..%2Fetc%2Fpasswd"],
    ["%2F in the id", "/api/documents/a%2Fb"],
    ["NUL in the id", "/api/documents/x%00y"],
    ["a broken percent escape", "/api/documents/%E0%A4%A"],
    ["a lone surrogate escape", "/api/documents/%ED%A0%80"],
    ["a 10 KB id", `/api/documents/${"a".repeat(10_000)}`],
    ["backslashes", "/api/documents/..%5C..%5Cwindows"],
  ])("%s → 404 DOCUMENT_NOT_FOUND", async (_name, path) => {
    const res = await app.request(path);
    const text = await res.clone().text();
    await expectError(res, 404, "DOCUMENT_NOT_FOUND");
    expect(text.length).toBeLessThan(400);
    expect(text).not.toMatch(/\\u0000/);
  });

  it.each([
    ["a raw ../ that escapes the route", "/api/documents/../../etc/passwd"],
    ["an unknown API route", "/api/admin"],
    ["a deep unknown path", `/${"x/".repeat(2000)}`],
    ["a path with NUL", "/api/%00"],
    ["the documents route with an empty id", "/api/documents/"],
    ["below a document", "/api/documents/x/y"],
  ])("%s → 404 NOT_FOUND", async (_name, path) => {
    await expectError(await app.request(path), 404, "NOT_FOUND");
  });

  it.each(["PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "FOO"])("%s /api/answer → 405 with Allow", async (method) => {
    const res = await app.request("/api/answer", { method });
    expect(res.headers.get("allow")).toBe("POST");
    await expectError(res, 405, "METHOD_NOT_ALLOWED", method);
  });

  it("a wrong method on a document still says which methods it takes", async () => {
    const res = await app.request("/api/documents/some-id", { method: "POST" });
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    await expectError(res, 405, "METHOD_NOT_ALLOWED", "POST");
  });

  it("HEAD on a GET route answers without a body", async () => {
    const res = await app.request("/api/health", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("a query string is ignored, not an error", async () => {
    expect((await app.request("/api/health?x=%ZZ&__proto__[a]=1")).status).toBe(200);
  });
});

describe("property: no 5xx and always JSON at /api/answer", () => {
  // Any UTF-16 code unit, lone surrogates included.
  const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
  const anyString = fc.string({ unit: anyCodeUnit, maxLength: 80 });

  async function expectJsonNot5xx(res: Response) {
    const text = await res.text();
    expect(res.status, text).toBeLessThan(500);
    expect(() => JSON.parse(text)).not.toThrow();
  }

  it("random JSON values as the body", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        await expectJsonNot5xx(await post(JSON.stringify(value)));
      }),
      { numRuns: 150 },
    );
  });

  it("random objects around a question field", async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ question: fc.jsonValue({ maxDepth: 2 }), topK: fc.option(fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: ["question"] }), async (value) => {
        await expectJsonNot5xx(await post(JSON.stringify(value)));
      }),
      { numRuns: 150 },
    );
  });

  it("random Unicode strings (lone surrogates included) as the question", async () => {
    await fc.assert(
      fc.asyncProperty(anyString, async (question) => {
        const res = await post(JSON.stringify({ question }));
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        const body = JSON.parse(text);
        if (res.status === 200) AnswerResponseSchema.parse(body);
        else expect(body.error.code).toBe("INVALID_REQUEST"); // only an empty question is refused
      }),
      { numRuns: 200 },
    );
  });

  it("random Unicode strings as the raw body", async () => {
    await fc.assert(
      fc.asyncProperty(anyString, async (body) => {
        await expectJsonNot5xx(await post(body));
      }),
      { numRuns: 200 },
    );
  });

  it("random document ids", async () => {
    await fc.assert(
      fc.asyncProperty(anyString, async (id) => {
        const res = await app.request(`/api/documents/${encodeURIComponent(id.toWellFormed())}`);
        await expectJsonNot5xx(res);
      }),
      { numRuns: 150 },
    );
  });

  it("nothing above reached the internal-error path", () => {
    expect(unexpected).toEqual([]);
  });
});
