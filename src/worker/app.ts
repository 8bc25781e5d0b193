// The Hono app as the Worker serves it: the same createApp and serveWeb as Node, with the engine
// built from the bundle on the first API request (once per isolate) and the chat page read
// through the static-assets binding. Web APIs only; src/worker.ts wires in the imports.
import { createApp, type AppOptions } from "../server/app";
import { serveWeb } from "../server/web";
import type { Health } from "../types";
import { decodeBundle } from "./bundle";
import { AppError, createError } from "../errors";
import { createWorkerEngine, type WorkerEngine, type WorkerEngineOptions } from "./engine";

/** The part of Cloudflare's static-assets binding (env.ASSETS) used here. */
export interface AssetFetcher {
  fetch(request: Request): Promise<Response>;
}

export interface WorkerAppOptions {
  /** The bundle file's bytes (a Data module import in the Worker). */
  bundle: ArrayBuffer | Uint8Array;
  /** Serves web/; without it only the API is served. */
  assets?: AssetFetcher;
  abstainBelow?: number;
  /** For a bundle of a served model's vectors: how questions are embedded (src/worker/engine.ts). */
  servedEmbedder?: WorkerEngineOptions["servedEmbedder"];
  /** Where failures to build the engine and unexpected errors are reported. */
  logError?: (message: string) => void;
  /** The rest of the app's settings (rate limit, timeout, CORS, access log), as the Node server passes them. */
  server?: Omit<AppOptions, "engine" | "health" | "web" | "logError">;
}

export function createWorkerApp(options: WorkerAppOptions) {
  const { bundle, assets, abstainBelow, logError, server } = { logError: (line: string) => console.error(line), server: {}, ...options };
  let built: WorkerEngine | undefined;
  let failure: Error | undefined;
  let building: Promise<void> | undefined;
  /** When an engine build that failed for want of the embeddings server may be tried again. */
  let retryAt = 0;

  // Built lazily, not at module load: Workers cap start-up time, and /, assets and
  // /openapi.json need no engine. Concurrent first requests share one build.
  const ensureEngine = () => {
    if (failure && Date.now() >= retryAt && isTransient(failure)) building = undefined;
    return (building ??= (async () => {
      try {
        built = await createWorkerEngine({ bundle: decodeBundle(bundle), abstainBelow, servedEmbedder: options.servedEmbedder });
        failure = undefined;
      } catch (error) {
        // The embeddings server away (down, restarting, unreachable) is answered 503 and tried again
        // a few seconds later, so the isolate recovers by itself; a broken bundle stays broken.
        const cause = error instanceof Error ? error : new Error(String(error));
        // Clients are not told the server's address; the log is.
        failure = isTransient(cause) ? createError("EMBEDDINGS_UNAVAILABLE", `the Worker could not reach it to start; tried again after ${ENGINE_RETRY_MS / 1000} s`) : cause;
        retryAt = Date.now() + ENGINE_RETRY_MS;
        logError(JSON.stringify({ level: "error", message: "cannot build the engine from the worker bundle", error: cause.message }));
      }
    })());
  };

  return createApp({
    ...server,
    // A broken bundle fails every API call loudly (500 with the reason), never as "not ready yet".
    engine: () => {
      if (failure) throw failure;
      return built?.engine;
    },
    health: () => built?.health ?? notReady(failure ? failure.message : "starting"),
    web: assets ? serveWeb({ readAsset: assetReader(assets) }) : undefined,
    middleware: [
      async (c, next) => {
        if (c.req.path.startsWith("/api/")) await ensureEngine();
        await next();
      },
      ...(server.middleware ?? []),
    ],
    logError: (error, c) => logError(JSON.stringify({ level: "error", path: c.req.path, error: error instanceof Error ? error.stack : String(error) })),
  });
}

/** How long after a build that failed for want of the embeddings server the next request tries again. */
export const ENGINE_RETRY_MS = 5_000;

/** Failures that may pass: the embeddings server could not be reached or did not answer. */
function isTransient(error: unknown): boolean {
  return error instanceof AppError && (error.code === "EMBEDDINGS_UNREACHABLE" || error.code === "EMBEDDINGS_UNAVAILABLE");
}

/** serveWeb's byte source over the assets binding; the host is ignored by the binding. */
export function assetReader(assets: AssetFetcher): (path: string) => Promise<Uint8Array | null> {
  return async (path) => {
    const url = `https://assets.local/${path.split("/").map(encodeURIComponent).join("/")}`;
    const response = await assets.fetch(new Request(url));
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`Static assets answered ${response.status} for ${path}.`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

function notReady(reason: string): Health {
  return {
    ready: false,
    embedder: { id: "", dimension: 0, reason },
    counts: { documents: 0, paragraphs: 0, sentences: 0, passages: 0 },
    index: { kind: "exact", loaded: false, builtAt: "", buildMs: 0, reason },
    warnings: [],
    lexicons: [],
  };
}
