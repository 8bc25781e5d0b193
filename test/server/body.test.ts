// The two body readers: the Web-standard one (every runtime) and the Node adapter's, which reads
// IncomingMessage directly. They must read the same text from the same bytes and refuse the same
// bodies; the Node one is driven over a real socket.
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import fc from "fast-check";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { readWebBody, type BodyReader } from "../../src/server/body";
import { readNodeBody } from "../../src/server/body-node";

const LIMIT = 1024;

/** A route that answers with what the reader read (as JSON, so any text survives), or the error code. */
function echoApp(read: BodyReader, settled: (outcome: string) => void = () => {}) {
  const app = new Hono();
  app.post("/echo", async (c) => {
    try {
      const text = await read(c, LIMIT);
      settled("read");
      return c.json({ text });
    } catch (error) {
      settled(error instanceof AppError ? error.code : "other");
      return c.json({ code: error instanceof AppError ? error.code : "other" }, 413);
    }
  });
  return app;
}

const outcomes: string[] = [];
let server: ServerType;
let port: number;

beforeAll(async () => {
  server = serve({ fetch: echoApp(readNodeBody, (o) => outcomes.push(o)).fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** POSTs raw bytes to the Node server: with Content-Length, or chunked in pieces when `chunks` is given. */
function postNode(body: Uint8Array, options: { chunks?: number } = {}): Promise<{ status: number; json: { text?: string; code?: string } }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.chunks ? { "transfer-encoding": "chunked" } : { "content-length": String(body.length) };
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/echo", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (c) => (text += c)).on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    if (options.chunks) {
      const size = Math.ceil(body.length / options.chunks) || 1;
      for (let i = 0; i < body.length; i += size) req.write(body.subarray(i, i + size));
      req.end();
    } else req.end(body);
  });
}

const webApp = echoApp(readWebBody);
async function postWeb(body: Uint8Array) {
  const res = await webApp.request("/echo", { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-length": String(body.length) } });
  return { status: res.status, json: (await res.json()) as { text?: string; code?: string } };
}

describe("body readers", () => {
  it("read the same text from any bytes, invalid UTF-8 included (replaced by U+FFFD)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 200 }).map((s) => new TextEncoder().encode(s))), async (bytes) => {
        const [node, web] = await Promise.all([postNode(bytes), postWeb(bytes)]);
        expect(node).toEqual(web);
        expect(node.json.text).toBe(new TextDecoder().decode(bytes));
      }),
      { numRuns: 60 },
    );
  });

  it("drop a leading byte-order mark, as Request.text() does, so JSON.parse still works", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"question":"ما؟"}')]);
    for (const { json } of [await postNode(bytes), await postWeb(bytes)]) expect(JSON.parse(json.text!)).toEqual({ question: "ما؟" });
  });

  it("read a chunked body whole, and an empty one as empty text", async () => {
    const text = "سؤال ".repeat(40);
    expect((await postNode(new TextEncoder().encode(text), { chunks: 7 })).json.text).toBe(text);
    expect((await postNode(new Uint8Array(0))).json.text).toBe("");
  });

  it("refuse a body over the limit, from Content-Length or while reading a chunked one", async () => {
    const big = new Uint8Array(LIMIT + 1).fill(0x61);
    expect(await postNode(big)).toEqual({ status: 413, json: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await postWeb(big)).toEqual({ status: 413, json: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await postNode(big, { chunks: 4 })).toEqual({ status: 413, json: { code: "PAYLOAD_TOO_LARGE" } });
    // Exactly at the limit is still read.
    expect((await postNode(big.subarray(0, LIMIT), { chunks: 3 })).json.text).toHaveLength(LIMIT);
  });

  it("settle (instead of hanging) when the client goes away mid-body", async () => {
    const before = outcomes.length;
    const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/echo", headers: { "content-length": "500" } });
    req.on("error", () => {});
    req.write("x".repeat(100));
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.destroy();
    for (let waited = 0; outcomes.length === before && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outcomes.slice(before)).toEqual(["INVALID_REQUEST"]);
  });
});
