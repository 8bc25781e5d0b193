// A small OpenAI-compatible embeddings server for tests: deterministic vectors from the text, and
// faults on demand (status codes, Retry-After, hangs, wrong shapes, NaN, a required key).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  body: { model: string; input: string[]; encoding_format?: string; input_type?: string };
  authorization?: string;
  at: number;
}

/** What to do with one request: answer normally (undefined) or a fault. */
export type Fault =
  | { ok: true }
  | { status: number; retryAfter?: string }
  | { hang: true }
  | { dimension: number }
  | { dropOne: true }
  | { nan: true };

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  /** Faults for the next requests, in order; then normal answers. */
  faults: Fault[];
  /** A fault for every request from now on (until set back to undefined). */
  always?: Fault;
  /** When set, requests without `Bearer <key>` get 401. */
  key?: string;
  close(): Promise<void>;
}

export const FAKE_DIMENSION = 16;

/** A deterministic, text-dependent vector (not normalised: the client must do that). */
export function fakeVector(text: string, dimension = FAKE_DIMENSION): number[] {
  const vector = new Array<number>(dimension).fill(0.01);
  for (const [i, ch] of [...text].entries()) vector[(ch.codePointAt(0)! + i) % dimension] += 1 + (i % 3);
  return vector;
}

export async function startFakeEmbeddingsServer(): Promise<FakeServer> {
  const hanging = new Set<ServerResponse>();
  const state: Omit<FakeServer, "url" | "close"> = { requests: [], faults: [] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const body = JSON.parse(raw) as FakeRequest["body"];
      state.requests.push({ body, authorization: req.headers.authorization, at: performance.now() });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(payload));
      };
      if (state.key && req.headers.authorization !== `Bearer ${state.key}`) return send(401, { error: { message: "invalid api key" } });
      const next = state.faults.shift() ?? state.always;
      const fault = next && "ok" in next ? undefined : next;
      if (fault && "hang" in fault) return void hanging.add(res);
      if (fault && "status" in fault) return send(fault.status, { error: { message: "fault" } }, fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
      const texts = fault && "dropOne" in fault ? body.input.slice(1) : body.input;
      const data = texts.map((text, index) => {
        const vector = fakeVector(text, fault && "dimension" in fault ? fault.dimension : FAKE_DIMENSION);
        if (fault && "nan" in fault) vector[0] = Number.NaN;
        const embedding =
          body.encoding_format === "base64" || (fault && "nan" in fault) ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
        return { object: "embedding", index, embedding };
      });
      send(200, { object: "list", data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
