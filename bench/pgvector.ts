// hnswlib in process against Postgres + pgvector (PGlite over the wire, npm run db:dev), side by
// side at one corpus size, in one run so the ratios share the machine's state:
//   - build time: `npm run index` on the same corpus folder, each store (the embedding included)
//   - recall@10 against exact search, at the ef_search the server uses (HNSW_EF_SEARCH auto)
//   - answer latency in process (p50/p95), the same questions on each store
//   - app server processes (src/server/node.ts) 1, 2 and 4 at once: RSS of each, answers/s
//     with 8 clients spread over them; hnswlib processes each hold the index, pgvector ones share
//     the one store
//   - lexical retrieval: BM25 in process (built from the corpus at start) against Postgres
//     full-text search (GIN over the same analyzed terms, ts_rank), latency and build time
//   - sentence vectors read per question from the store against all held in memory
// The built-in hashing embedder throughout (EMBEDDER=hashing): the model embeds ~30 texts/s here,
// hours at these sizes. Writes bench/results/pgvector-<size>.json and prints a Markdown table.
//   tsx bench/pgvector.ts --size 10000 [--seconds 8] [--processes 1,2,4]
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadCorpusDir } from "../src/corpus/load-node";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/log";
import { createBm25Index } from "../src/index/bm25";
import { createExactIndex } from "../src/index/exact";
import { efSearchFor } from "../src/index/ef-search";
import { openVectorStore } from "../src/index/store";
import { activeGeneration, createPgVectorIndex, vectorLiteral } from "../src/index/pgvector/reader";
import { createNodeEngine, type NodeEngine } from "../src/node/engine";
import { fingerprintedId } from "../src/node/embedder";
import { createBuiltInEmbedder, createDefaultAnalyzer } from "../src/pipeline";
import type { ScoredId } from "../src/types";
import { generatedQuestions } from "./lib/questions";
import { summarize } from "./lib/stats";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "10000" },
    seconds: { type: "string", default: "8" },
    processes: { type: "string", default: "1,2,4" },
    questions: { type: "string", default: "200" },
    "skip-servers": { type: "boolean", default: false },
    /** Print the Markdown table of every bench/results/pgvector-*.json instead of measuring. */
    table: { type: "boolean", default: false },
  },
});
const SIZE = Number(args.size);
const SECONDS = Number(args.seconds);
const PROCESS_COUNTS = args.processes.split(",").map(Number);
const CLIENTS = 8;
const log = (message: string) => console.error(`[pgvector ${SIZE}] ${message}`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const root = mkdtempSync(join(tmpdir(), "bench-pgvector-"));
const corpusDir = join(root, "corpus");
const embeddingsDir = join(root, "embeddings");
const children = new Set<ChildProcess>();

function start(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", entry], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.add(child);
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => (children.delete(child), resolve(code))));
  return { child, output: () => output, exited };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024);

async function main() {
  // ---- The corpus, written as files so the CLI and the servers read what the bench reads.
  const real = (await loadCorpusDir("corpus")).corpus;
  mkdirSync(corpusDir);
  for (const file of synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: SIZE, seed: 42 })) writeFileSync(join(corpusDir, file.name), file.bytes);
  const { corpus } = await loadCorpusDir(corpusDir);
  log(`${corpus.documents.length} documents, ${corpus.sentences.length} sentences, ${corpus.passages.length} passages`);

  // ---- The store: npm run db:dev in its own process, as the servers would find it.
  const db = start("scripts/db-dev.ts", { DB_PORT: "0", DB_DIR: "memory://" });
  const url = (await until(async () => /DATABASE_URL=(\S+)/.exec(db.output())?.[1], 60_000))!;
  const common = { CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: embeddingsDir, EMBEDDER: "hashing", LOG_LEVEL: "info", RATE_LIMIT_PER_MINUTE: "0" };
  const pgEnv = { ...common, VECTOR_STORE: "pgvector", DATABASE_URL: url, PG_POLL_MS: "0" };

  // ---- Build time: the same command on each store.
  const build = async (env: Record<string, string>) => {
    const t = performance.now();
    const run = start("src/cli/index-corpus.ts", env);
    const code = await run.exited;
    if (code !== 0) throw new Error(`npm run index failed:\n${run.output()}`);
    return { ms: Math.round(performance.now() - t), output: run.output() };
  };
  const hnswBuild = await build(common);
  log(`hnswlib build ${hnswBuild.ms} ms`);
  const pgBuild = await build(pgEnv);
  const pgIndexMs = Number(/HNSW index of generation \d+ \(\d+ passages\) built in (\d+) ms/.exec(pgBuild.output)?.[1] ?? NaN);
  log(`pgvector build ${pgBuild.ms} ms (HNSW index ${pgIndexMs} ms)`);

  // ---- Recall@10 at the server's ef_search, both against exact search over the same vectors.
  const analyzer = createDefaultAnalyzer();
  const embedder = createBuiltInEmbedder(corpus, analyzer);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < corpus.passages.length; i += 256) vectors.push(...(await embedder.embed(corpus.passages.slice(i, i + 256).map((p) => p.text), "passage")));
  const exact = createExactIndex(embedder.dimension, vectors);
  const questions = generatedQuestions(corpus, Number(args.questions));
  const queryVectors = await Promise.all(questions.map(async (q) => (await embedder.embed([q], "query"))[0]));
  const efSearch = efSearchFor(corpus.passages.length, "auto");
  const config = loadConfig(common);
  const embedderId = await fingerprintedId(embedder);
  const hnswStore = await openVectorStore({
    dir: embeddingsDir,
    embedderId,
    dimension: embedder.dimension,
    corpusHash: JSON.parse(readFileSync(join(embeddingsDir, "manifest.json"), "utf8")).corpusHash,
    count: corpus.passages.length,
    hnsw: { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch, shards: config.HNSW_SHARDS },
    build: () => Promise.reject(new Error("the bench reads the index npm run index built")),
  });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const generation = (await activeGeneration(pool))!;
  const pgIndex = createPgVectorIndex({ pool, generation: generation.id, dimension: embedder.dimension, size: corpus.passages.length, efSearch });
  const recallOf = (got: ScoredId[], want: ScoredId[]) => got.filter((h) => want.some((w) => w.id === h.id)).length / want.length;
  let hnswRecall = 0;
  let pgRecall = 0;
  const hnswSearchMs: number[] = [];
  const pgSearchMs: number[] = [];
  for (const q of queryVectors) {
    const want = exact.search(q, 10);
    let t = performance.now();
    const a = hnswStore.index.search(q, 10);
    hnswSearchMs.push(performance.now() - t);
    t = performance.now();
    const b = await pgIndex.search(q, 10);
    pgSearchMs.push(performance.now() - t);
    hnswRecall += recallOf(a, want);
    pgRecall += recallOf(b, want);
  }
  hnswRecall /= queryVectors.length;
  pgRecall /= queryVectors.length;
  log(`recall@10 at ef_search ${efSearch}: hnswlib ${hnswRecall.toFixed(3)}, pgvector ${pgRecall.toFixed(3)}`);

  // ---- Answer latency in process.
  const silent = createLogger("silent");
  const latency = async (engine: NodeEngine) => {
    const ms: number[] = [];
    for (const question of questions) {
      const t = performance.now();
      await engine.engine.answer({ question, topK: 5, history: [] });
      ms.push(performance.now() - t);
    }
    return summarize(ms);
  };
  const hnswEngine = await createNodeEngine(config, silent);
  const pgEngine = await createNodeEngine(loadConfig(pgEnv), silent, { pg: { index: "never" } });
  const hnswAnswer = await latency(hnswEngine);
  const pgAnswer = await latency(pgEngine);
  await pgEngine.close?.();
  log(`answer p95: hnswlib ${hnswAnswer.p95} ms, pgvector ${pgAnswer.p95} ms`);

  // ---- Lexical: BM25 in process against Postgres full-text search over the same terms.
  const lexical = await lexicalComparison(pool, corpus.passages.map((p) => p.text), questions, analyzer);
  log(`lexical: ${JSON.stringify(lexical)}`);

  // ---- Sentence vectors: per question from the store, or all in memory (384 floats, the model's size).
  // At most 50k rows: writing 200k × 384 floats as text into PGlite would dominate the 100k run; a
  // primary-key lookup of 24 rows barely depends on the table size.
  const sentences = await sentenceVectorComparison(pool, Math.min(corpus.sentences.length, 2 * SIZE, 50_000));
  log(`sentence vectors: ${JSON.stringify(sentences)}`);

  // ---- App server processes sharing one store.
  const servers: Record<string, { processes: number; rssMb: number[]; answersPerSecond: number; errors: number }[]> = { hnswlib: [], pgvector: [] };
  if (!args["skip-servers"]) {
    for (const [kind, env] of [["hnswlib", common], ["pgvector", { ...pgEnv, PG_POLL_MS: "2000" }]] as const) {
      for (const n of PROCESS_COUNTS) {
        const running = Array.from({ length: n }, () => start("src/server/node.ts", { ...env, PORT: "0", HOST: "127.0.0.1" }));
        const urls = await Promise.all(running.map((r) => until(async () => /listening on (http:\/\/\S+)/.exec(r.output())?.[1], 60_000)));
        await Promise.all(urls.map((u) => until(async () => ((await fetch(`${u}/api/health`)).ok ? true : undefined), 300_000)));
        const load = await drive(urls!, questions, SECONDS);
        const rss = running.map((r) => rssMb(r.child.pid!));
        servers[kind].push({ processes: n, rssMb: rss, ...load });
        log(`${kind} × ${n}: ${load.answersPerSecond} answers/s, RSS ${rss.join("/")} MB, ${load.errors} errors`);
        await Promise.all(running.map((r) => stop(r.child)));
      }
    }
  }
  const dbRssMb = rssMb(db.child.pid!);
  await pool.end();
  await stop(db.child);

  const result = {
    size: SIZE,
    passages: corpus.passages.length,
    sentences: corpus.sentences.length,
    embedder: embedder.id,
    dimension: embedder.dimension,
    efSearch,
    build: { hnswlibMs: hnswBuild.ms, pgvectorMs: pgBuild.ms, pgvectorHnswIndexMs: pgIndexMs },
    recallAt10: { hnswlib: round(hnswRecall, 3), pgvector: round(pgRecall, 3) },
    searchMs: { hnswlib: summarize(hnswSearchMs), pgvector: summarize(pgSearchMs) },
    answerMs: { hnswlib: hnswAnswer, pgvector: pgAnswer },
    lexical,
    sentenceVectors: sentences,
    servers,
    dbRssMb,
    when: new Date().toISOString(),
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(`bench/results/pgvector-${SIZE}.json`, JSON.stringify(result, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
}

/** CLIENTS loops, spread over the servers, asking for SECONDS; answers/s over all of them. */
async function drive(urls: string[], questions: string[], seconds: number): Promise<{ answersPerSecond: number; errors: number }> {
  const until = Date.now() + seconds * 1000;
  let answers = 0;
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const url = urls[client % urls.length];
      while (Date.now() < until) {
        const question = questions[next++ % questions.length];
        const response = await fetch(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) }).catch(() => undefined);
        if (response?.ok) answers++;
        else errors++;
        await response?.arrayBuffer().catch(() => {});
      }
    }),
  );
  return { answersPerSecond: Math.round(answers / seconds), errors };
}

async function lexicalComparison(pool: pg.Pool, texts: string[], questions: string[], analyzer: ReturnType<typeof createDefaultAnalyzer>) {
  const heapBefore = process.memoryUsage().heapUsed;
  let t = performance.now();
  const analyzed = texts.map((text) => analyzer.analyze(text));
  const analyzeMs = performance.now() - t;
  t = performance.now();
  const bm25 = createBm25Index(analyzed);
  const bm25BuildMs = performance.now() - t;
  const bm25HeapMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
  const queries = questions.map((q) => [...new Set(analyzer.analyze(q))]);
  const bm25Ms: number[] = [];
  const bm25Top: number[][] = [];
  for (const terms of queries) {
    const t0 = performance.now();
    bm25Top.push(bm25.search(terms, 50).map((h) => h.id));
    bm25Ms.push(performance.now() - t0);
  }
  // Postgres: the same analyzed terms as lexemes (array_to_tsvector: no parsing, so the Arabic
  // analyzer's terms are kept as they are), a GIN index, OR-queries ranked by ts_rank.
  await pool.query("DROP TABLE IF EXISTS bench_fts");
  await pool.query("CREATE TABLE bench_fts (position int PRIMARY KEY, terms tsvector NOT NULL)");
  t = performance.now();
  for (let i = 0; i < analyzed.length; i += 2000) {
    const rows = analyzed.slice(i, i + 2000);
    await pool.query("INSERT INTO bench_fts SELECT p, array_to_tsvector(string_to_array(t, ' ')) FROM unnest($1::int[], $2::text[]) AS u(p, t)", [
      rows.map((_, j) => i + j),
      rows.map((terms) => [...new Set(terms.filter((term) => term && !/\s/.test(term)))].join(" ")),
    ]);
  }
  const ftsLoadMs = performance.now() - t;
  t = performance.now();
  await pool.query("CREATE INDEX bench_fts_gin ON bench_fts USING gin (terms)");
  const ftsIndexMs = performance.now() - t;
  const ftsMs: number[] = [];
  let overlap = 0;
  for (const [k, terms] of queries.entries()) {
    if (terms.length === 0) continue;
    const query = terms.map((term) => `'${term.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`).join(" | ");
    const t0 = performance.now();
    const rows = (await pool.query("SELECT position FROM bench_fts WHERE terms @@ $1::tsquery ORDER BY ts_rank(terms, $1::tsquery) DESC, position LIMIT 50", [query])).rows;
    ftsMs.push(performance.now() - t0);
    const top = new Set(bm25Top[k].slice(0, 10));
    overlap += rows.slice(0, 10).filter((r) => top.has(r.position)).length / Math.max(1, Math.min(10, top.size));
  }
  await pool.query("DROP TABLE bench_fts");
  return {
    inProcess: { analyzeMs: Math.round(analyzeMs), buildMs: Math.round(bm25BuildMs), heapMb: bm25HeapMb, queryMs: summarize(bm25Ms) },
    postgresFts: { loadMs: Math.round(ftsLoadMs), ginIndexMs: Math.round(ftsIndexMs), queryMs: summarize(ftsMs), top10AgreementWithBm25: round(overlap / ftsMs.length, 3) },
  };
}

async function sentenceVectorComparison(pool: pg.Pool, count: number) {
  const dimension = 384;
  await pool.query("DROP TABLE IF EXISTS bench_sentences");
  await pool.query("CREATE TABLE bench_sentences (position int PRIMARY KEY, embedding vector NOT NULL)");
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let i = 0; i < count; i += 1000) {
    const n = Math.min(1000, count - i);
    const rows = Array.from({ length: n }, () => vectorLiteral(Float32Array.from({ length: dimension }, random)));
    await pool.query("INSERT INTO bench_sentences SELECT p, e::vector FROM unnest($1::int[], $2::text[]) AS u(p, e)", [Array.from({ length: n }, (_, j) => i + j), rows]);
  }
  // All at start (what the server does), parsed into one Float32Array.
  let t = performance.now();
  const all = (await pool.query<{ e: string }>("SELECT embedding::text AS e FROM bench_sentences ORDER BY position")).rows;
  const memory = new Float32Array(all.length * dimension);
  all.forEach((row, i) => row.e.slice(1, -1).split(",").forEach((x, d) => (memory[i * dimension + d] = Number(x))));
  const loadAllMs = performance.now() - t;
  // Per question: ~24 sentences (8 passages of ~3), as the retriever reads them.
  const perQuestion: number[] = [];
  for (let q = 0; q < 100; q++) {
    const ids = Array.from({ length: 24 }, () => Math.floor(((random() + 1) / 2) * count));
    t = performance.now();
    await pool.query("SELECT position, embedding::text AS e FROM bench_sentences WHERE position = ANY($1::int[])", [ids]);
    perQuestion.push(performance.now() - t);
  }
  await pool.query("DROP TABLE bench_sentences");
  return { sentences: count, dimension, inMemoryMb: round((count * dimension * 4) / 2 ** 20), loadAllMs: Math.round(loadAllMs), perQuestionMs: summarize(perQuestion) };
}

/** The README's table: one column pair per size, the ratio pgvector / hnswlib beside each. */
function renderTable(): string {
  const files = readdirSync("bench/results").filter((f) => /^pgvector-\d+\.json$/.test(f));
  const results = files.map((f) => JSON.parse(readFileSync(join("bench/results", f), "utf8"))).sort((a, b) => a.size - b.size);
  const ratio = (pgv: number, hnsw: number) => (hnsw > 0 ? `${round(pgv / hnsw, 2)}×` : "–");
  const rows: [string, (r: any) => [number | string, number | string, string]][] = [
    ["build (`npm run index`, s)", (r) => [round(r.build.hnswlibMs / 1000), round(r.build.pgvectorMs / 1000), ratio(r.build.pgvectorMs, r.build.hnswlibMs)]],
    ["… of which the HNSW index (s)", (r) => ["", round(r.build.pgvectorHnswIndexMs / 1000), ""]],
    ["recall@10 at ef_search (auto)", (r) => [`${r.recallAt10.hnswlib} (${r.efSearch})`, `${r.recallAt10.pgvector} (${r.efSearch})`, ""]],
    ["dense search p50 / p95 (ms)", (r) => [`${round(r.searchMs.hnswlib.p50, 2)} / ${round(r.searchMs.hnswlib.p95, 2)}`, `${round(r.searchMs.pgvector.p50, 2)} / ${round(r.searchMs.pgvector.p95, 2)}`, ratio(r.searchMs.pgvector.p95, r.searchMs.hnswlib.p95)]],
    ["answer p50 / p95 in process (ms)", (r) => [`${round(r.answerMs.hnswlib.p50)} / ${round(r.answerMs.hnswlib.p95)}`, `${round(r.answerMs.pgvector.p50)} / ${round(r.answerMs.pgvector.p95)}`, ratio(r.answerMs.pgvector.p95, r.answerMs.hnswlib.p95)]],
    ...[0, 1, 2].map((i): [string, (r: any) => [number | string, number | string, string]] => [
      `server processes × ${[1, 2, 4][i]}: answers/s`,
      (r) => {
        const a = r.servers.hnswlib[i];
        const b = r.servers.pgvector[i];
        return a && b ? [a.answersPerSecond, b.answersPerSecond, ratio(b.answersPerSecond, a.answersPerSecond)] : ["–", "–", "not measured"];
      },
    ]),
    ...[0, 1, 2].map((i): [string, (r: any) => [number | string, number | string, string]] => [
      `server processes × ${[1, 2, 4][i]}: RSS per process (MB)`,
      (r) => {
        const a = r.servers.hnswlib[i];
        const b = r.servers.pgvector[i];
        const mean = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) / xs.length);
        return a && b ? [mean(a.rssMb), mean(b.rssMb), ratio(mean(b.rssMb), mean(a.rssMb))] : ["–", "–", "not measured"];
      },
    ]),
    ["store process RSS (MB)", (r) => ["–", r.dbRssMb, ""]],
  ];
  const head = `| | ${results.map((r) => `${r.passages.toLocaleString("en")} passages: hnswlib | pgvector | ratio`).join(" | ")} |`;
  const rule = `| --- | ${results.map(() => "--- | --- | ---").join(" | ")} |`;
  const body = rows.map(([name, cells]) => `| ${name} | ${results.map((r) => cells(r).join(" | ")).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

if (args.table) {
  console.log(renderTable());
  process.exit(0);
}

try {
  await main();
} finally {
  for (const child of children) await stop(child);
  rmSync(root, { recursive: true, force: true });
}
