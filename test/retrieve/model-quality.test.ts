// Retrieval quality with the multilingual model (the default whenever npm install could get it),
// in-process on the seed article: the model's scoring and calibrated thresholds
// (src/retrieve/profiles.ts, scripts/tune-model.ts). Floors are today's measurements
// (`npx tsx scripts/tune-model.ts` prints them); raise them as retrieval improves. Outside CI the
// tests skip when the model is missing; in CI a missing model fails (see test/model/parity.test.ts).
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine";
import { createTransformersEmbedder, missingModelFiles } from "../../src/embed/transformers";
import { buildModelPipeline, loadCorpus } from "../../scripts/lib/engine";
import { evaluate, formatReport, readQuestions, type EvalReport } from "../../scripts/lib/evaluate";

const MODEL = "Xenova/multilingual-e5-small";
const modelsDir = process.env.MODELS_DIR ?? "models";
const present = missingModelFiles(modelsDir, MODEL).length === 0;
const DEV = "../shared/eval/dev.jsonl";

describe.runIf(present || process.env.CI)("with the multilingual model", () => {
  let engine: AnswerEngine;
  beforeAll(async () => {
    expect(missingModelFiles(modelsDir, MODEL), `the model is missing in CI: .ci/run must run npm run model:fetch`).toEqual([]);
    ({ engine } = await buildModelPipeline(await loadCorpus(), await createTransformersEmbedder({ model: MODEL, modelsDir })));
  }, 120_000);

  async function measure(file: string): Promise<EvalReport> {
    const report = await evaluate(engine, readQuestions(file));
    console.log(`${file} (model)\n${formatReport(report)}`);
    return report;
  }

  it.runIf(existsSync(DEV))("dev sample: no worse than the built-in embedder in any kind, crosslingual answered", async () => {
    // Measured: hit@1 0.875 (lexical, paraphrase, spelling 1.0; crosslingual 1 of 3), unanswerable refused 1.0.
    const r = await measure(DEV);
    expect(r.overall.fidelity).toBe(1);
    expect(r.byKind.lexical.hit1).toBe(1);
    expect(r.byKind.paraphrase.hit1).toBe(1);
    expect(r.byKind.unanswerable.abstainAccuracy).toBe(1);
    expect(r.byKind.crosslingual.hit1).toBeGreaterThanOrEqual(0.33);
    expect(r.overall.hit1).toBeGreaterThanOrEqual(0.87);
  }, 60_000);

  it("held-out split: questions in other languages answered, the rest as with words alone", async () => {
    // Measured: lexical 1.0, paraphrase 0.60 (0.73 at hit@3), spelling 0.875, crosslingual 0.60 (the
    // built-in embedder refuses all ten), unanswerable refused 0.25. Crosslingual was 0.70 before
    // questions in other languages were judged on their margin over the background
    // (retrieve/background.ts): one more of the ten is refused here, for 0.9-2.8 points of hit@1 and
    // 4-12 points of absent articles refused in each language of XQuAD's report half.
    const r = await measure("test/questions/heldout.jsonl");
    expect(r.overall.fidelity).toBe(1);
    expect(r.byKind.lexical.hit1).toBe(1);
    expect(r.byKind.crosslingual.hit1).toBeGreaterThanOrEqual(0.6);
    expect(r.byKind.paraphrase.hit3).toBeGreaterThanOrEqual(0.73);
    expect(r.overall.hit1).toBeGreaterThanOrEqual(0.75);
  }, 60_000);

  it("refuses off-topic questions in five languages", async () => {
    // Measured: 45 of 46 refused (0.978) before the model's bridge (retrieve/bridge.ts), 42 of 46
    // (0.913) when bridged words counted towards the refusal score, 43 of 46 (0.935) now that they
    // only rank (ScoredSentence.evidenceScore), with the threshold refitted (docs/quality-bridge.md).
    const r = await measure("test/questions/offtopic.jsonl");
    expect(r.byKind.unanswerable.abstainAccuracy).toBeGreaterThanOrEqual(0.93);
  }, 60_000);

  it("refuses off-topic questions asked in a chat after an answered question", async () => {
    // The chat sends history, and the previous question's meaning lifts every sentence on its topic:
    // a follow-up must be answerable on its own too. Measured: 0.957 after an Arabic question, 0.978
    // after an English one (0.33 and 0.43 before that rule); with the model's bridge 0.870 after the
    // Arabic one (see the test above for why).
    for (const content of ["متى سيتم التوقيع على اتفاقية الضمانات الأمنية؟", "Which countries are escalating the situation on the border?"]) {
      const history = [{ role: "user" as const, content }];
      const r = await evaluate(engine, readQuestions("test/questions/offtopic.jsonl").map((q) => ({ ...q, history })));
      expect(r.byKind.unanswerable.abstainAccuracy, content).toBeGreaterThanOrEqual(0.86);
    }
    // Real follow-ups still resolve with their history.
    const followups = await measure("test/questions/followups.jsonl");
    expect(followups.overall.hit1).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it("answers Russian questions through the model", async () => {
    // Measured: 5 of 6 (0.833), none refused.
    const r = await measure("test/questions/russian.jsonl");
    expect(r.byKind.crosslingual.hit1).toBeGreaterThanOrEqual(0.83);
  }, 60_000);
});
