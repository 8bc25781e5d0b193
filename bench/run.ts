// The benchmark: `npm run bench` (full) or `npm run bench -- --quick` (real corpus and 1k, < 2 min, no thresholds).
// Each corpus size runs in its own child process (bench/size.ts) so its peak RSS is its own;
// then the real server is started per size for the HTTP load (bench/http.ts).
// Writes bench/results/{full,quick}.json and .md; a full run also draws bench/results/chart.svg.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { measureHttp, stopServer } from "./http";
import { renderChart } from "./lib/chart";
import { devQuestions, generatedQuestions } from "./lib/questions";
import { checkTargets, renderTables, type HttpSizeResult, type SizeResult } from "./lib/report";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    /** Comma-separated sizes, "real" or passage counts; overrides the preset. */
    sizes: { type: "string" },
    "http-sizes": { type: "string" },
    duration: { type: "string" },
    /** Write a V8 CPU profile per size child into bench/results/tmp/profiles. */
    profile: { type: "boolean", default: false },
    corpus: { type: "string", default: "corpus" },
  },
});

const PRESETS = {
  quick: { sizes: ["real", "1000"], httpSizes: ["real", "1000"], questions: 60, duration: 2, httpRepeats: 1, sweepAt: [] as string[] },
  full: { sizes: ["real", "1000", "10000", "100000"], httpSizes: ["real", "1000", "10000"], questions: 300, duration: 10, httpRepeats: 3, sweepAt: ["10000"] },
};
const preset = args.quick ? PRESETS.quick : PRESETS.full;
const sizes = args.sizes?.split(",") ?? preset.sizes;
const httpSizes = args["http-sizes"]?.split(",").filter(Boolean) ?? preset.httpSizes;
const duration = Number(args.duration ?? preset.duration);
const CONNECTIONS = [1, 8, 32];
const RESULTS = "bench/results";
const TMP = join(RESULTS, "tmp");
const name = args.quick ? "quick" : "full";

// Every child is tracked, so an interrupted run leaves no process behind.
const children = new Set<ChildProcess>();
const track = (child: ChildProcess) => {
  children.add(child);
  child.once("exit", () => children.delete(child));
};
const scratch: string[] = [];
function cleanUp() {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanUp);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

async function runSize(size: string): Promise<SizeResult> {
  const out = join(TMP, `size-${size}.json`);
  const node = ["--expose-gc", "--import", "tsx"];
  if (args.profile) node.push("--cpu-prof", "--cpu-prof-dir", join(TMP, "profiles"), "--cpu-prof-name", `size-${size}.cpuprofile`);
  const argv = [...node, "bench/size.ts", "--size", size, "--out", out, "--questions", String(preset.questions), "--corpus", args.corpus];
  if (preset.sweepAt.includes(size)) argv.push("--sweep");
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "inherit", "inherit"] });
  track(child);
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`bench/size.ts --size ${size} exited with ${code}`);
  return JSON.parse(readFileSync(out, "utf8")) as SizeResult;
}

async function runHttp(size: string): Promise<HttpSizeResult> {
  const dir = mkdtempSync(join(tmpdir(), `bench-http-${size}-`));
  scratch.push(dir);
  const real = (await loadCorpusDir(args.corpus)).corpus;
  let corpusDir = args.corpus;
  let corpus = real;
  if (size !== "real") {
    corpusDir = join(dir, "corpus");
    const files = synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: Number(size) });
    for (const file of files) {
      mkdirSync(dirname(join(corpusDir, file.name)), { recursive: true });
      writeFileSync(join(corpusDir, file.name), file.bytes);
    }
    corpus = buildCorpus(files).corpus;
  }
  const questions = [...devQuestions(), ...generatedQuestions(corpus, 200, 7)];
  console.error(`[http ${size}] starting the server on ${corpus.passages.length} passages`);
  const result = await measureHttp({ corpusDir, embeddingsDir: join(dir, "embeddings"), questions, connections: CONNECTIONS, durationSeconds: duration, repeats: preset.httpRepeats }, track);
  for (const r of result.runs) console.error(`[http ${size}] ${r.connections} connections: ${r.requestsPerSecond}/s, p99 ${r.latencyMs.p99} ms, errors ${r.errors + r.non2xx}`);
  rmSync(dir, { recursive: true, force: true });
  return { size, passages: corpus.passages.length, ...result };
}

function machine() {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

async function main() {
  mkdirSync(TMP, { recursive: true });
  const started = new Date();
  const before = machine();
  const sizeResults: SizeResult[] = [];
  for (const size of sizes) sizeResults.push(await runSize(size));
  const httpResults: HttpSizeResult[] = [];
  for (const size of httpSizes) httpResults.push(await runHttp(size));

  const targets = args.quick ? undefined : checkTargets(sizeResults, httpResults);
  const results = {
    kind: name,
    startedAt: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 1000),
    machine: { ...before, loadAverageAtEnd: machine().loadAverage },
    sizes: sizeResults,
    http: httpResults,
    targets,
  };
  writeFileSync(join(RESULTS, `${name}.json`), JSON.stringify(results, null, 2) + "\n");
  const header = `Run ${results.startedAt} (${results.seconds} s) on ${before.nproc}× ${before.cpu}, ${before.memoryGb} GB, Node ${before.node}; load average ${before.loadAverage.join(" ")} at start, ${results.machine.loadAverageAtEnd.join(" ")} at end.\n\n`;
  writeFileSync(join(RESULTS, `${name}.md`), header + renderTables(sizeResults, httpResults, targets));
  if (!args.quick) {
    const points = sizeResults.map((s) => ({ passages: s.corpus.passages, ...s.query.answer, buildSeconds: s.build.totalMs / 1000 }));
    writeFileSync(join(RESULTS, "chart.svg"), renderChart(points, `${before.nproc}× ${before.cpu}, Node ${before.node}, ${results.startedAt.slice(0, 10)}`));
  }
  console.error(`wrote ${RESULTS}/${name}.json and ${name}.md in ${results.seconds} s`);
}

main().then(
  () => process.exit(0),
  async (error) => {
    console.error(error instanceof Error ? error.stack : error);
    await Promise.all([...children].map(stopServer));
    process.exit(1);
  },
);
