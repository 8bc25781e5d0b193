// The Hono app: Web-standard Request in, Response out, the same on Node and in a Worker.
// Adapters (src/server/node.ts, src/worker.ts) supply the engine and the static web assets.
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { requestId } from "hono/request-id";
import { streamSSE } from "hono/streaming";
import { AppError, createError, statusOf } from "../errors";
import { AnswerRequestSchema, LIMITS, type Job, type UploadResponse } from "../schemas";
import type { AnswerEngine } from "../answer/engine";
import type { Health, SourceFormat } from "../types";
import { readWebBody, type BodyReader } from "./body";
import { accessLog, type AccessLogEntry } from "./middleware/access-log";
import { corsFor } from "./middleware/cors";
import { rateLimit } from "./middleware/rate-limit";
import { securityHeaders } from "./middleware/security-headers";
import { requestTimeout } from "./middleware/timeout";
import { buildOpenApi } from "./openapi";

export interface AppOptions {
  /** The engine in service now; undefined while the first index is being built. */
  engine: () => AnswerEngine | undefined;
  health: () => Health;
  /** Serves the web chat; falls through to the API and the JSON 404 for anything it lacks. */
  web?: MiddlewareHandler;
  /** Extra middleware run before every route (logging, rate limits, security headers). */
  middleware?: MiddlewareHandler[];
  maxBodyBytes?: number;
  /** Reads a body up to maxBodyBytes (413 beyond); the Web-standard reader unless an adapter has a faster one. */
  readBody?: BodyReader;
  /** Where unexpected errors are reported; the client only ever sees a generic message. */
  logError?: (error: unknown, c: Context) => void;
  /**
   * Who sent the request (the socket's address on Node); keys the rate limit and goes in the access
   * log. Without it every client shares one bucket. Behind a proxy this is the proxy's address.
   */
  clientAddress?: (c: Context) => string | undefined;
  /**
   * The file a document was read from, as it was given (GET /api/documents/:id/original); throws
   * ORIGINAL_NOT_AVAILABLE when there is none. Absent (the Worker keeps no files): every such request is 404.
   */
  readOriginal?: (id: string) => Promise<{ bytes: Uint8Array; format: SourceFormat }>;
  /** Per-client token bucket; off when absent or perMinute is 0. */
  rateLimit?: { perMinute: number; burst: number };
  /** Longest a request may take before 503 TIMEOUT, in ms (default 10 000). */
  timeoutMs?: number;
  /** Longest an upload (POST /api/documents) may take instead, in ms (default 15 min): its body can be 50 MB on a slow line. */
  uploadTimeoutMs?: number;
  /** Origins whose pages may call the API (CORS); none by default. */
  corsOrigins?: string[];
  /** Receives one structured entry per request; nothing is logged when absent. */
  accessLog?: (entry: AccessLogEntry) => void;
  /** Adding and removing documents (the Node server's adapter); without it those routes answer 405 READ_ONLY. */
  writes?: DocumentWrites;
  /** Why writes are unavailable, for the 405's message when `writes` is absent. */
  readOnlyBecause?: string;
}

/** What the write routes need from the host: the token check, saving, removing, and the jobs. */
export interface DocumentWrites {
  /** Runs before every write route: 401/403 unless the admin token is presented (middleware/admin-token.ts). */
  authorize: MiddlewareHandler;
  /** Saves the multipart upload durably, then queues its indexing. */
  add(c: Context): Promise<UploadResponse>;
  /** Removes an uploaded document's file and queues the rebuild; the job's id. */
  remove(id: string): Promise<string>;
  job(id: string): Job | undefined;
  /** Every change of the job until it ends; returns the unsubscribe. */
  subscribe(id: string, listener: (job: Job) => void): () => void;
}

type Env = { Variables: { requestId: string } };

const ROUTES: Record<string, string> = {
  "/api/answer": "POST",
  "/api/health": "GET, HEAD",
  "/api/documents": "GET, HEAD",
  "/openapi.json": "GET, HEAD",
};

export function createApp(options: AppOptions): Hono<Env> {
  const { engine, health, web, middleware, maxBodyBytes, readBody, logError, clientAddress, timeoutMs, corsOrigins, writes, ...rest } = {
    middleware: [],
    maxBodyBytes: LIMITS.bodyBytes,
    readBody: readWebBody,
    logError: defaultLogError,
    clientAddress: () => undefined,
    timeoutMs: 10_000,
    uploadTimeoutMs: 15 * 60_000,
    corsOrigins: [],
    ...options,
  };
  const app = new Hono<Env>();

  // Outermost first: the log and the headers also cover responses refused by the later stages.
  app.use(requestId());
  if (rest.accessLog) app.use(accessLog({ write: rest.accessLog, clientAddress }));
  app.use(securityHeaders());
  app.use(corsFor({ origins: corsOrigins }));
  if (rest.rateLimit && rest.rateLimit.perMinute > 0) {
    // The API only: the chat's own files (about twenty per page load) are cheap and cacheable, and
    // counting them refused a reader who reloaded a few times in a row.
    app.use("/api/*", rateLimit({ ...rest.rateLimit, clientKey: (c) => clientAddress(c) ?? "unknown" }));
  }
  // An upload keeps its own, longer limit (on its route below), once its token has been checked.
  const isUpload = (c: Context) => writes !== undefined && c.req.method === "POST" && c.req.path === "/api/documents";
  app.use(requestTimeout({ ms: timeoutMs, skip: isUpload }));
  for (const handler of middleware) app.use(handler);

  app.get("/api/health", (c) => {
    const body = health();
    return c.json(body, body.ready ? 200 : 503);
  });

  app.post("/api/answer", requireJson, async (c) => {
    const request = parseAnswerRequest(parseJson(await readBody(c, maxBodyBytes)));
    const current = engine();
    if (!current) throw createError("NOT_READY");
    return c.json(await current.answer(request));
  });

  app.get("/api/documents", (c) => {
    const current = engine();
    if (!current) throw createError("NOT_READY");
    return c.json(current.listDocuments());
  });

  app.get("/api/documents/:id", (c) => {
    const id = c.req.param("id");
    const current = engine();
    if (!current) throw createError("NOT_READY");
    const doc = current.getDocument(id);
    if (!doc) throw createError("DOCUMENT_NOT_FOUND", printable(id));
    return c.json(doc);
  });

  app.get("/api/documents/:id/original", async (c) => {
    const id = c.req.param("id");
    const current = engine();
    if (!current) throw createError("NOT_READY");
    if (!current.getDocument(id)) throw createError("DOCUMENT_NOT_FOUND", printable(id));
    if (!rest.readOriginal) throw createError("ORIGINAL_NOT_AVAILABLE", printable(id), "this deployment keeps no original files (the Cloudflare Worker holds extracted text only)");
    const { bytes, format } = await rest.readOriginal(id);
    return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: originalHeaders(id, format, bytes.length) });
  });

  // ---- Adding and removing documents (Node only; the Worker and a cluster are read-only) ----
  const readOnly = (c: Context) =>
    createError("READ_ONLY", c.req.method, printable(c.req.path), rest.readOnlyBecause ?? "it serves a fixed bundle, as the Cloudflare Worker does; add documents on a Node server (npm start), then rebuild the bundle");
  if (writes) {
    app.post("/api/documents", writes.authorize, requestTimeout({ ms: rest.uploadTimeoutMs }), async (c) => c.json(await writes.add(c), 202));
    app.delete("/api/documents/:id", writes.authorize, async (c) => {
      const job = await writes.remove(c.req.param("id"));
      // No body with a 204: the rebuild's progress is at the job's URL.
      c.header("Location", `/api/jobs/${job}`);
      return c.body(null, 204);
    });
    // Readable without the token: a job's id is a random UUID that only its writer was given, and
    // EventSource (the chat) cannot send an Authorization header.
    const findJob = (id: string) => writes.job(id) ?? throwError(createError("JOB_NOT_FOUND", printable(id)));
    app.get("/api/jobs/:id", (c) => c.json(findJob(c.req.param("id"))));
    app.get("/api/jobs/:id/events", (c) => {
      const job = findJob(c.req.param("id"));
      return streamSSE(c, async (stream) => {
        await stream.writeSSE({ data: JSON.stringify(job) });
        if (job.stage === "done" || job.stage === "failed") return;
        await new Promise<void>((resolve) => {
          // Written in order, one at a time: a fast job must not interleave its events.
          let writing = Promise.resolve();
          const unsubscribe = writes.subscribe(job.id, (next) => {
            writing = writing.then(() => stream.writeSSE({ data: JSON.stringify(next) }));
            if (next.stage === "done" || next.stage === "failed") void writing.finally(finish);
          });
          function finish() {
            unsubscribe();
            resolve();
          }
          stream.onAbort(finish);
        });
      });
    });
  } else {
    app.on(["POST"], "/api/documents", (c) => throwError(readOnly(c)));
    app.on(["DELETE"], "/api/documents/:id", (c) => throwError(readOnly(c)));
  }

  const openApi = buildOpenApi();
  app.get("/openapi.json", (c) => c.json(openApi));

  if (web) app.use(web);

  app.all("*", (c) => {
    const path = c.req.path;
    // Only a path the document route matches gets 405; "/api/documents/" or deeper is no route at all.
    const allowed =
      path === "/api/documents" && writes
        ? "GET, HEAD, POST"
        : ROUTES[path] ??
          (/^\/api\/documents\/[^/]+$/.test(path)
            ? writes
              ? "GET, HEAD, DELETE"
              : "GET, HEAD"
            : /^\/api\/documents\/[^/]+\/original$/.test(path)
              ? "GET, HEAD"
              : undefined);
    if (allowed) {
      c.header("Allow", allowed);
      throw createError("METHOD_NOT_ALLOWED", c.req.method, path, allowed);
    }
    throw createError("NOT_FOUND", c.req.method, printable(path));
  });

  app.onError((error, c) => {
    // BUSY is load shedding: the client should come back shortly, not give up.
    if (error instanceof AppError && error.code === "BUSY") c.header("Retry-After", "1");
    if (error instanceof AppError) return c.json({ error: { code: error.code, message: error.message } }, statusOf(error.code) as 400);
    logError(error, c);
    const internal = createError("INTERNAL");
    return c.json({ error: { code: internal.code, message: internal.message } }, 500);
  });

  return app;
}

/**
 * A PDF opens in the browser's viewer (inline, so #page=N works); HTML and DOCX are downloads that
 * never render on our origin (attachment, nosniff, a sandbox policy); text is a plain download. The
 * file name is the document id, never the name on disk.
 */
const ORIGINAL_TYPES: Record<SourceFormat, { type: string; extension: string; inline: boolean }> = {
  pdf: { type: "application/pdf", extension: "pdf", inline: true },
  html: { type: "text/html; charset=utf-8", extension: "html", inline: false },
  docx: { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extension: "docx", inline: false },
  text: { type: "text/plain; charset=utf-8", extension: "txt", inline: false },
};

function originalHeaders(id: string, format: SourceFormat, length: number): Headers {
  const { type, extension, inline } = ORIGINAL_TYPES[format];
  const name = `${id.replace(/[^A-Za-z0-9_-]/g, "-")}.${extension}`;
  return new Headers({
    "Content-Type": type,
    "Content-Length": String(length),
    "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${name}"`,
    "X-Content-Type-Options": "nosniff",
    // A PDF keeps the API's policy (the viewer needs no more); anything else is sandboxed too, should a browser render it anyway.
    ...(!inline && { "Content-Security-Policy": "sandbox; default-src 'none'" }),
    "Cache-Control": "no-store",
  });
}

const requireJson: MiddlewareHandler = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  const mediaType = type.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json" && !mediaType.endsWith("+json")) {
    throw createError("UNSUPPORTED_MEDIA_TYPE", printable(type || "(none)"));
  }
  // The body is read as it comes: a compressed one would only fail later as "not valid JSON".
  const encoding = (c.req.header("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") throw createError("UNSUPPORTED_ENCODING", printable(encoding));
  await next();
};

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    // Messages from JSON.parse quote the input; keep only the position for the client.
    const message = error instanceof Error ? error.message : "";
    const detail = message.match(/position \d+/)?.[0] ?? (message.includes("Unexpected end") ? "it ends too early" : "syntax error");
    throw createError("INVALID_JSON", raw.trim() === "" ? "empty body" : detail);
  }
}

export function parseAnswerRequest(body: unknown) {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw createError("INVALID_REQUEST", "body", "must be a JSON object such as {\"question\": \"...\"}");
  }
  const parsed = AnswerRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === "unrecognized_keys") {
      // Field names come from the client: echo them short and printable (zod's own message repeats them in full).
      const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
      throw createError("INVALID_REQUEST", printable(where + issue.keys.join(", ")), "unknown field; see GET /openapi.json for the accepted fields");
    }
    throw createError("INVALID_REQUEST", issue.path.length ? issue.path.join(".") : "body", issue.message);
  }
  // Lone surrogates cannot be encoded in a JSON response; replace them rather than fail.
  const question = parsed.data.question.toWellFormed();
  return { ...parsed.data, question };
}

function throwError(error: Error): never {
  throw error;
}

/** Ids and paths echoed in messages are cut short and stripped of control characters. */
function printable(text: string): string {
  const clean = text.toWellFormed().replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

function defaultLogError(error: unknown, c: Context): void {
  const id = c.get("requestId");
  console.error(JSON.stringify({ level: "error", requestId: id, path: c.req.path, error: error instanceof Error ? error.stack : String(error) }));
}
