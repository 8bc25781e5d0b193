// HTTP load alone at one size, for quick before/after comparisons of server settings:
//   tsx bench/http-only.ts --size 10000 --duration 10 --variants "WORKERS=1;WORKERS=2"
// The synthetic corpus and its index are kept in --dir between runs (built once by the first
// server), so each variant only loads them. Variants run one after the other on the same index.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/corpus/build";
import { loadCorpusDir } from "../src/corpus/load-node";
import { measureHttp } from "./http";
import { devQuestions, generatedQuestions } from "./lib/questions";
import { synthesizeCorpus } from "./lib/synth";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "10000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "1,8,32" },
    /** Semicolon-separated variants, each a comma-separated list of KEY=VALUE server settings. */
    variants: { type: "string", default: "" },
    dir: { type: "string" },
    corpus: { type: "string", default: "corpus" },
  },
});

const dir = args.dir ?? join(tmpdir(), `bench-http-only-${args.size}`);
const corpusDir = join(dir, "corpus");
const real = (await loadCorpusDir(args.corpus)).corpus;
const files = synthesizeCorpus({ sentences: real.sentences.map((s) => s.text), passages: Number(args.size) });
if (!existsSync(corpusDir)) {
  for (const file of files) {
    mkdirSync(dirname(join(corpusDir, file.name)), { recursive: true });
    writeFileSync(join(corpusDir, file.name), file.bytes);
  }
}
const corpus = buildCorpus(files).corpus;
const questions = [...devQuestions(), ...generatedQuestions(corpus, 200, 7)];
const variants = args.variants.split(";").map((v) => Object.fromEntries(v.split(",").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as [string, string])));

for (const env of variants) {
  const label = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(",") || "defaults";
  const result = await measureHttp({
    corpusDir,
    embeddingsDir: join(dir, "embeddings"),
    questions,
    connections: args.connections.split(",").map(Number),
    durationSeconds: Number(args.duration),
    env,
  });
  for (const r of result.runs) {
    console.log(`${label.padEnd(24)} ${String(r.connections).padStart(3)} conn: ${String(r.requestsPerSecond).padStart(5)}/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  errors ${r.errors + r.non2xx + r.timeouts}  CPU ms/request: server ${r.serverCpuMsPerRequest}, autocannon ${r.clientCpuMsPerRequest}  (ready ${result.readyMs} ms, peak RSS ${result.serverPeakRssMb} MB)`);
  }
}
