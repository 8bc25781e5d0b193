// With VECTOR_STORE=pgvector, a document uploaded to one server is answered by another: the
// upload's job indexes the receiving server's corpus folder into the store as a new generation,
// which the other server follows (PG_POLL_MS). Real server processes on PGlite over the wire.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevDatabase, type DevDatabase } from "../../scripts/lib/pglite-server";
import { killAll, REAL_ARTICLE, startServer, waitFor } from "../reliability/helpers";
import { UploadResponseSchema } from "../../src/schemas";

const root = mkdtempSync(join(tmpdir(), "pgvector-upload-"));
const TOKEN = "pgvector-upload-token-0123456789";
const LAB = "أعلنت جامعة النيل الأزرق عن افتتاح مختبر جديد لأبحاث المياه في مدينة ود مدني خلال شهر أكتوبر.\n";
let database: DevDatabase;

beforeAll(async () => {
  for (const name of ["corpus-a", "corpus-b"]) {
    mkdirSync(join(root, name));
    copyFileSync(REAL_ARTICLE, join(root, name, "article.txt"));
  }
  database = await startDevDatabase({ dir: join(root, "data") });
});
afterAll(async () => {
  await killAll();
  await database?.stop().catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

const env = (corpus: string) => ({
  VECTOR_STORE: "pgvector",
  DATABASE_URL: database.url,
  EMBEDDER: "hashing",
  PG_POLL_MS: "300",
  RATE_LIMIT_PER_MINUTE: "0",
  ADMIN_TOKEN: TOKEN,
  CORPUS_DIR: join(root, corpus),
});
const healthy = (url: string) => waitFor(async () => ((await fetch(`${url}/api/health`)).ok ? true : undefined), 60_000);

describe("uploads with the pgvector store", () => {
  it("an upload to one server is answered by another within its poll", async () => {
    const first = await startServer(env("corpus-a"));
    await healthy(first.url);
    const second = await startServer(env("corpus-b"));
    await healthy(second.url);

    const data = new FormData();
    data.append("file", new Blob([LAB]), "lab.txt");
    const res = await fetch(`${first.url}/api/documents`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: data });
    expect(res.status).toBe(202);
    const { documents, job } = UploadResponseSchema.parse(await res.json());
    const finished = await waitFor(async () => {
      const state = await (await fetch(`${first.url}/api/jobs/${job}`)).json();
      return state.stage === "done" || state.stage === "failed" ? state : undefined;
    }, 60_000);
    expect(finished.stage).toBe("done");

    const answer = await waitFor(async () => {
      const response = await fetch(`${second.url}/api/answer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "أين افتتحت جامعة النيل الأزرق مختبر أبحاث المياه؟" }),
      });
      const body = await response.json();
      return body.citations?.[0]?.docId === documents[0].id ? body : undefined;
    }, 30_000, 200);
    expect(answer.citations[0].text).toBe(LAB.trim());
  });
});
