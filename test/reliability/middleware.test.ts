// Limits and headers through createApp: rate limit, timeout, security headers, CORS, request ids, access log.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createApp, type AppOptions } from "../../src/server/app";
import { ErrorSchema } from "../../src/schemas";
import type { AnswerEngine } from "../../src/answer/engine";
import type { AccessLogEntry } from "../../src/server/middleware/access-log";
import { rateLimit } from "../../src/server/middleware/rate-limit";
import { serveWeb } from "../../src/server/web";
import { loadConfig } from "../../src/config";
import { createError } from "../../src/errors";
import { READY_HEALTH } from "../support/health";

const health = READY_HEALTH;

/** An engine whose answer takes `delayMs`; enough for the routes these tests use. */
function slowEngine(delayMs: number): AnswerEngine {
  return {
    answer: async () => {
      await new Promise((r) => setTimeout(r, delayMs));
      return { answer: "ok", abstained: true, language: "en", confidence: 0, citations: [], passages: [], timings: {} };
    },
    listDocuments: () => ({ documents: [] }),
    getDocument: () => undefined,
  } as unknown as AnswerEngine;
}

const appWith = (options: Partial<AppOptions> = {}) =>
  createApp({ engine: () => slowEngine(0), health: () => health, logError: () => {}, ...options });
const ask = (app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) =>
  app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: '{"question":"x"}' });

describe("rate limit", () => {
  it("lets a burst through, then answers 429 JSON with Retry-After, per client", async () => {
    const app = appWith({ rateLimit: { perMinute: 60, burst: 3 }, clientAddress: (c) => c.req.header("x-test-client") });
    for (let i = 0; i < 3; i++) expect((await ask(app, { "x-test-client": "a" })).status).toBe(200);
    const limited = await ask(app, { "x-test-client": "a" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    const body = ErrorSchema.parse(await limited.json());
    expect(body.error).toMatchObject({ code: "RATE_LIMITED" });
    expect(body.error.message).toContain("retry after 1 s");
    // Another client has its own bucket.
    expect((await ask(app, { "x-test-client": "b" })).status).toBe(200);
  });

  it("limits the API only: the chat's own files are never refused", async () => {
    const app = appWith({ rateLimit: { perMinute: 60, burst: 1 }, clientAddress: () => "reader" });
    app.get("/styles.css", (c) => c.text("body {}"));
    expect((await ask(app)).status).toBe(200);
    expect((await ask(app)).status).toBe(429);
    // A page load fetches about twenty files; reloading must not spend the API's budget or be refused.
    for (let i = 0; i < 25; i++) expect((await app.request("/styles.css")).status).not.toBe(429);
  });

  it("refills at the configured rate", async () => {
    let now = 0;
    const app = new Hono();
    app.use(rateLimit({ perMinute: 6, burst: 1, clientKey: () => "one", now: () => now }));
    app.get("/", (c) => c.text("ok"));
    app.onError((e, c) => c.json({ error: e.message }, 429));
    expect((await app.request("/")).status).toBe(200);
    const limited = await app.request("/");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("10"); // one token per 10 s
    now = 9_999;
    expect((await app.request("/")).status).toBe(429);
    now = 10_000;
    expect((await app.request("/")).status).toBe(200);
  });

  it("remembers a bounded number of clients", async () => {
    let client = 0;
    const app = new Hono();
    app.use(rateLimit({ perMinute: 1, burst: 1, clientKey: () => String(client), maxClients: 100 }));
    app.get("/", (c) => c.text("ok"));
    app.onError((_e, c) => c.text("limited", 429));
    for (client = 0; client < 1000; client++) expect((await app.request("/")).status).toBe(200);
    client = 999; // still remembered: limited
    expect((await app.request("/")).status).toBe(429);
    client = 0; // forgotten long ago: a fresh bucket
    expect((await app.request("/")).status).toBe(200);
  });

  it("is off when perMinute is 0 or no limit is given", async () => {
    for (const app of [appWith({ rateLimit: { perMinute: 0, burst: 1 } }), appWith()]) {
      for (let i = 0; i < 20; i++) expect((await ask(app)).status).toBe(200);
    }
  });
});

describe("load shedding", () => {
  it("answers 503 BUSY JSON with Retry-After when the model's queue is full (embed/query-batcher.ts)", async () => {
    const busy = { ...slowEngine(0), answer: async () => { throw createError("BUSY"); } } as unknown as AnswerEngine;
    const res = await createApp({ engine: () => busy, health: () => health }).request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: '{"question":"x"}' });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(ErrorSchema.parse(await res.json()).error).toMatchObject({ code: "BUSY", message: expect.stringContaining("retry") });
  });
});

describe("request timeout", () => {
  it("answers 503 TIMEOUT JSON when the engine is too slow, and the server carries on", async () => {
    let slow = true;
    const app = createApp({ engine: () => slowEngine(slow ? 300 : 0), health: () => health, timeoutMs: 100 });
    const started = Date.now();
    const res = await ask(app);
    expect(Date.now() - started).toBeLessThan(280);
    expect(res.status).toBe(503);
    expect(ErrorSchema.parse(await res.json()).error).toMatchObject({ code: "TIMEOUT", message: expect.stringContaining("100 ms") });
    slow = false;
    expect((await ask(app)).status).toBe(200);
  });

  it("also covers a body that arrives too slowly", async () => {
    const app = appWith({ timeoutMs: 100 });
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"question":'));
        await new Promise((r) => setTimeout(r, 400));
        controller.enqueue(new TextEncoder().encode('"x"}'));
        controller.close();
      },
    });
    const res = await app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(503);
  });
});

describe("headers", () => {
  it("API responses carry a strict CSP and the usual security headers, errors included", async () => {
    const app = appWith();
    for (const res of [await ask(app), await app.request("/api/health"), await app.request("/nope"), await app.request("/api/answer")]) {
      expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("the web page keeps serveWeb's own CSP (no inline script either)", async () => {
    const html = new TextEncoder().encode("<!doctype html><title>x</title>");
    const app = appWith({ web: serveWeb({ readAsset: async (path) => (path === "index.html" ? html : null) }) });
    const res = await app.request("/");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("returns X-Request-Id, a fresh one or the client's own when it is well formed", async () => {
    const app = appWith();
    const res = await app.request("/api/health");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await app.request("/api/health", { headers: { "x-request-id": "trace-123" } })).headers.get("x-request-id")).toBe("trace-123");
    const forged = await app.request("/api/health", { headers: { "x-request-id": "bad id\twith spaces" } });
    // Replaced by a fresh id (not merely checked for "bad": b, a and d are hex digits of a UUID too).
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("CORS", () => {
  const preflight = { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } };

  it("is closed by default: no CORS headers, and a preflight is refused", async () => {
    const app = appWith();
    const res = await ask(app, { origin: "https://evil.example" });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await app.request("/api/answer", preflight);
    expect(pre.status).toBe(405);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows exactly the configured origins", async () => {
    const app = appWith({ corsOrigins: ["https://good.example"] });
    const good = await ask(app, { origin: "https://good.example" });
    expect(good.headers.get("access-control-allow-origin")).toBe("https://good.example");
    expect(good.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    expect((await ask(app, { origin: "https://evil.example" })).headers.get("access-control-allow-origin")).toBeNull();
    const pre = await app.request("/api/answer", { ...preflight, headers: { ...preflight.headers, origin: "https://good.example" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET,HEAD,POST");
  });

  it("CORS_ORIGINS is parsed and checked by the config", () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: " https://a.example, http://localhost:5173 ," }).CORS_ORIGINS).toEqual(["https://a.example", "http://localhost:5173"]);
    expect(() => loadConfig({ CORS_ORIGINS: "a.example/path" })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({}).RATE_LIMIT_PER_MINUTE).toBe(600);
    expect(loadConfig({}).REQUEST_TIMEOUT_MS).toBe(10_000);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: "-1" })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});

describe("access log", () => {
  it("writes one entry per request with id, method, path, status, latency and client", async () => {
    const entries: AccessLogEntry[] = [];
    const app = appWith({ accessLog: (e) => entries.push(e), clientAddress: () => "203.0.113.7", rateLimit: { perMinute: 60, burst: 1 } });
    const ok = await ask(app);
    await ask(app); // rate limited
    await app.request("/api/nothing%0A{forged}"); // a decoded newline must not start a new log line
    expect(entries.map((e) => [e.method, e.path, e.status, e.ip])).toEqual([
      ["POST", "/api/answer", 200, "203.0.113.7"],
      ["POST", "/api/answer", 429, "203.0.113.7"],
      ["GET", expect.stringMatching(/^\/api\/nothing/), 429, "203.0.113.7"],
    ]);
    expect(entries[0].requestId).toBe(ok.headers.get("x-request-id"));
    expect(entries[0].ms).toBeGreaterThanOrEqual(0);
    expect(new Date(entries[0].time).getTime()).not.toBeNaN();
    for (const e of entries) expect(JSON.stringify(e)).not.toContain("\n");
  });
});
