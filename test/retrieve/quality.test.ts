// Retrieval quality on the shared dev sample and this repo's own question sets, in-process with
// the built-in embedder. The dev-set bars are the answer-engine issue's; the held-out floors are
// today's measurements (raise them as retrieval improves, never lower them to pass).
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine";
import { buildInMemoryPipeline, loadCorpus } from "../../scripts/lib/engine";
import { evaluate, formatReport, readQuestions, type EvalReport } from "../../scripts/lib/evaluate";

const DEV = "../shared/eval/dev.jsonl";
let engine: AnswerEngine;
beforeAll(async () => {
  ({ engine } = await buildInMemoryPipeline(await loadCorpus()));
});

async function run(file: string): Promise<EvalReport> {
  const report = await evaluate(engine, readQuestions(file));
  console.log(`${file}\n${formatReport(report)}`);
  return report;
}

describe.skipIf(!existsSync(DEV))("dev sample", () => {
  it("answers lexical questions first time, refuses the unanswerable, cites faithfully", async () => {
    const r = await run(DEV);
    expect(r.byKind.lexical.hit1).toBeGreaterThanOrEqual(0.95);
    expect(r.byKind.unanswerable.abstainAccuracy).toBe(1);
    expect(r.overall.fidelity).toBe(1);
    expect(r.overall.hit1).toBeGreaterThanOrEqual(0.9);
    expect(r.overall.hit3).toBeGreaterThanOrEqual(0.97);
    expect(r.overall.falseAbstain).toBeLessThanOrEqual(0.05);
  });
});

describe("own question sets", () => {
  it("held-out split: floors per kind", async () => {
    const r = await run("test/questions/heldout.jsonl");
    expect(r.overall.fidelity).toBe(1);
    expect(r.byKind.lexical.hit1).toBe(1);
    expect(r.byKind.spelling.hit1).toBe(1);
    expect(r.byKind.paraphrase.hit1).toBeGreaterThanOrEqual(0.73);
    expect(r.byKind.paraphrase.hit3).toBeGreaterThanOrEqual(0.86);
    expect(r.byKind.crosslingual.hit1).toBeGreaterThanOrEqual(0.7);
    expect(r.byKind.crosslingual.hit3).toBeGreaterThanOrEqual(0.9);
    expect(r.overall.hit1).toBeGreaterThanOrEqual(0.85);
    expect(r.overall.hit3).toBeGreaterThanOrEqual(0.93);
    expect(r.overall.falseAbstain).toBeLessThanOrEqual(0.05);
    // Mostly near misses in the article's own words ("من هو وزير خارجية روسيا؟"): only the
    // off-topic three are refused, by the evidence gate; the rest needs a semantic model.
    expect(r.byKind.unanswerable.abstainAccuracy).toBeGreaterThanOrEqual(0.25);
  });

  it("off-topic questions (the dev sample's kind of unanswerable) are refused", async () => {
    const r = await run("test/questions/offtopic.jsonl");
    expect(r.byKind.unanswerable.abstainAccuracy).toBeGreaterThanOrEqual(0.75);
  });

  it("off-topic questions asked in a chat after an answered question are refused too", async () => {
    // The chat sends history, and short questions borrow the previous one's words: 0.05 before a
    // follow-up had to bring a word of its own; the rest share one word (Moscow) with the article.
    const history = [{ role: "user" as const, content: "متى سيتم التوقيع على اتفاقية الضمانات الأمنية؟" }];
    const r = await evaluate(engine, readQuestions("test/questions/offtopic.jsonl").map((q) => ({ ...q, history })));
    expect(r.byKind.unanswerable.abstainAccuracy).toBeGreaterThanOrEqual(0.55);
  });

  it("Russian questions, through the inverted English–Russian dictionaries and names by sound", async () => {
    const r = await run("test/questions/russian.jsonl");
    expect(r.byKind.crosslingual.hit1).toBeGreaterThanOrEqual(0.83);
    expect(r.overall.falseAbstain).toBe(0);
  });

  it("follow-ups resolved with the history", async () => {
    const r = await run("test/questions/followups.jsonl");
    // 0.91 with 1024-dimension vectors; at 256 (held-out hit@3 0.90 → 0.94) f07 drops to rank 3.
    expect(r.overall.hit1).toBeGreaterThanOrEqual(0.81);
    expect(r.overall.hit3).toBeGreaterThanOrEqual(0.9);
    expect(r.overall.fidelity).toBe(1);
  });
});
