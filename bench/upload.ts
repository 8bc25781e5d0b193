// Adding documents, measured through the real server with the model (docs/documents-upload.md):
//   1. upload-to-answerable: a 20- and a 200-paragraph Arabic document, from the POST to the
//      first answer that cites it (and to the 202 and the job's "done" on the way);
//   2. answers under load while a 200-paragraph document is indexed vs quiet: questions at 16
//      connections (autocannon), p50/p95 and errors of both, in one run on one server.
//
//   npx tsx bench/upload.ts [--quiet-seconds 20] [--connections 16] [--embedder transformers]
//
// The documents are generated here (the real article's words recombined, one unique fact per
// document to ask about), so the run needs nothing but the repository and the model in models/.
// Writes bench/results/upload.json and prints a markdown table.
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, waitForHealth } from "../test/e2e/support";
import { mulberry32 } from "./lib/random";

interface Client {
  on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): Client;
  stop(): void;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number; timeout: number; requests: { method: string; path: string; headers: Record<string, string>; body: string }[] },
  done: (error: Error | null, result: { errors: number; timeouts: number; non2xx: number; requests: { total: number } }) => void,
) => Client;
// autocannon ships no types; this is the part of its callback API used here (per-response latencies, stop()).
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const { values } = parseArgs({
  options: {
    "quiet-seconds": { type: "string", default: "20" },
    connections: { type: "string", default: "16" },
    embedder: { type: "string", default: "transformers" },
  },
});
const QUIET_SECONDS = Number(values["quiet-seconds"]);
const CONNECTIONS = Number(values.connections);
const TOKEN = "bench-upload-token-0123456789abcdef";
const ARTICLE = "corpus/000_c1add9699fc6f4ec.txt";
const QUESTIONS = ["من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟", "متى سيتم توقيع اتفاقية الضمانات الأمنية؟", "Who is the secretary of the Security Council of Belarus?", "ما هي عاصمة أستراليا؟"];
/** One fact per document, each in words of its own, so a question about one is not answered by another. */
const FACTS = [
  { sentence: "افتتحت شركة زيتونة للطاقة الشمسية مصنعها الجديد في مدينة صحار العمانية.", question: "أين افتتحت شركة زيتونة للطاقة الشمسية مصنعها الجديد؟" },
  { sentence: "أعلنت جامعة النيل الأزرق إنشاء مختبر لأبحاث المياه الجوفية في مدينة ود مدني.", question: "أين أنشأت جامعة النيل الأزرق مختبر أبحاث المياه الجوفية؟" },
  { sentence: "دشّن ميناء الدقم رصيفًا عائمًا لاستقبال سفن الحاويات العملاقة في فصل الربيع.", question: "ماذا دشّن ميناء الدقم لاستقبال سفن الحاويات؟" },
];

/** A document of `paragraphs` paragraphs of six sentences from the article's words; the middle one holds the fact. */
async function makeDocument(paragraphs: number, seed: number, fact: (typeof FACTS)[number]): Promise<{ text: string; question: string }> {
  const words = (await readFile(ARTICLE, "utf8")).split(/[\s.،؛:“”()–-]+/).filter((w) => w.length > 2);
  const random = mulberry32(seed);
  const sentence = () => Array.from({ length: 8 + Math.floor(random() * 8) }, () => words[Math.floor(random() * words.length)]).join(" ") + ".";
  const blocks = Array.from({ length: paragraphs }, () => Array.from({ length: 6 }, sentence).join(" "));
  blocks[Math.floor(paragraphs / 2)] = `${fact.sentence} ${blocks[Math.floor(paragraphs / 2)]}`;
  return { text: blocks.join("\n\n") + "\n", question: fact.question };
}

const root = await mkdtemp(join(tmpdir(), "bench-upload-"));
await mkdir(join(root, "corpus"));
await copyFile(ARTICLE, join(root, "corpus", "article.txt"));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
let log = "";
const server = spawn(process.execPath, ["--import", "tsx", "src/server/node.ts"], {
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", CORPUS_DIR: join(root, "corpus"), EMBEDDINGS_DIR: join(root, "embeddings"), EMBEDDER: values.embedder, ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "info" },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
server.stderr!.on("data", (chunk) => (log += chunk));
server.stdout!.on("data", (chunk) => (log += chunk));
server.once("exit", (code, signal) => (log += `\n[server exited: ${signal ?? `code ${code}`}]`));
const stop = () => {
  try {
    process.kill(-server.pid!, "SIGKILL");
  } catch {
    // already gone
  }
};
process.on("exit", stop);

/** Failed requests while polling for answerability (connection reset, non-2xx): reported, not fatal. */
let pollFailures = 0;
async function ask(question: string): Promise<{ citations?: { docId: string }[] }> {
  try {
    const response = await fetch(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
    if (!response.ok) pollFailures++;
    return (await response.json()) as { citations?: { docId: string }[] };
  } catch {
    pollFailures++;
    return {};
  }
}

async function upload(text: string, name: string): Promise<{ id: string; job: string; acceptedMs: number; started: number }> {
  const data = new FormData();
  data.append("file", new Blob([text]), name);
  const started = performance.now();
  const res = await fetch(`${url}/api/documents`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: data });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { documents: { id: string }[]; job: string };
  return { id: body.documents[0].id, job: body.job, acceptedMs: performance.now() - started, started };
}

async function jobDone(job: string): Promise<void> {
  for (;;) {
    const state = (await fetch(`${url}/api/jobs/${job}`)
      .then((r) => r.json())
      .catch(() => (pollFailures++, { stage: "unknown" }))) as { stage: string; error?: { message: string } };
    if (state.stage === "done") return;
    if (state.stage === "failed") throw new Error(`job failed: ${state.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Upload, then ask every 100 ms until an answer cites the document (among its citations). */
async function uploadToAnswerable(paragraphs: number, seed: number, fact: (typeof FACTS)[number]) {
  const { text, question } = await makeDocument(paragraphs, seed, fact);
  const { id, job, acceptedMs, started } = await upload(text, `doc-${paragraphs}.txt`);
  let doneMs = 0;
  const done = jobDone(job).then(() => (doneMs = performance.now() - started));
  done.catch(() => {}); // awaited below; a failure must not end the process before the log is printed
  const deadline = started + 30 * 60_000;
  for (;;) {
    const answer = await ask(question);
    if (answer.citations?.some((citation) => citation.docId === id)) break;
    if (performance.now() > deadline) throw new Error(`no answer cited ${id} within 30 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const answerableMs = performance.now() - started;
  await done;
  return { paragraphs, bytes: Buffer.byteLength(text), acceptedMs: Math.round(acceptedMs), jobDoneMs: Math.round(doneMs), answerableMs: Math.round(answerableMs) };
}

/** Questions at CONNECTIONS connections until `until` resolves (or for `seconds`); latency percentiles from every response. */
function load(options: { seconds?: number; until?: Promise<unknown> }) {
  return new Promise<{ requests: number; errors: number; non2xx: number; p50: number; p95: number; p99: number; seconds: number }>((resolve, reject) => {
    const latencies: number[] = [];
    const started = performance.now();
    const client = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: options.seconds ?? 3600,
        timeout: 30,
        requests: QUESTIONS.map((question) => ({ method: "POST", path: "/api/answer", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) })),
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
        resolve({ requests: latencies.length, errors: result.errors + result.timeouts, non2xx: result.non2xx, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), seconds: Math.round((performance.now() - started) / 100) / 10 });
      },
    );
    client.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
    options.until?.then(() => client.stop(), () => client.stop());
  });
}

try {
  await waitForHealth(`${url}/api/health`, () => server.exitCode !== null, () => log);
  const health = (await (await fetch(`${url}/api/health`)).json()) as { embedder: { id: string } };
  for (const question of QUESTIONS) await ask(question);

  const answerable = [await uploadToAnswerable(20, 11, FACTS[0]), await uploadToAnswerable(200, 12, FACTS[1])];
  const quiet = await load({ seconds: QUIET_SECONDS });
  const { text } = await makeDocument(200, 13, FACTS[2]);
  const indexingUpload = await upload(text, "doc-200-under-load.txt");
  const indexed = jobDone(indexingUpload.job);
  const indexing = await load({ until: indexed });
  await indexed;

  const commit = await new Promise<string>((resolve) => {
    const git = spawn("git", ["rev-parse", "--short", "HEAD"]);
    let out = "";
    git.stdout.on("data", (d) => (out += d));
    git.on("close", () => resolve(out.trim()));
  });
  const result = { date: new Date().toISOString(), commit, embedder: health.embedder.id, connections: CONNECTIONS, answerable, pollFailures, quiet, indexing };
  await writeFile("bench/results/upload.json", JSON.stringify(result, null, 2) + "\n");
  console.log(`embedder ${health.embedder.id}, commit ${commit}, ${result.date}\n`);
  console.log("| document | bytes | 202 after | job done after | first cited answer after |\n| --- | --- | --- | --- | --- |");
  for (const a of answerable) console.log(`| ${a.paragraphs} paragraphs | ${a.bytes} | ${a.acceptedMs} ms | ${(a.jobDoneMs / 1000).toFixed(1)} s | ${(a.answerableMs / 1000).toFixed(1)} s |`);
  console.log(`\n(${pollFailures} failed requests while polling for those)`);
  console.log(`\n| answers at ${CONNECTIONS} connections | seconds | answers | errors | non-2xx | p50 | p95 | p99 |\n| --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const [name, run] of [["quiet", quiet], ["while a 200-paragraph document is indexed", indexing]] as const) {
    console.log(`| ${name} | ${run.seconds} | ${run.requests} | ${run.errors} | ${run.non2xx} | ${run.p50} ms | ${run.p95} ms | ${run.p99} ms |`);
  }
} catch (error) {
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the server's last words, if it died
  console.error(`${error instanceof Error ? error.stack : error}\nserver log:\n${log.slice(-6000)}`);
  process.exitCode = 1;
} finally {
  stop();
  await rm(root, { recursive: true, force: true });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
