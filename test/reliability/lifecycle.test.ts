// The real Node server process: SIGHUP reload under traffic, an endless request body, SIGTERM drain.
import { request, type ClientRequest, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AnswerResponseSchema, HealthSchema } from "../../src/schemas";
import { generateCorpus, killAll, REAL_ARTICLE, startServer } from "./helpers";

const modelPresent = existsSync("models/Xenova/multilingual-e5-small/onnx/model.onnx");
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lifecycle-"));
});
afterEach(killAll);
afterAll(async () => {
  await killAll();
  await rm(root, { recursive: true, force: true });
});

const QUESTION = JSON.stringify({ question: "من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟" });
const ask = (url: string, body = QUESTION) => fetch(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body });

function open(url: string, headers: Record<string, string>): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const req = request(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json", ...headers }, agent: false });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once("response", resolve);
    req.once("error", reject);
  });
  return { req, response };
}

const readBody = (res: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8").on("data", (chunk) => (text += chunk)).on("end", () => resolve(text)).on("error", reject);
  });

/**
 * Streams an endless chunked body over a raw socket (so that what the server sends is seen even
 * while this side is still writing), as fast as the server reads, until the server hangs up or
 * 256 MB have gone (the server would then have read all of it).
 */
async function sendEndlessBody(url: string) {
  const socket = connect(Number(new URL(url).port), "127.0.0.1");
  let received = "";
  let sent = 0;
  let sentWhenAnswered = -1;
  let closed = false;
  socket.setEncoding("utf8").on("data", (text: string) => {
    if (!received) sentWhenAnswered = sent;
    received += text;
  });
  socket.on("error", () => {}).on("close", () => (closed = true));
  socket.write("POST /api/answer HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  const chunk = `4000\r\n${"a".repeat(0x4000)}\r\n`;
  while (!closed && sent < 256 * 1024 * 1024) {
    sent += chunk.length;
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once("drain", resolve).once("close", resolve));
  }
  return { received, sent, sentWhenAnswered, closed };
}

describe("the real server", () => {
  it("SIGHUP rebuilds in the background: every request succeeds meanwhile, then the new document answers", { timeout: 60_000 }, async () => {
    const corpusDir = join(root, "reload-corpus");
    await generateCorpus(corpusDir, { documents: 5, passagesPerDocument: 100 });
    await copyFile(REAL_ARTICLE, join(corpusDir, "article.txt"));
    // The reload mechanics on the built-in embedder: 500 passages embed in a second, where the model
    // re-embedding them twice would take most of a minute on two cores.
    const server = await startServer({ CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: join(root, "e-reload"), EMBEDDER: "hashing", HNSW_M: "8", HNSW_EF_CONSTRUCTION: "40", RATE_LIMIT_PER_MINUTE: "1000000" });
    const health = async () => HealthSchema.parse(await (await fetch(`${server.url}/api/health`)).json());
    await expect.poll(async () => (await health().catch(() => undefined))?.ready, { timeout: 60_000, interval: 100 }).toBe(true);
    const before = await health();

    await writeFile(join(corpusDir, "new-plant.txt"), "افتتحت شركة زيتونة للطاقة الشمسية مصنعها الجديد في مدينة صحار العمانية في شهر مارس.\n");
    const statuses: number[] = [];
    let traffic = true;
    const status = (res: Promise<Response>) => res.then((r) => r.status, () => 0); // 0: no response at all
    // Steady traffic, paced so that it does not starve the rebuild of CPU on a small CI machine.
    const clients = Array.from({ length: 2 }, async () => {
      while (traffic) {
        statuses.push(await status(ask(server.url)), await status(fetch(`${server.url}/api/health`)));
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    await new Promise((r) => setTimeout(r, 200));
    server.signal("SIGHUP");
    await expect.poll(async () => (await health()).counts.documents, { timeout: 60_000, interval: 200 }).toBe(before.counts.documents + 1);
    const duringRebuild = statuses.length;
    await new Promise((r) => setTimeout(r, 200));
    traffic = false;
    await Promise.all(clients);

    expect(duringRebuild).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const after = await health();
    expect(after.index.builtAt > before.index.builtAt).toBe(true);
    const answer = AnswerResponseSchema.parse(await (await ask(server.url, JSON.stringify({ question: "أين افتتحت شركة زيتونة مصنعها الجديد؟" }))).json());
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].docId).toBe("new-plant");

    // A rebuild that fails leaves the previous index answering.
    await rm(corpusDir, { recursive: true });
    server.signal("SIGHUP");
    await server.waitForLog(/rebuild failed; still answering from the previous index/, 30_000);
    expect((await ask(server.url)).status).toBe(200);
  });

  // The model's reload is another path: in the server process, on the loaded model, embedding only
  // the new document's texts and inserting its vectors into the stored graph.
  it.runIf(modelPresent || process.env.CI)("SIGHUP with the model: reloads on the loaded model, inserts only the new document, every request succeeds", { timeout: 120_000 }, async () => {
    const corpusDir = join(root, "model-corpus");
    await mkdir(corpusDir);
    await copyFile(REAL_ARTICLE, join(corpusDir, "article.txt"));
    const server = await startServer({ CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: join(root, "e-model"), EMBEDDER: "transformers", RATE_LIMIT_PER_MINUTE: "1000000" });
    const health = async () => HealthSchema.parse(await (await fetch(`${server.url}/api/health`)).json());
    await expect.poll(async () => (await health().catch(() => undefined))?.ready, { timeout: 100_000, interval: 200 }).toBe(true);

    await writeFile(join(corpusDir, "new-plant.txt"), "افتتحت شركة زيتونة للطاقة الشمسية مصنعها الجديد في مدينة صحار العمانية في شهر مارس.\n");
    const statuses: number[] = [];
    let traffic = true;
    const client = (async () => {
      while (traffic) {
        statuses.push(await ask(server.url).then((r) => r.status, () => 0));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    server.signal("SIGHUP");
    await server.waitForLog(/swapped in the new index/, 60_000);
    traffic = false;
    await client;

    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(server.log()).not.toMatch(/the index build exited/);
    expect((await health()).index.reason).toMatch(/^updated in place \(corpus changed .*\): 1 vectors added, 0 removed, \d+ kept$/);
    // One text: the new document is one sentence, which is also its one passage.
    expect(server.log()).toMatch(/vector cache: 1 texts embedded/);
    const answer = AnswerResponseSchema.parse(await (await ask(server.url, JSON.stringify({ question: "أين افتتحت شركة زيتونة مصنعها الجديد؟" }))).json());
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].docId).toBe("new-plant");
  });

  // 60 s: with the model present, a first start also embeds the bridge's vocabulary (retrieve/bridge.ts).
  it("answers 413 to an endless chunked body and stops reading it; SIGTERM drains and exits 0", { timeout: 60_000 }, async () => {
    const server = await startServer({ CORPUS_DIR: "corpus", EMBEDDINGS_DIR: join(root, "e-term") });
    await server.waitForLog(/\] ready/);

    const endless = await sendEndlessBody(server.url);
    expect(endless.closed).toBe(true);
    expect(endless.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(endless.received).toContain('"code":"PAYLOAD_TOO_LARGE"');
    // What was sent beyond the 64 KB limit sat in socket buffers; the server did not read on.
    expect(endless.sentWhenAnswered).toBeLessThan(16 * 1024 * 1024);
    expect(endless.sent).toBeLessThan(32 * 1024 * 1024);
    expect((await ask(server.url)).status).toBe(200); // still up

    // A request in flight: headers and half of the body sent, the rest after SIGTERM.
    const body = Buffer.from(QUESTION);
    const { req, response } = open(server.url, { "content-length": String(body.length) });
    req.write(body.subarray(0, 10));
    await server.waitForLog(/./); // connected; give the server a moment to start the request
    await new Promise((r) => setTimeout(r, 100));

    server.signal("SIGTERM");
    await server.waitForLog(/SIGTERM: refusing new connections/);
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();

    req.end(body.subarray(10));
    const res = await response;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe("close");
    AnswerResponseSchema.parse(JSON.parse(await readBody(res)));
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log()).toContain("all connections closed; exiting");
  });
});
