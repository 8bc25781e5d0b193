// HTTP load over loopback: starts the real server entry (src/server/node.ts) in a child process
// on a corpus folder, waits until /api/health is ready, then drives POST /api/answer with
// autocannon at several connection counts. The server is always stopped, even on failure.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import autocannon from "autocannon";

export interface HttpOptions {
  corpusDir: string;
  embeddingsDir: string;
  questions: string[];
  connections: number[];
  durationSeconds: number;
  /** Give up when the server is not ready in this long (it builds its index first). */
  startTimeoutMs?: number;
  /** Extra server settings (e.g. WORKERS), over the benchmark's own. */
  env?: Record<string, string>;
  /**
   * Runs per connection count, interleaved (1, 8, 32, 1, 8, 32, …); the run with the median
   * answers/s is reported. A shared machine's speed swings within minutes, both ways.
   */
  repeats?: number;
}

export interface HttpRun {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p97_5: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /**
   * CPU time the server (all its processes) spent per request during the run, in ms: unlike
   * answers/s it does not depend on how much of the machine the load generator or a neighbour took.
   */
  serverCpuMsPerRequest?: number;
  /** The same for the load generator (autocannon, in this process), which shares the machine. */
  clientCpuMsPerRequest?: number;
  /** Answers/s of every repetition, in the order run (the fields above are the median one's, but errors, timeouts and non-2xx add up all of them). */
  repetitions?: number[];
}

export interface HttpResult {
  /** From spawn to /api/health answering 200 (loading the corpus and building the index). */
  readyMs: number;
  indexBuildMs: number;
  runs: HttpRun[];
  /** Max RSS of the server process (from /proc while it ran, MB). */
  serverPeakRssMb: number;
}

const HOST = "127.0.0.1";

function startServer(corpusDir: string, embeddingsDir: string, extraEnv: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/server/node.ts"], {
    // Defaults otherwise (access log on), but no rate limit: all load comes from one address; and
    // one worker process per core, the setting for throughput.
    env: { ...process.env, CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: embeddingsDir, EMBEDDER: "hashing", HOST, PORT: "0", LOG_LEVEL: "info", RATE_LIMIT_PER_MINUTE: "0", WORKERS: "auto", ...extraEnv },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** Cluster mode: the first worker answers health before the others have loaded; load waits for all. */
function watchClusterStart(server: ChildProcess): () => Promise<void> {
  let clustered = false;
  let allReady = false;
  server.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    if (/cluster: starting \d+ worker/.test(text)) clustered = true;
    if (/cluster: \d+ workers ready/.test(text)) allReady = true;
  });
  return async () => {
    while (clustered && !allReady) await new Promise((r) => setTimeout(r, 100));
  };
}

async function waitForPort(server: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // Only the tail is kept: the access log writes a line per request for the whole run.
    let tail = "";
    let port: number | undefined;
    const timer = setTimeout(() => reject(new Error(`server did not listen within ${timeoutMs} ms: ${tail}`)), timeoutMs);
    server.stderr!.on("data", (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-2000);
      if (port !== undefined) return;
      const found = tail.match(/listening on http:\/\/[^:]+:(\d+)/)?.[1];
      if (found) {
        port = Number(found);
        clearTimeout(timer);
        resolve(port);
      }
    });
    server.once("exit", (code) => reject(new Error(`server exited (${code}) before listening: ${tail}`)));
  });
}

async function waitForHealth(base: string, timeoutMs: number): Promise<{ buildMs: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/api/health`).catch(() => undefined);
    if (response?.status === 200) return { buildMs: ((await response.json()) as { index: { buildMs: number } }).index.buildMs };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready within ${timeoutMs} ms`);
}

const readProc = (path: string) => readFile(path, "utf8").catch(() => "");

/** The server process and its direct children (cluster workers), from /proc (Linux; just the server elsewhere). */
async function serverProcesses(pid: number): Promise<string[]> {
  return [String(pid), ...(await readProc(`/proc/${pid}/task/${pid}/children`)).split(/\s+/).filter(Boolean)];
}

/** Peak resident set of the server and its workers (cluster mode), summed, from /proc (Linux); 0 elsewhere. */
async function rssOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  let kb = 0;
  for (const id of await serverProcesses(pid)) kb += Number((await readProc(`/proc/${id}/status`)).match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** User + system CPU of the server and its workers so far, in ms, from /proc (Linux); undefined elsewhere. */
async function cpuMsOf(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  let ticks = 0;
  for (const id of await serverProcesses(pid)) {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = (await readProc(`/proc/${id}/stat`)).split(") ")[1]?.split(" ") ?? [];
    ticks += Number(fields[11] ?? NaN) + Number(fields[12] ?? NaN);
  }
  // Clock ticks are 1/100 s on Linux.
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}

async function load(base: string, questions: string[], connections: number, durationSeconds: number): Promise<HttpRun> {
  let next = 0;
  const bodies = questions.map((question) => JSON.stringify({ question, topK: 5 }));
  const result = await autocannon({
    url: `${base}/api/answer`,
    connections,
    duration: durationSeconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        // Each request asks the next question, so caches see the whole set.
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  const { latency } = result;
  return {
    connections,
    durationSeconds,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / Math.max(result.duration, 1e-9)),
    latencyMs: { p50: latency.p50, p90: latency.p90, p97_5: latency.p97_5, p99: latency.p99, max: latency.max, mean: latency.average },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The run with the median answers/s (the slower middle one of an even count), with every run's errors. */
export function medianRun(all: HttpRun[]): HttpRun {
  if (all.length === 0) throw new Error("medianRun needs at least one run");
  if (all.length === 1) return all[0];
  const median = [...all].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor((all.length - 1) / 2)];
  // Errors count in every run: "zero errors" must hold for all of them, not for the median one.
  const sum = (field: "errors" | "timeouts" | "non2xx") => all.reduce((total, r) => total + r[field], 0);
  return { ...median, errors: sum("errors"), timeouts: sum("timeouts"), non2xx: sum("non2xx"), repetitions: all.map((r) => r.requestsPerSecond) };
}

export async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, "exit");
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export async function measureHttp(options: HttpOptions, track: (server: ChildProcess) => void = () => {}): Promise<HttpResult> {
  const { corpusDir, embeddingsDir, questions, connections, durationSeconds, startTimeoutMs = 600_000, env = {}, repeats = 1 } = options;
  const started = performance.now();
  const server = startServer(corpusDir, embeddingsDir, env);
  track(server);
  const allWorkersReady = watchClusterStart(server);
  try {
    const port = await waitForPort(server, 60_000);
    const base = `http://${HOST}:${port}`;
    const { buildMs } = await waitForHealth(base, startTimeoutMs);
    await allWorkersReady();
    const readyMs = Math.round(performance.now() - started);
    // A short warm-up lets the JIT and the sentence cache settle before anything is recorded.
    await load(base, questions, 8, Math.min(2, durationSeconds));
    const measured = new Map<number, HttpRun[]>(connections.map((c) => [c, []]));
    for (let repetition = 0; repetition < repeats; repetition++) {
      for (const c of connections) {
        const cpuBefore = await cpuMsOf(server.pid);
        const clientBefore = process.cpuUsage();
        const run = await load(base, questions, c, durationSeconds);
        const client = process.cpuUsage(clientBefore);
        const cpuAfter = await cpuMsOf(server.pid);
        const perRequest = (ms: number) => Math.round((ms / Math.max(run.requests, 1)) * 1000) / 1000;
        if (cpuBefore !== undefined && cpuAfter !== undefined) run.serverCpuMsPerRequest = perRequest(cpuAfter - cpuBefore);
        run.clientCpuMsPerRequest = perRequest((client.user + client.system) / 1000);
        measured.get(c)!.push(run);
      }
    }
    const runs = connections.map((c) => medianRun(measured.get(c)!));
    return { readyMs, indexBuildMs: buildMs, runs, serverPeakRssMb: await rssOf(server.pid) };
  } finally {
    await stopServer(server);
  }
}
