// Node entry point (npm start): serves the Hono app with @hono/node-server. The port opens at
// once; /api/health says 503 until the index is loaded or built, then the engine is swapped in.
//
// SIGHUP rebuilds from the corpus folder while the current engine keeps answering, and swaps
// the new one in only when it is ready. SIGTERM/SIGINT stop accepting connections, let the
// requests in flight finish, and exit 0.
//
// With VECTOR_STORE=pgvector the index lives in Postgres: the server opens one pool for its life,
// indexes CORPUS_DIR at start only when the store is empty, and polls the active generation every
// PG_POLL_MS, swapping in a new engine (built in the background) when another process indexed;
// SIGHUP indexes CORPUS_DIR into the store (in a child, as above) and then follows it the same way.
//
// With WORKERS > 1 this process becomes the cluster primary (./cluster.ts) and the code below runs
// in each worker, which then leaves index builds, SIGHUP and the shutdown log to the primary.
import { spawn, type ChildProcess } from "node:child_process";
import cluster from "node:cluster";
import type { Server } from "node:http";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { MiddlewareHandler } from "hono";
import { loadConfig } from "../config";
import { createLogger } from "../log";
import { createNodeEngine, type NodeEngine } from "../node/engine";
import { embedderFamily } from "../retrieve/calibration";
import { createBatchedLineWriter } from "../node/stderr-lines";
import { createApp } from "./app";
import { originalReader } from "../node/originals";
import { readNodeBody } from "./body-node";
import { runPrimary, WORKER_ROLE_ENV, type ToPrimary, type ToWorker, type WorkerRole } from "./cluster";
import { stopReadingRefusedBodies } from "./middleware/refused-body-node";
import { serveWeb } from "./web";
import { nodeAssetReader } from "./web-node";
import { notReadyHealth } from "./health";
import type { IndexingProgress } from "../index/progress";
import type { PgStore } from "../index/pgvector/schema";
import { activeGenerationId } from "../index/pgvector/reader";
import { openStoreFor } from "../node/pg-engine";
import { answerClientErrors } from "./client-errors-node";
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { createDocumentWrites } from "../node/document-writes";
import type { RebuildListener } from "../node/jobs";
import type { AdminTokenSetting } from "./middleware/admin-token";
import { removeStaleTemporaryFiles } from "./upload-node";
// pgvector: uploads and originals in the store (issue 26, point 5)
import { createPgUploadStore } from "../node/pg-uploads";

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL, createBatchedLineWriter().write, config.LOG_FORMAT);
const INDEXER = fileURLToPath(new URL("../cli/index-corpus.ts", import.meta.url));
const WORKERS = config.WORKERS === "auto" ? availableParallelism() : config.WORKERS;

let indexer: ChildProcess | undefined;

/**
 * Builds the vector index in a child process (npm run index), so that embedding and HNSW insertion,
 * which are synchronous, never stall the requests being answered. The child writes the index
 * atomically; createNodeEngine then only has to load it.
 */
function buildIndexInChild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, INDEXER], { stdio: ["ignore", 2, 2] });
    indexer = child;
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      indexer = undefined;
      if (code === 0) resolve();
      else reject(new Error(`the index build exited with ${signal ?? `code ${code}`}`));
    });
  });
}

if (cluster.isPrimary && WORKERS > 1) {
  runPrimary({ config, log, workers: WORKERS, buildIndex: buildIndexInChild, stopBuild: () => indexer?.kill("SIGTERM") });
} else {
  runServer(cluster.isWorker ? (process.env[WORKER_ROLE_ENV] as WorkerRole) : undefined);
}

/** Serves requests: the whole server when alone, or one worker of a cluster (`role` set). */
function runServer(role: WorkerRole | undefined): void {
  const toPrimary = (message: ToPrimary) => process.send?.(message);
  let engine: NodeEngine | undefined;
  let draining = false;
  const starting = notReadyHealth("starting", config.VECTOR_STORE === "pgvector" ? "pgvector" : "hnsw");
  /** How far the first build has got, for /api/health while it says 503. */
  let indexing: IndexingProgress | undefined;

  /** While draining, every response tells the client not to reuse its connection, so they all close. */
  const closeWhenDraining: MiddlewareHandler = async (c, next) => {
    await next();
    if (draining) c.header("Connection", "close");
  };

  // Adding and removing documents: closed by default. Without ADMIN_TOKEN a random token is made
  // for this run and printed once, in the link logged at start (the only place it ever appears).
  const adminToken: AdminTokenSetting = config.ADMIN_TOKEN === "off" ? "off" : { token: config.ADMIN_TOKEN ?? randomBytes(24).toString("base64url") };
  // In a cluster each worker would save and rebuild on its own: writes need one process.
  const writes = role
    ? undefined
    : createDocumentWrites({
        corpusDir: config.CORPUS_DIR,
        maxFileBytes: config.MAX_UPLOAD_BYTES,
        token: adminToken,
        log,
        engine: () => engine,
        rebuild: (listener) => new Promise((resolve, reject) => rebuild("upload", { resolve, reject, listener })),
        uploadStore: config.VECTOR_STORE === "pgvector" ? createPgUploadStore(async () => (await pgStore()).pool) : undefined,
      });
  if (writes) void removeStaleTemporaryFiles(config.CORPUS_DIR);

  const readLocalOriginal = originalReader(() => engine?.originals);
  const app = createApp({
    writes,
    readOnlyBecause: "it runs several worker processes (WORKERS > 1); start it with WORKERS=1 to add or remove documents",
    engine: () => engine?.engine,
    health: () => engine?.health() ?? (indexing ? { ...starting, indexing } : starting),
    web: serveWeb({ readAsset: nodeAssetReader("web") }),
    readBody: readNodeBody,
    // pgvector: from the store, by document id; otherwise the file this process indexed.
    readOriginal: (id) => (engine?.readOriginal ?? readLocalOriginal)(id),
    logError: (error) => log.error("unhandled error", { error: error instanceof Error ? error.stack : String(error) }),
    clientAddress: (c) => getConnInfo(c).remote.address,
    // In a cluster each worker keeps its own buckets: a client may get up to WORKERS times the rate.
    rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, burst: config.RATE_LIMIT_BURST },
    timeoutMs: config.REQUEST_TIMEOUT_MS,
    uploadTimeoutMs: config.UPLOAD_TIMEOUT_MS,
    corsOrigins: config.CORS_ORIGINS,
    accessLog: (entry) => log.info("request", { ...entry }),
    middleware: [closeWhenDraining, stopReadingRefusedBodies()],
  });

  let server: Server | undefined;
  function listen(onListening: () => void = () => {}): void {
    // Node checks header and request timeouts every 30 s by default, so a 10 s limit became 31-33 s.
    const serverOptions = { connectionsCheckingInterval: Math.min(1_000, config.REQUEST_TIMEOUT_MS) };
    server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST, serverOptions }, (info) => {
      // The pid to signal: `npm start` runs this file under tsx, whose own process does not pass
      // SIGHUP on. (In a cluster the primary names its own, which is the one to signal.)
      const reload = role ? "" : ` (pid ${process.pid}: kill -HUP ${process.pid} reloads the corpus)`;
      log.info(`listening on http://${config.HOST}:${info.port}${reload}`);
      if (writes) announceWrites(info.port);
      onListening();
    }) as Server;
    // Clients that trickle their headers are cut off by Node; slow bodies and handlers by the app's timeout.
    server.headersTimeout = config.REQUEST_TIMEOUT_MS;
    // An upload may take UPLOAD_TIMEOUT_MS; the app's own timeout still stops every other request at REQUEST_TIMEOUT_MS.
    server.requestTimeout = Math.max(config.REQUEST_TIMEOUT_MS, writes ? config.UPLOAD_TIMEOUT_MS : 0) + 5_000;
    answerClientErrors(server, { headersTimeoutMs: config.REQUEST_TIMEOUT_MS, log: (line) => log.warn(line) });
  }
  function announceWrites(port: number): void {
    if (adminToken === "off") return log.info("adding and removing documents is off (ADMIN_TOKEN=off)");
    if (!config.ADMIN_TOKEN) log.info(`to add documents from the chat, open http://${config.HOST}:${port}/#admin=${adminToken.token} (a new token each start; set ADMIN_TOKEN to keep one)`);
    if (!isLoopback(config.HOST)) log.warn(`HOST=${config.HOST} is not a loopback address: uploads and the admin token travel in clear unless TLS is in front of this server`);
  }

  // A replica opens the port only when it can answer: the first worker already says 503 while starting.
  if (role !== "replica") listen();

  // ---- Building and swapping engines ----

  let building = false;
  let buildAgain = false;
  /** Who waits for the next build (an upload's or deletion's job), with the listener for its stages. */
  let nextWaiters: BuildWaiter[] = [];
  /** pgvector: one pool for the process's life, shared by every engine it builds. */
  let store: Promise<PgStore> | undefined;
  const pgStore = () => {
    store ??= openStoreFor(config, log).catch((error) => {
      store = undefined; // the next build or poll tries again
      throw error;
    });
    return store;
  };
  const usesPg = config.VECTOR_STORE === "pgvector";
  /** The generation a "follow" build is loading, and one that failed to load (not retried). */
  let followTarget: number | undefined;
  let skipGeneration: number | undefined;

  /** pgvector: "follow" only loads the generation now active; a start or SIGHUP may index first. */
  async function buildEngine(why: string, listener: RebuildListener): Promise<NodeEngine | undefined> {
    if (usesPg && why === "follow") return createNodeEngine(config, log, { pg: { store: await pgStore(), index: "never" } });
    // With the hnswlib store, a model's engine reloads here, reusing the loaded model: only new
    // texts are embedded and the graph is updated in place (or rebuilt on worker threads).
    const reloadInProcess = !usesPg && engine !== undefined && embedderFamily(engine.embedder.id) !== "hashing";
    if (reloadInProcess) return draining ? undefined : createNodeEngine(config, log, { previous: engine, onStage: listener.stage, onProgress: listener.progress });
    // At start there is nothing to keep responsive, and the child would only double the loading time.
    // The built-in embedder re-embeds everything (its weights follow the corpus): in a child.
    if (engine) {
      listener.stage("extracting"); // the child reads, embeds and indexes; its own log has the detail
      try {
        await buildIndexInChild();
      } catch (error) {
        if (draining) return undefined;
        // pgvector: the child is the indexer, and its own log says why it failed; the store still
        // holds the previous generation, which this process keeps serving.
        if (usesPg) throw error;
        // The child is only a way to keep this process responsive; building here still works.
        log.warn(`${describe(error)}; building in the server process instead`);
      }
    }
    if (draining) return undefined;
    return createNodeEngine(config, log, {
      onStage: listener.stage,
      onProgress: (progress) => {
        indexing = progress;
        listener.progress(progress);
      },
      ...(usesPg && { pg: { store: await pgStore(), index: engine ? "never" : "if-empty" } }),
    });
  }

  function goLive(next: NodeEngine): void {
    const replaced = engine !== undefined;
    engine = next;
    const { counts } = next.health();
    log.info(`${replaced ? "swapped in the new index" : "ready"}: ${counts.documents} documents, ${counts.passages} passages`);
  }

  /** Starts a build unless one is running; then one more runs after it, since the corpus may have changed meanwhile. */
  function rebuild(why: string, waiter?: BuildWaiter): void {
    if (draining) return waiter?.reject(new Error("the server is shutting down"));
    if (waiter) nextWaiters.push(waiter);
    if (building) {
      if (why === "follow") return; // the poll asks again after the current build
      buildAgain = true;
      log.info(`${why}: a build is already running; another will follow it`);
      return;
    }
    building = true;
    const waiters = nextWaiters;
    nextWaiters = [];
    const listener: RebuildListener = {
      stage: (stage) => waiters.forEach((w) => w.listener.stage(stage)),
      progress: (progress) => waiters.forEach((w) => w.listener.progress(progress)),
    };
    if (why !== "follow") log.info(engine ? `${why}: rebuilding; the current index keeps answering until the new one is ready` : `${why}: loading the index`);
    buildEngine(why, listener)
      .then(async (next) => {
        if (!next) return waiters.forEach((w) => w.reject(new Error("the server is shutting down")));
        await warmUp(next);
        goLive(next);
        waiters.forEach((w) => w.resolve(next));
        if (role === "replica" && !server) listen(() => toPrimary({ type: "ready" }));
        else if (role) toPrimary({ type: "ready" });
      })
      .catch((error) => {
        waiters.forEach((w) => w.reject(error));
        if (!engine) {
          log.error(`cannot start: ${describe(error)}`);
          process.exit(1);
        }
        if (why === "follow") {
          // Not retried every poll: the next generation (or a SIGHUP) tries again.
          skipGeneration = followTarget;
          log.error(`loading generation ${followTarget} failed; still answering from generation ${engine.generation}: ${describe(error)}`);
        } else log.error(`rebuild failed; still answering from the previous index: ${describe(error)}`);
      })
      .finally(() => {
        building = false;
        if (buildAgain) {
          buildAgain = false;
          rebuild("queued rebuild");
        }
      });
  }

  rebuild("start");

  if (usesPg && config.PG_POLL_MS > 0) {
    // Follow the store: a generation indexed by any process is served here within PG_POLL_MS. A
    // failed poll (database away) is logged once per outage; requests meanwhile get 503s from the
    // store and the process carries on.
    let pollFailing = false;
    const poll = async () => {
      if (!engine || building || draining) return;
      try {
        const active = await activeGenerationId((await pgStore()).pool);
        if (pollFailing) log.info("the store answers again");
        pollFailing = false;
        if (active !== undefined && active !== engine.generation && active !== skipGeneration && engine.generation !== undefined) {
          followTarget = active;
          log.info(`store: generation ${active} is active (serving ${engine.generation}); loading it, the current one answers meanwhile`);
          rebuild("follow");
        }
      } catch (error) {
        if (!pollFailing) log.warn(`cannot ask the store for its active generation (${describe(error)}); still serving generation ${engine.generation}`);
        pollFailing = true;
      }
    };
    setInterval(() => void poll(), config.PG_POLL_MS).unref();
  }

  if (role) {
    // The primary has built the index when it asks: each worker loads it, then all swap at its word.
    let prepared: NodeEngine | undefined;
    process.on("message", (message: ToWorker) => {
      if (message?.type === "prepare") {
        (usesPg ? pgStore().then((pgStoreNow) => createNodeEngine(config, log, { pg: { store: pgStoreNow, index: "never" } })) : createNodeEngine(config, log))
          .then(async (next) => {
            await warmUp(next);
            prepared = next;
            toPrimary({ type: "prepared" });
          })
          .catch((error) => toPrimary({ type: "prepared", error: describe(error) }));
      } else if (message?.type === "swap" && prepared) {
        goLive(prepared);
        prepared = undefined;
      } else if (message?.type === "discard") {
        prepared = undefined;
      }
    });
    // The whole process group gets the terminal's SIGHUP; only the primary acts on it.
    process.on("SIGHUP", () => {});
  } else {
    process.on("SIGHUP", () => rebuild("SIGHUP"));
  }

  // ---- Shutdown ----

  function shutdown(signal: string): void {
    if (draining) return;
    draining = true;
    // In a cluster the primary says this once every worker has stopped listening.
    if (!role) log.info(`${signal}: refusing new connections, finishing the requests in flight, then exiting`);
    indexer?.kill("SIGTERM");
    if (!server) process.exit(0);
    server.close(() => {
      if (!role) log.info("all connections closed; exiting");
      process.exit(0);
    });
    server.closeIdleConnections();
    // Sent after close(), on the same channel as cluster's own "stop listening" message, so it arrives after it.
    toPrimary({ type: "draining" });
    // A client that never finishes its request must not hold the process forever.
    setTimeout(() => {
      log.warn(`requests still open after ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
  }
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/**
 * A few requests through a private app on the new engine before it goes live: the first real
 * request then finds routing, validation and serialisation compiled, not only the engine.
 */
async function warmUp(next: NodeEngine): Promise<void> {
  const probe = createApp({ engine: () => next.engine, health: () => next.health(), logError: () => {} });
  for (const question of ["من هو أمين مجلس الأمن؟", "Who signed the agreement?", "ما هي عاصمة أستراليا؟"]) {
    await probe.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
  }
  await probe.request("/api/health");
}

/** A caller waiting for the next build to go live. */
interface BuildWaiter {
  resolve: (engine: NodeEngine) => void;
  reject: (error: unknown) => void;
  listener: RebuildListener;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
