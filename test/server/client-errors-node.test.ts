// Requests Node's HTTP parser refuses before the app sees them: each gets a JSON error with the
// API's security headers, like every other error, instead of Node's bare "400 Bad Request".
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerClientErrors } from "../../src/server/client-errors-node";
import { ErrorSchema } from "../../src/schemas";

let server: Server;
let port: number;
const logged: string[] = [];

beforeAll(async () => {
  server = createServer({ connectionsCheckingInterval: 50 }, (_req, res) => res.end("ok"));
  server.headersTimeout = 300;
  server.requestTimeout = 600;
  answerClientErrors(server, { headersTimeoutMs: 300, log: (line) => logged.push(line) });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes raw bytes (the last chunk after `pauseMs`, if given) and reads until the server closes. */
function raw(chunks: string[], pauseMs = 0): Promise<{ status: number; headers: string; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    socket.on("data", (data) => (reply += data.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head, body = ""] = reply.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head, body, ms: Date.now() - started });
    });
    socket.write(chunks[0]);
    if (chunks.length > 1) setTimeout(() => socket.writable && socket.write(chunks.slice(1).join("")), pauseMs);
  });
}

function expectJsonError(reply: { headers: string; body: string }, code: string, mentions: string) {
  expect(reply.headers).toMatch(/content-type: application\/json/i);
  expect(reply.headers).toMatch(/x-content-type-options: nosniff/i);
  expect(reply.headers).toMatch(/content-security-policy: default-src 'none'/i);
  const { error } = ErrorSchema.parse(JSON.parse(reply.body));
  expect(error.code).toBe(code);
  expect(error.message).toContain(mentions);
}

describe("answerClientErrors", () => {
  it("a control character in a header → 400 BAD_HTTP saying what the parser refused", async () => {
    const reply = await raw(["GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n"]);
    expect(reply.status).toBe(400);
    expectJsonError(reply, "BAD_HTTP", "header");
  });

  it("Content-Length together with Transfer-Encoding → 400 BAD_HTTP (request smuggling is refused)", async () => {
    const reply = await raw(["POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"]);
    expect(reply.status).toBe(400);
    expectJsonError(reply, "BAD_HTTP", "not valid HTTP");
  });

  it("headers over 16 KB → 431 HEADERS_TOO_LARGE", async () => {
    const reply = await raw([`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`]);
    expect(reply.status).toBe(431);
    expectJsonError(reply, "HEADERS_TOO_LARGE", "16 KB");
  });

  it("headers sent too slowly → 408 HEADERS_TIMEOUT near the limit, not 30 s later", async () => {
    const reply = await raw(["GET / HTTP/1.1\r\nHost: x\r\n", "\r\n"], 5_000);
    expect(reply.status).toBe(408);
    expectJsonError(reply, "HEADERS_TIMEOUT", "300 ms");
    expect(reply.ms).toBeLessThan(2_000);
  });

  it("a valid request still reaches the handler, and each refusal was logged", async () => {
    const reply = await raw(["GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("ok");
    expect(logged.join("\n")).toMatch(/400 BAD_HTTP[\s\S]*431 HEADERS_TOO_LARGE[\s\S]*408 HEADERS_TIMEOUT/);
  });
});
