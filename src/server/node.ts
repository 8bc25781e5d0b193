// Node entry point (npm start): serves the Hono app with @hono/node-server. The port opens at
// once; /api/health says 503 until the index is loaded or built, then the engine is swapped in.
import { serve } from "@hono/node-server";
import { loadConfig } from "../config";
import { createLogger } from "../log";
import type { Health } from "../types";
import { createNodeEngine, type NodeEngine } from "../node/engine";
import { createApp } from "./app";
import { serveWeb } from "./web";
import { nodeAssetReader } from "./web-node";

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);

let engine: NodeEngine | undefined;
const starting: Health = {
  ready: false,
  embedder: { id: "", dimension: 0, reason: "starting" },
  counts: { documents: 0, paragraphs: 0, sentences: 0, passages: 0 },
  index: { kind: "hnsw", loaded: false, builtAt: "", buildMs: 0, reason: "starting" },
  warnings: [],
};

const app = createApp({
  engine: () => engine?.engine,
  health: () => engine?.health() ?? starting,
  web: serveWeb({ readAsset: nodeAssetReader("web") }),
  logError: (error) => log.error("unhandled error", { error: error instanceof Error ? error.stack : String(error) }),
});

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  log.info(`listening on http://${config.HOST}:${info.port}`);
});

createNodeEngine(config, log)
  .then((ready) => {
    engine = ready;
  })
  .catch((error) => {
    log.error(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });

function shutdown(signal: string) {
  log.info(`${signal}: finishing in-flight requests, then exiting`);
  server.close(() => process.exit(0));
  // Connections that stay open (keep-alive) must not hold the process forever.
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
