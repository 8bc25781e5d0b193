// Uploads and originals in the Postgres store (docs/postgres.md, "Uploads and originals"):
//   1. bytes: what the store holds for the seed corpus plus PDFs (each table's total size, and the
//      originals' own bytes), after `npm run index`'s code path;
//   2. upload → first answer on another server: two server processes with different CORPUS_DIRs
//      on one store, the built-in hashing embedder, the default PG_POLL_MS (2 s); each of
//      `--uploads` documents is posted to A and B is asked every 100 ms until it cites it.
//
//   npx tsx bench/pgvector-uploads.ts [--pdf test/fixtures/documents/long.pdf]... [--uploads 5]
//
// The store is PGlite (npm run db:dev's server) in this process, in memory. Writes
// bench/results/pgvector-uploads.json and prints the figures.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/log";
import { createNodeEngine } from "../src/node/engine";
import { openPgStore } from "../src/index/pgvector/schema";
import { startDevDatabase } from "../scripts/lib/pglite-server";
import { killAll, startServer, waitFor } from "../test/reliability/helpers";

const { values } = parseArgs({ options: { pdf: { type: "string", multiple: true, default: [] }, uploads: { type: "string", default: "5" } } });
const TOKEN = "bench-pgvector-uploads-token-0123";
const root = await mkdtemp(join(tmpdir(), "bench-pg-uploads-"));
const database = await startDevDatabase();
try {
  // ---- 1. Bytes stored for the seed corpus and the PDFs.
  const corpusA = join(root, "corpus-a");
  await mkdir(corpusA);
  for (const name of ["000_c1add9699fc6f4ec.txt", "000_c1add9699fc6f4ec.meta.json"]) await copyFile(join("corpus", name), join(corpusA, name));
  for (const pdf of values.pdf) await copyFile(pdf, join(corpusA, basename(pdf)));
  const config = loadConfig({ VECTOR_STORE: "pgvector", DATABASE_URL: database.url, CORPUS_DIR: corpusA, EMBEDDER: "hashing", PG_POLL_MS: "0", EMBEDDINGS_DIR: join(root, "embeddings") });
  const store = await openPgStore({ url: database.url });
  const engine = await createNodeEngine(config, createLogger("silent"), { pg: { store, index: "always" } });
  const sizes = (
    await store.pool.query<{ table: string; bytes: string }>(
      `SELECT c.relname AS table, pg_total_relation_size(c.oid) AS bytes FROM pg_class c
       WHERE c.relkind = 'r' AND c.relname LIKE 'qa_%' ORDER BY c.relname`,
    )
  ).rows.map((r) => ({ table: r.table, bytes: Number(r.bytes) }));
  const originals = (await store.pool.query<{ n: string; bytes: string }>("SELECT count(*) AS n, coalesce(sum(octet_length(bytes)), 0) AS bytes FROM qa_originals")).rows[0];
  const stored = { documents: engine.health().counts.documents, pdfs: values.pdf, originals: { count: Number(originals.n), bytes: Number(originals.bytes) }, tables: sizes, total: sizes.reduce((sum, t) => sum + t.bytes, 0) };
  await store.close();
  console.log(JSON.stringify(stored, null, 2));

  // ---- 2. Upload on A → first answer on B.
  const corpusB = join(root, "corpus-b");
  await mkdir(corpusB);
  await copyFile(join("corpus", "000_c1add9699fc6f4ec.txt"), join(corpusB, "article.txt"));
  const env = (corpus: string) => ({ VECTOR_STORE: "pgvector", DATABASE_URL: database.url, EMBEDDER: "hashing", RATE_LIMIT_PER_MINUTE: "0", ADMIN_TOKEN: TOKEN, CORPUS_DIR: corpus, EMBEDDINGS_DIR: join(root, "embeddings") });
  const a = await startServer(env(corpusA));
  await waitFor(async () => ((await fetch(`${a.url}/api/health`)).ok ? true : undefined), 120_000);
  const b = await startServer(env(corpusB));
  await waitFor(async () => ((await fetch(`${b.url}/api/health`)).ok ? true : undefined), 120_000);
  const runs: { jobDoneMs: number; answeredOnBMs: number }[] = [];
  const cities = ["ود مدني", "كسلا", "الأبيض", "عطبرة", "سنار", "القضارف", "الدمازين", "نيالا"];
  for (let i = 0; i < Number(values.uploads); i++) {
    const city = cities[i % cities.length];
    const text = `افتتحت جامعة رقم ${i + 1} مختبرا جديدا لأبحاث التربة في مدينة ${city} خلال شهر مارس.\n`;
    const data = new FormData();
    data.append("file", new Blob([text]), `lab-${i}.txt`);
    const started = performance.now();
    const response = await fetch(`${a.url}/api/documents`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: data });
    const { documents, job } = (await response.json()) as { documents: { id: string }[]; job: string };
    let jobDoneMs = 0;
    const jobDone = waitFor(async () => {
      const state = (await (await fetch(`${a.url}/api/jobs/${job}`)).json()) as { stage: string };
      return state.stage === "done" ? (jobDoneMs = performance.now() - started) : undefined;
    }, 120_000, 50);
    await waitFor(async () => {
      const answer = (await (await fetch(`${b.url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: `أين افتتحت جامعة رقم ${i + 1} مختبر أبحاث التربة؟` }) })).json()) as { citations: { docId: string }[] };
      return answer.citations?.some((c) => c.docId === documents[0].id) ? true : undefined;
    }, 120_000, 100);
    const answeredOnBMs = performance.now() - started;
    await jobDone;
    runs.push({ jobDoneMs: Math.round(jobDoneMs), answeredOnBMs: Math.round(answeredOnBMs) });
    console.log(`upload ${i + 1}: job done on A after ${Math.round(jobDoneMs)} ms, first answer on B after ${Math.round(answeredOnBMs)} ms`);
  }
  const sorted = runs.map((r) => r.answeredOnBMs).sort((x, y) => x - y);
  const result = { at: new Date().toISOString(), stored, upload: { pollMs: 2000, embedder: "hashing", runs, medianAnsweredOnBMs: sorted[Math.floor(sorted.length / 2)] } };
  await writeFile("bench/results/pgvector-uploads.json", JSON.stringify(result, null, 2) + "\n");
  console.log(`median upload → first answer on B: ${result.upload.medianAnsweredOnBMs} ms`);
} finally {
  await killAll();
  await database.stop().catch(() => {});
  await rm(root, { recursive: true, force: true });
}
