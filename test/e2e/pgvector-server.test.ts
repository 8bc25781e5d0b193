// Many app servers, one store: real server processes (npm start's entry point) on one
// Postgres-compatible server (PGlite + pgvector over the wire, in this test process).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevDatabase, type DevDatabase } from "../../scripts/lib/pglite-server";
import { killAll, REAL_ARTICLE, startProcess, startServer, waitFor } from "../reliability/helpers";

const root = mkdtempSync(join(tmpdir(), "pgvector-e2e-"));
const dataDir = join(root, "data");
const corpusA = join(root, "corpus-a");
const corpusB = join(root, "corpus-b");
let database: DevDatabase;

const NEW_DOCUMENT = "تقع مدينة الإسكندرية على ساحل البحر المتوسط. أسسها الإسكندر الأكبر سنة 331 قبل الميلاد.\n\nاشتهرت المدينة بمكتبتها القديمة ومنارتها.\n";
const NEW_QUESTION = "من أسس مدينة الإسكندرية؟";
const ARTICLE_QUESTION = "من هو أمين مجلس الأمن في بيلاروسيا؟";

beforeAll(async () => {
  for (const dir of [corpusA, corpusB]) {
    mkdirSync(dir);
    copyFileSync(REAL_ARTICLE, join(dir, "article.txt"));
  }
  writeFileSync(join(corpusB, "alexandria.txt"), NEW_DOCUMENT);
  database = await startDevDatabase({ dir: dataDir });
});
afterAll(async () => {
  await killAll();
  await database?.stop().catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

/** Until /api/health says 200: the engine's "ready" line comes just before it is swapped in. */
const healthy = (url: string) => waitFor(async () => ((await fetch(`${url}/api/health`)).ok ? true : undefined), 60_000);

const env = () => ({ VECTOR_STORE: "pgvector", DATABASE_URL: database.url, EMBEDDER: "hashing", PG_POLL_MS: "300", RATE_LIMIT_PER_MINUTE: "0", CORPUS_DIR: corpusA });

async function ask(url: string, question: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  return { status: response.status, body: await response.json() };
}

describe("servers sharing one pgvector store", () => {
  it("a document indexed by one process is answered by every server without a restart", async () => {
    const first = await startServer(env());
    await healthy(first.url);
    const second = await startServer(env());
    await healthy(second.url);
    for (const server of [first, second]) {
      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health.index.kind).toBe("pgvector");
      expect(health.counts.documents).toBe(1);
    }
    // The second found the index the first wrote at start, and wrote nothing.
    expect(second.log()).not.toMatch(/pgvector: indexing/);

    const indexer = startProcess("src/cli/index-corpus.ts", { ...env(), CORPUS_DIR: corpusB });
    expect((await indexer.exited).code).toBe(0);

    for (const server of [first, second]) {
      const documents = await waitFor(async () => {
        const list = await (await fetch(`${server.url}/api/documents`)).json();
        return list.documents?.length === 2 ? list : undefined;
      }, 30_000);
      expect(documents.documents).toHaveLength(2);
      const { status, body } = await ask(server.url, NEW_QUESTION);
      expect(status).toBe(200);
      expect(body.abstained).toBe(false);
      expect(body.citations[0].text).toContain("الإسكندرية");
    }

    // SIGHUP indexes the server's own folder (one document) into the store; both follow it.
    first.signal("SIGHUP");
    for (const server of [first, second]) {
      await waitFor(async () => {
        const list = await (await fetch(`${server.url}/api/documents`)).json();
        return list.documents?.length === 1 ? true : undefined;
      }, 60_000);
    }
  });

  it("answers 503 STORE_UNAVAILABLE while the database is away, stays up, and answers again when it is back", async () => {
    const server = await startServer(env());
    await healthy(server.url);
    expect((await ask(server.url, ARTICLE_QUESTION)).status).toBe(200);
    const port = database.port;
    await database.stop();
    const { status, body } = await ask(server.url, ARTICLE_QUESTION);
    expect(status).toBe(503);
    expect(body.error.code).toBe("STORE_UNAVAILABLE");
    expect(body.error.message).toMatch(/retry in a few seconds/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    database = await startDevDatabase({ dir: dataDir, port });
    const again = await waitFor(async () => {
      const answer = await ask(server.url, ARTICLE_QUESTION);
      return answer.status === 200 ? answer : undefined;
    }, 20_000, 200);
    expect(again.body.citations.length).toBeGreaterThan(0);
    expect(server.child.exitCode).toBeNull();
  });

  it("a bad DATABASE_URL stops the server at start with a clear message", async () => {
    const server = startProcess("src/server/node.ts", { ...env(), PORT: "0", DATABASE_URL: "postgres://postgres:pw@127.0.0.1:1/postgres" });
    const { code } = await server.exited;
    expect(code).toBe(1);
    expect(server.log()).toMatch(/cannot start: Cannot use the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres \(connection refused\); start it \(npm run db:dev/);
  });
});
