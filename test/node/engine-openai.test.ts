// The Node engine with EMBEDDER=openai against the fake server: the index is built from the
// server's vectors, /api/health shows the embedder (never the key) and that its thresholds are
// uncalibrated, a server that goes away gives 503 EMBEDDINGS_UNAVAILABLE to questions and the
// engine recovers by itself, and nothing is indexed from a bad answer.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/log";
import { createNodeEngine } from "../../src/node/engine";
import { ErrorSchema, HealthSchema } from "../../src/schemas";
import { createApp } from "../../src/server/app";
import { startFakeEmbeddingsServer, type FakeServer } from "../embed/fake-embeddings-server";

const KEY = "sk-engine-secret-7777";
const root = mkdtempSync(join(tmpdir(), "engine-openai-"));
const corpusDir = join(root, "corpus");
beforeAll(() => {
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, "a.txt"), "مفهوم أمني جديد لدولة الاتحاد. روسيا و بيلاروسيا.\nمجلس الأمن هو الذي قال ذلك في ديسمبر.\n");
  writeFileSync(join(corpusDir, "b.txt"), "وقعت الاتفاقية في موسكو. حضر الرئيسان التوقيع.\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeEmbeddingsServer();
  server.key = KEY;
});
afterEach(() => server.close());

const configFor = (embeddingsDir: string) =>
  loadConfig({ CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: embeddingsDir, EMBEDDER: "openai", EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: "fake-e5", EMBEDDINGS_API_KEY: KEY, EMBEDDINGS_MARK: "input_type", EMBEDDINGS_TIMEOUT_MS: "10000" });

describe("EMBEDDER=openai in the Node engine", () => {
  it("answers from the server's vectors, says in /api/health which thresholds apply, and never shows the key", async () => {
    const engine = await createNodeEngine(configFor(join(root, "emb-ok")), createLogger("silent"));
    const health = HealthSchema.parse(engine.health());
    expect(health.embedder.id).toMatch(/^openai:127\.0\.0\.1:\d+\/fake-e5:input_type$/);
    expect(health.refusal).toMatchObject({ calibrated: false });
    expect(health.refusal?.reason).toContain("npm run calibrate -- --embedder openai");
    expect(JSON.stringify(health)).not.toContain(KEY);
    // Passages, sentences and the background were embedded as passages, questions as queries.
    expect(new Set(server.requests.map((r) => r.body.input_type))).toEqual(new Set(["passage", "query"]));

    const app = createApp({ engine: () => engine.engine, health: () => engine.health(), logError: () => {} });
    const ask = (question: string) => app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
    expect((await ask("ماذا قال مجلس الأمن؟")).status).toBe(200);

    // The server goes away (503s until the retries run out): questions get 503 EMBEDDINGS_UNAVAILABLE, never a stack or the key.
    server.always = { status: 503 };
    const away = await ask("أين وقعت الاتفاقية؟");
    expect(away.status).toBe(503);
    const body = ErrorSchema.parse(await away.json());
    expect(body.error.code).toBe("EMBEDDINGS_UNAVAILABLE");
    expect(JSON.stringify(body)).not.toContain(KEY);

    // It comes back: the same engine answers again, nothing restarted.
    server.always = undefined;
    expect((await ask("من حضر التوقيع؟")).status).toBe(200);
  }, 60_000);

  it("builds no index from a bad answer: the start fails with the reason and the next good start builds it", async () => {
    const dir = join(root, "emb-bad");
    server.faults.push({ ok: true }); // the probe answers well
    server.always = { dimension: 17 };
    const error = await createNodeEngine(configFor(dir), createLogger("silent")).then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain("dimension 17, expected 16");
    expect(error?.message).not.toContain(KEY);
    expect(existsSync(join(dir, "manifest.json"))).toBe(false);

    server.always = undefined;
    const engine = await createNodeEngine(configFor(dir), createLogger("silent"));
    expect(engine.health().index.loaded).toBe(false); // built now, from good answers only
    expect(existsSync(join(dir, "manifest.json"))).toBe(true);
  }, 60_000);

  it("stops the start when the server refuses the key, naming the URL and not the key", async () => {
    server.key = "another";
    const error = await createNodeEngine(configFor(join(root, "emb-401")), createLogger("silent")).then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain(`refused the API key`);
    expect(error?.message).toContain(server.url);
    expect(error?.message).not.toContain(KEY);
  });
});
