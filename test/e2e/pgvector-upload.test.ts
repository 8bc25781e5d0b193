// With VECTOR_STORE=pgvector, a document uploaded to one server is answered by another: the
// upload goes into the store, the upload's job indexes the receiving server's corpus folder (with
// every upload the store holds) into the store as a new generation, which the other server follows
// (PG_POLL_MS), and serves the original from the store. Real server processes on PGlite over the wire.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

const NILE = "يبلغ طول نهر النيل نحو ستة آلاف وستمئة كيلومتر، ويصب في البحر المتوسط عند دلتا مصر.\n";
const LAB_QUESTION = "أين افتتحت جامعة النيل الأزرق مختبر أبحاث المياه؟";
const NILE_QUESTION = "كم يبلغ طول نهر النيل؟";

async function ask(url: string, question: string): Promise<{ citations: { docId: string; text: string }[] }> {
  const response = await fetch(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  return response.json();
}
const cites = async (url: string, question: string, id: string) => (await ask(url, question)).citations.some((c) => c.docId === id);

async function upload(url: string, name: string, text: string) {
  const data = new FormData();
  data.append("file", new Blob([text]), name);
  const res = await fetch(`${url}/api/documents`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: data });
  expect(res.status).toBe(202);
  return UploadResponseSchema.parse(await res.json());
}

async function jobDone(url: string, job: string) {
  const finished = await waitFor(async () => {
    const state = await (await fetch(`${url}/api/jobs/${job}`)).json();
    return state.stage === "done" || state.stage === "failed" ? state : undefined;
  }, 90_000);
  expect(finished.stage).toBe("done");
}

const uploadFiles = (corpus: string) => readdirSync(join(root, corpus, "uploads")).filter((n) => !n.startsWith(".")).sort();

describe("uploads with the pgvector store", () => {
  it("an upload to one server is answered by another, which serves its original; a later run elsewhere keeps it; a deletion anywhere removes it everywhere", async () => {
    const first = await startServer(env("corpus-a"));
    await healthy(first.url);
    const second = await startServer(env("corpus-b"));
    await healthy(second.url);

    // Uploaded to A: B answers it and serves its original, read from the store (B's folder never had it).
    const uploaded = performance.now();
    const lab = await upload(first.url, "lab.txt", LAB);
    const labId = lab.documents[0].id;
    const answer = await waitFor(async () => {
      const body = await ask(second.url, LAB_QUESTION);
      return body.citations?.[0]?.docId === labId ? body : undefined;
    }, 60_000, 100);
    console.log(`pgvector upload: first answer on the other server ${Math.round(performance.now() - uploaded)} ms after the upload began`);
    expect(answer.citations[0].text).toBe(LAB.trim());
    await jobDone(first.url, lab.job!);
    for (const server of [first, second]) {
      const original = await fetch(`${server.url}/api/documents/${labId}/original`);
      expect(original.status).toBe(200);
      expect(original.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(Buffer.from(await original.arrayBuffer()).equals(Buffer.from(LAB))).toBe(true);
    }
    // The operator's file A indexed is served by B too.
    const article = await fetch(`${second.url}/api/documents/article/original`);
    expect(article.status).toBe(200);

    // B indexes its own upload: its run brings A's upload into its folder first, so both stay answered on both.
    const nile = await upload(second.url, "nile.txt", NILE);
    const nileId = nile.documents[0].id;
    await jobDone(second.url, nile.job!);
    expect(uploadFiles("corpus-b")).toEqual([`${labId.slice(8)}.meta.json`, `${labId.slice(8)}.txt`, `${nileId.slice(8)}.meta.json`, `${nileId.slice(8)}.txt`].sort());
    await waitFor(async () => ((await cites(first.url, NILE_QUESTION, nileId)) ? true : undefined), 30_000, 100);
    for (const server of [first, second]) expect(await cites(server.url, LAB_QUESTION, labId)).toBe(true);
    // The same bytes uploaded to the other server are recognised.
    expect((await upload(second.url, "again.txt", LAB)).documents).toEqual([{ id: labId, status: "duplicate" }]);
    expect((await upload(second.url, "copy.txt", readFileSync(REAL_ARTICLE, "utf8"))).documents).toEqual([{ id: "article", status: "duplicate" }]);

    // Deleted on B, though uploaded to A: gone from both answers, its original 404 on both.
    const deleted = await fetch(`${second.url}/api/documents/${labId}`, { method: "DELETE", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(deleted.status).toBe(204);
    const deleteJob = deleted.headers.get("location")!.split("/").pop()!;
    await jobDone(second.url, deleteJob);
    await waitFor(async () => ((await cites(first.url, LAB_QUESTION, labId)) ? undefined : true), 30_000, 100);
    for (const server of [first, second]) {
      expect(await cites(server.url, LAB_QUESTION, labId)).toBe(false);
      expect((await fetch(`${server.url}/api/documents/${labId}/original`)).status).toBe(404);
    }

    // A's next SIGHUP does not bring it back: its run drops the folder's copy, as the store no longer lists it.
    const swaps = () => first.log().split("swapped in the new index").length;
    const before = swaps();
    first.signal("SIGHUP");
    await waitFor(async () => (swaps() > before ? true : undefined), 90_000, 100);
    expect(existsSync(join(root, "corpus-a", "uploads", `${labId.slice(8)}.txt`))).toBe(false);
    for (const server of [first, second]) {
      expect(await cites(server.url, LAB_QUESTION, labId)).toBe(false);
      expect(await cites(server.url, NILE_QUESTION, nileId)).toBe(true);
    }
  });
});
