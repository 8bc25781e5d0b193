// Server start time on the Postgres store with the model (docs/postgres.md, "The bridge's words"):
// this checkout, which reads the cross-lingual bridge's words from qa_vectors, against an earlier
// commit's files (`--before`), which embedded them at every start.
//
//   git archive 25d5249 | tar -x -C /tmp/before && ln -s "$PWD/node_modules" "$PWD/models" /tmp/before/
//   npx tsx bench/pgvector-start.ts --before /tmp/before --corpus ../shared/eval/xquad/corpus --runs 2
//
// Each checkout gets its own store (PGlite in this process, in memory: the earlier commit's schema
// is older) indexed by its own `npm run index`; then one server at a time, the two alternately, is
// started and timed from spawn to "ready: " in its log (what a load balancer waits for), and killed.
// Writes bench/results/pgvector-start.json and prints the figures.
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startDevDatabase } from "../scripts/lib/pglite-server";

const { values } = parseArgs({ options: { before: { type: "string" }, corpus: { type: "string", default: "corpus" }, runs: { type: "string", default: "2" } } });
if (!values.before) throw new Error("--before <folder>: an earlier commit's files (see the comment at the top of bench/pgvector-start.ts)");
const corpus = resolve(values.corpus!);
const apps = [
  { name: "before (embeds the words at start)", dir: resolve(values.before) },
  { name: "after (reads them from qa_vectors)", dir: process.cwd() },
];

interface Run {
  /** Spawn to the log line that matched, and the lines that say where the time went. */
  ms: number;
  lines: string[];
  exitCode: number | null;
}

/** Runs `tsx <script>` in `dir` until a log line matches `until` (then stops it) or it exits. */
function run(dir: string, script: string, env: Record<string, string>, until?: RegExp): Promise<Run> {
  const started = performance.now();
  const child = spawn(resolve(dir, "node_modules/.bin/tsx"), [script], { cwd: dir, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  return new Promise((done, fail) => {
    let ms: number | undefined;
    const onLine = (line: string) => {
      if (/bridge:|ready in|generation \d+ is active|embedded|indexing/.test(line)) lines.push(line.slice(0, 300));
      if (until && ms === undefined && until.test(line)) {
        ms = performance.now() - started;
        process.kill(-child.pid!, "SIGTERM");
      }
    };
    createInterface({ input: child.stdout! }).on("line", onLine);
    createInterface({ input: child.stderr! }).on("line", onLine);
    child.on("error", fail);
    child.on("exit", (exitCode) => done({ ms: ms ?? performance.now() - started, lines, exitCode }));
  });
}

const results: { app: string; index: Run; starts: Run[] }[] = [];
const databases = await Promise.all(apps.map(() => startDevDatabase()));
try {
  const envOf = (i: number) => ({ VECTOR_STORE: "pgvector", DATABASE_URL: databases[i].url, CORPUS_DIR: corpus, PORT: "0", HOST: "127.0.0.1", ADMIN_TOKEN: "off", LOG_FORMAT: "text", LOG_LEVEL: "info" });
  for (const [i, app] of apps.entries()) {
    const index = await run(app.dir, "src/cli/index-corpus.ts", envOf(i));
    if (index.exitCode !== 0) throw new Error(`${app.name}: npm run index failed:\n${index.lines.join("\n")}`);
    console.log(`${app.name}: indexed in ${(index.ms / 1000).toFixed(1)} s`);
    results.push({ app: app.name, index, starts: [] });
  }
  for (let r = 0; r < Number(values.runs); r++) {
    for (const [i, app] of apps.entries()) {
      const start = await run(app.dir, "src/server/node.ts", envOf(i), /ready: \d+ documents/);
      results[i].starts.push(start);
      console.log(`${app.name}: ready in ${(start.ms / 1000).toFixed(1)} s\n  ${start.lines.filter((l) => /bridge:|ready in/.test(l)).join("\n  ")}`);
    }
  }
} finally {
  await Promise.all(databases.map((d) => d.stop()));
}
const summary = results.map(({ app, index, starts }) => ({ app, indexSeconds: +(index.ms / 1000).toFixed(1), startSeconds: starts.map((s) => +(s.ms / 1000).toFixed(1)), logs: starts.map((s) => s.lines) }));
await mkdir("bench/results", { recursive: true });
await writeFile("bench/results/pgvector-start.json", JSON.stringify({ corpus: values.corpus, at: new Date().toISOString(), results: summary }, null, 2) + "\n");
console.table(summary.map(({ app, indexSeconds, startSeconds }) => ({ app, indexSeconds, startSeconds: startSeconds.join(" / ") })));
