// Slow request bodies against the real Node server: an upload (with the admin token) may take
// UPLOAD_TIMEOUT_MS to arrive, every other request REQUEST_TIMEOUT_MS; and a request refused while
// its body is still arriving (a timeout, a missing token) has its connection closed (by
// @hono/node-server), so raising Node's own request timeout for uploads does not let a slow sender
// hold a connection open.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, REAL_ARTICLE, startServer } from "../reliability/helpers";
import { ErrorSchema, UploadResponseSchema } from "../../src/schemas";

const TOKEN = "slow-bodies-token-0123456789";
const root = mkdtempSync(join(tmpdir(), "slow-bodies-"));
let port: number;

beforeAll(async () => {
  mkdirSync(join(root, "corpus"));
  copyFileSync(REAL_ARTICLE, join(root, "corpus", "article.txt"));
  const server = await startServer({
    CORPUS_DIR: join(root, "corpus"),
    EMBEDDINGS_DIR: join(root, "embeddings"),
    EMBEDDER: "hashing",
    ADMIN_TOKEN: TOKEN,
    RATE_LIMIT_PER_MINUTE: "0",
    REQUEST_TIMEOUT_MS: "1000",
    UPLOAD_TIMEOUT_MS: "60000",
  });
  port = Number(new URL(server.url).port);
}, 60_000);
afterAll(async () => {
  await killAll();
  rmSync(root, { recursive: true, force: true });
});

/**
 * Sends the head, then the body in `pieces` pieces `everyMs` apart (stopping if the server closes),
 * and reads until the server closes the connection.
 */
function trickle(head: string, body: Buffer, pieces: number, everyMs: number): Promise<{ status: number; body: string; ms: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    let sent = 0;
    const size = Math.ceil(body.length / pieces);
    const timer = setInterval(() => {
      if (!socket.writable || sent >= body.length) return clearInterval(timer);
      const piece = body.subarray(sent, sent + size);
      sent += piece.length;
      socket.write(piece);
    }, everyMs);
    socket.on("data", (data) => (reply += data.toString("utf8")));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" || error.code === "EPIPE" ? undefined : reject(error)));
    socket.on("close", () => {
      clearInterval(timer);
      const [status, rest = ""] = [Number(reply.split(" ")[1]), reply.split("\r\n\r\n").slice(1).join("\r\n\r\n")];
      // A chunked reply: the JSON is the line that starts with "{".
      resolve({ status, body: rest.split("\r\n").find((line) => line.startsWith("{")) ?? rest, ms: Date.now() - started, sent });
    });
    socket.write(head);
  });
}

function multipart(text: string): { type: string; body: Buffer } {
  const boundary = "----slow-bodies-boundary";
  const body = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="slow.txt"\r\ncontent-type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`,
  );
  return { type: `multipart/form-data; boundary=${boundary}`, body };
}

const uploadHead = (type: string, length: number, token?: string) =>
  `POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\nConnection: close\r\n` +
  (token ? `Authorization: Bearer ${token}\r\n` : "") +
  "\r\n";

describe("slow bodies", () => {
  it("an upload that takes longer than REQUEST_TIMEOUT_MS to arrive is still accepted", async () => {
    const { type, body } = multipart("أعلنت جامعة النيل الأزرق عن افتتاح مختبر جديد لأبحاث المياه في مدينة ود مدني.\n".repeat(400));
    // About 3 s of sending against a 1 s request timeout.
    const reply = await trickle(uploadHead(type, body.length, TOKEN), body, 15, 200);
    expect(reply.status).toBe(202);
    expect(reply.ms).toBeGreaterThan(2000);
    expect(UploadResponseSchema.parse(JSON.parse(reply.body)).documents[0].status).toBe("accepted");
  }, 30_000);

  it("a question whose body trickles past REQUEST_TIMEOUT_MS gets 503 TIMEOUT and its connection is closed, not drained", async () => {
    const body = Buffer.from(JSON.stringify({ question: "ما هو المختبر؟", padding: "x".repeat(30_000) }));
    const head = `POST /api/answer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    // Under the body limit, but it would take 30 s to send in full.
    const reply = await trickle(head, body, 300, 100);
    expect(reply.status).toBe(503);
    expect(ErrorSchema.parse(JSON.parse(reply.body)).error.code).toBe("TIMEOUT");
    // Closed within the timeout plus the grace period, far before the body (or Node's raised limit) ends.
    expect(reply.ms).toBeLessThan(10_000);
    expect(reply.sent).toBeLessThan(body.length);
  }, 30_000);

  it("an upload without the token is refused at once and not read", async () => {
    const { type, body } = multipart("x".repeat(200_000));
    const reply = await trickle(uploadHead(type, body.length), body, 200, 200);
    expect(reply.status).toBe(401);
    expect(reply.ms).toBeLessThan(10_000);
    expect(reply.sent).toBeLessThan(body.length);
  }, 30_000);
});
