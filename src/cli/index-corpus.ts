// npm run index [-- --force]: loads the corpus and builds the vector index in embeddings/,
// or reuses it when its manifest matches the corpus and the embedder (--force rebuilds anyway).
import { loadConfig } from "../config";
import { createLogger } from "../log";
import { createNodeEngine } from "../node/engine";

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const started = performance.now();
// With VECTOR_STORE=pgvector it writes a new generation into Postgres unless the active one already
// holds this corpus (src/index/pgvector/indexer.ts); every server follows it within PG_POLL_MS.
const { health, close } = await createNodeEngine(config, log, { forceRebuild: process.argv.includes("--force"), pg: { index: "always" } }).catch((error: unknown) => {
  // A missing corpus folder or an unreadable store is the user's to fix: say what, not where in the code.
  console.error(`npm run index: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const { counts, index, embedder } = health();
console.log(
  `${index.loaded ? "index up to date" : "index built"}: ${counts.passages} passages from ${counts.documents} documents, ` +
    `embedder ${embedder.id} (${embedder.dimension} dims), ${Math.round(performance.now() - started)} ms — ${index.reason}`,
);
await close?.();
