// Adding documents to the real server process: the start-up link is the only place the generated
// admin token appears, an oversized upload is refused while it streams, and a SIGKILL right after
// the 202 loses nothing (the next start indexes the saved file).
import { connect } from "node:net";
import { copyFile, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AnswerResponseSchema, UploadResponseSchema } from "../../src/schemas";
import { killAll, REAL_ARTICLE, startServer, waitFor } from "./helpers";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "upload-process-"));
});
afterEach(killAll);
afterAll(async () => {
  await killAll();
  await rm(root, { recursive: true, force: true });
});

const PLANT = "أعلنت جامعة النيل الأزرق عن افتتاح مختبر جديد لأبحاث المياه في مدينة ود مدني خلال شهر أكتوبر.\n";
const TOKEN = "process-test-token-0123456789abcdef";

async function corpus(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await copyFile(REAL_ARTICLE, join(dir, "article.txt"));
  return dir;
}

const settings = (name: string, corpusDir: string, extra: Record<string, string> = {}) => ({
  CORPUS_DIR: corpusDir,
  EMBEDDINGS_DIR: join(root, `e-${name}`),
  EMBEDDER: "hashing",
  RATE_LIMIT_PER_MINUTE: "0",
  ...extra,
});

function uploadForm(text: string): FormData {
  const data = new FormData();
  data.append("file", new Blob([text]), "lab.txt");
  return data;
}

const ready = (url: string) => waitFor(async () => ((await fetch(`${url}/api/health`)).ok ? true : undefined), 60_000);

describe("the admin token", () => {
  it("is generated when unset and printed once, in the start-up link, never in access logs or health", async () => {
    const server = await startServer(settings("token", await corpus("token")));
    const [, link, token] = await server.waitForLog(/(http:\/\/127\.0\.0\.1:\d+\/#admin=([A-Za-z0-9_-]+))/);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(link.startsWith(server.url)).toBe(true);
    await ready(server.url);
    const post = (authorization?: string) =>
      fetch(`${server.url}/api/documents`, { method: "POST", headers: authorization ? { authorization } : {}, body: uploadForm(PLANT) });
    expect((await post()).status).toBe(401);
    expect((await post(`Bearer ${token}x`)).status).toBe(403);
    expect((await post(`Bearer ${token}`)).status).toBe(202);
    expect(await (await fetch(`${server.url}/api/health`)).text()).not.toContain(token);
    await server.waitForLog(/"method":"POST","path":"\/api\/documents","status":202/);
    expect(server.log().split(token).length - 1).toBe(1);
  });

  it("a HOST that is not loopback is warned about at start", async () => {
    const server = await startServer({ ...settings("host", await corpus("host"), { ADMIN_TOKEN: TOKEN }), HOST: "0.0.0.0" });
    await server.waitForLog(/HOST=0\.0\.0\.0 is not a loopback address/);
    expect(server.log()).not.toContain(TOKEN);
  });
});

describe("limits while streaming", () => {
  it("413 past MAX_UPLOAD_BYTES before the rest is read, and the temporary file is deleted", async () => {
    const corpusDir = await corpus("limit");
    const server = await startServer(settings("limit", corpusDir, { ADMIN_TOKEN: TOKEN, MAX_UPLOAD_BYTES: "65536" }));
    await ready(server.url);
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    let received = "";
    let closed = false;
    socket.setEncoding("utf8").on("data", (text: string) => (received += text));
    socket.on("error", () => {}).on("close", () => (closed = true));
    const boundary = "----limit";
    socket.write(
      `POST /api/documents HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`;
    socket.write(`${Buffer.byteLength(head).toString(16)}\r\n${head}\r\n`);
    const chunk = `4000\r\n${"a".repeat(0x4000)}\r\n`;
    let sent = 0;
    while (!received && !closed && sent < 64 * 1024 * 1024) {
      sent += 0x4000;
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once("drain", resolve).once("close", resolve));
    }
    await waitFor(async () => (received.includes("\r\n\r\n{") ? true : undefined), 10_000);
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(received).toContain('"code":"UPLOAD_TOO_LARGE"');
    expect(sent).toBeLessThan(16 * 1024 * 1024); // refused while streaming, not after reading it all
    await waitFor(async () => ((await readdir(join(corpusDir, "uploads"))).length === 0 ? true : undefined), 5_000);
  });
});

describe("nothing lost", () => {
  it("SIGKILL right after the 202: the next start indexes the upload, and it answers", async () => {
    const corpusDir = await corpus("crash");
    const env = settings("crash", corpusDir, { ADMIN_TOKEN: TOKEN });
    const first = await startServer(env);
    await ready(first.url);
    const res = await fetch(`${first.url}/api/documents`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: uploadForm(PLANT) });
    first.signal("SIGKILL");
    expect(res.status).toBe(202);
    const { documents } = UploadResponseSchema.parse(await res.json());
    await first.exited;

    const second = await startServer(env);
    await ready(second.url);
    const answer = await fetch(`${second.url}/api/answer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "أين افتتحت جامعة النيل الأزرق مختبر أبحاث المياه؟" }),
    });
    const body = AnswerResponseSchema.parse(await answer.json());
    expect(body.abstained).toBe(false);
    expect(body.citations[0]).toMatchObject({ docId: documents[0].id, text: PLANT.trim() });
  });
});
