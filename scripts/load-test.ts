// Load test: starts `npm start` on 127.0.0.1 (rate limit raised), drives it with autocannon,
// samples the server's resident memory every second, and fails on any error, timeout or non-2xx.
//
//   npx tsx scripts/load-test.ts [--duration 60] [--connections 64] [--json]
//
// Linux only (memory is read from /proc). The server runs in its own process group, which is
// killed whatever happens.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { parseArgs } from "node:util";

interface AutocannonResult {
  requests: { total: number; average: number; sent: number };
  latency: { p50: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: { method: string; path: string; headers: Record<string, string>; body: string }[];
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "64" },
    json: { type: "boolean", default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
if (!(duration > 0) || !(connections > 0)) throw new Error("--duration and --connections must be positive numbers");

const QUESTIONS = [
  { question: "من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟" },
  { question: "متى سيتم توقيع اتفاقية الضمانات الأمنية؟", topK: 3 },
  { question: "Who is the secretary of the Security Council of Belarus?" },
  { question: "ما هي عاصمة أستراليا؟" },
  { question: "ومتى تأسست؟", history: [{ role: "user", content: "ما هي دولة الاتحاد؟" }, { role: "assistant", content: "دولة الاتحاد بين روسيا وبيلاروسيا." }] },
];

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawn("npm", ["start"], {
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", RATE_LIMIT_PER_MINUTE: "1000000000", RATE_LIMIT_BURST: "1000000", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true, // its own process group: one kill reaches npm, tsx and the server
});
const stopServer = () => {
  try {
    process.kill(-server.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
};
process.on("exit", stopServer);
process.on("SIGINT", () => process.exit(130));

let exitCode = 1;
try {
  await waitUntilReady(url, 120_000);
  const rss: number[] = [];
  const sampleRss = () => rss.push(groupRssMb(server.pid!));
  sampleRss();
  const sampler = setInterval(sampleRss, 1000);
  const result = await autocannon({
    url,
    connections,
    duration,
    timeout: 10,
    requests: QUESTIONS.map((body) => ({ method: "POST", path: "/api/answer", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })),
  });
  clearInterval(sampler);
  sampleRss();

  const summary = {
    duration,
    connections,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    rssMb: { start: rss[0], peak: Math.max(...rss), end: rss[rss.length - 1], samples: rss },
  };
  if (values.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`${summary.requests} requests in ${duration} s over ${connections} connections: ${summary.rps} req/s`);
    console.log(`latency p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`);
    console.log(`errors ${summary.errors}, timeouts ${summary.timeouts}, non-2xx ${summary.non2xx}; status codes ${JSON.stringify(summary.statusCodes)}`);
    console.log(`server RSS (MB): start ${summary.rssMb.start}, peak ${summary.rssMb.peak}, end ${summary.rssMb.end}`);
    console.log(`RSS every second: ${rss.join(" ")}`);
  }
  exitCode = result.errors + result.timeouts + result.non2xx === 0 && result.requests.total > 0 ? 0 : 1;
} finally {
  stopServer();
}
process.exit(exitCode);

async function waitUntilReady(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ready) return;
    if (server.exitCode !== null) throw new Error(`npm start exited with code ${server.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms`);
}

/** Resident memory, in MB, of the largest process in the group: the server (npm and tsx are small wrappers). */
function groupRssMb(group: number): number {
  let largestKb = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      // Fields after the command name (which may contain spaces): state ppid pgrp ...
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgrp !== group) continue;
      const kb = Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
      largestKb = Math.max(largestKb, kb);
    } catch {
      // The process ended while being read.
    }
  }
  return Math.round(largestKb / 1024);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}
