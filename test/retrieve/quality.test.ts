// Retrieval quality on the shared dev sample and this repo's own question sets, in-process with
// the built-in embedder, in two configurations:
//
// - the default install: no lexicons. Its floors are today's measurements of that configuration
//   (`npx tsx scripts/eval-local.ts`); raise them as retrieval improves, never lower them to pass.
//   Without translations, questions in other languages than Arabic mostly find no two words of
//   their own in a sentence and are refused (names by sound still answer half the Russian ones):
//   dev hit@1 0.81 instead of the answer-engine issue's 0.9, which needs a crosslingual bridge
//   (the multilingual model, or the lexicons below).
// - with the optional lexicons (`npm run lexicons`: GPL data built on the user's machine, never in
//   git or CI), checked only where they have been built. Floors: the measurements with them
//   (`npx tsx scripts/eval-local.ts --lexicons`).
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine";
import { LEXICON_NAMES, noLexicons, type Lexicons } from "../../src/text/lexicon";
import { loadLexicons } from "../../src/text/lexicon/load-node";
import { buildInMemoryPipeline, loadCorpus } from "../../scripts/lib/engine";
import { evaluate, formatReport, readQuestions, type EvalReport } from "../../scripts/lib/evaluate";

const DEV = "../shared/eval/dev.jsonl";

interface Floors {
  dev: { hit1: number; hit3: number; falseAbstain: number };
  heldout: {
    paraphraseHit1: number;
    paraphraseHit3: number;
    crosslingualHit1: number;
    crosslingualHit3: number;
    hit1: number;
    hit3: number;
    falseAbstain: number;
    unanswerableRefused: number;
  };
  offtopicRefused: number;
  offtopicAfterAnswerRefused: number;
  russian: { hit1: number; falseAbstain: number };
  followups: { hit1: number; hit3: number };
}

const DEFAULT_FLOORS: Floors = {
  // Measured: dev hit@1 0.813, hit@3 0.813, false refusals 0.188 (the three crosslingual questions).
  dev: { hit1: 0.81, hit3: 0.81, falseAbstain: 0.19 },
  // Measured: paraphrase 0.733 / 0.800, crosslingual 0 (all ten refused), overall 0.708 / 0.729,
  // false refusals 0.229, unanswerable refused 0.417.
  heldout: {
    paraphraseHit1: 0.73,
    paraphraseHit3: 0.8,
    crosslingualHit1: 0,
    crosslingualHit3: 0,
    hit1: 0.7,
    hit3: 0.72,
    falseAbstain: 0.23,
    unanswerableRefused: 0.41,
  },
  // Measured on the 46 questions (20 before): 0.913, and 0.804 after an answered question.
  offtopicRefused: 0.91,
  offtopicAfterAnswerRefused: 0.8,
  // Measured: 0.50, three of six refused: the answered ones are found by their names' sound.
  russian: { hit1: 0.5, falseAbstain: 0.5 },
  // Measured: 0.727 / 0.818.
  followups: { hit1: 0.72, hit3: 0.81 },
};

const LEXICON_FLOORS: Floors = {
  dev: { hit1: 0.9, hit3: 0.97, falseAbstain: 0.05 },
  heldout: {
    paraphraseHit1: 0.73,
    paraphraseHit3: 0.86,
    crosslingualHit1: 0.7,
    crosslingualHit3: 0.9,
    hit1: 0.85,
    hit3: 0.93,
    falseAbstain: 0.05,
    // Mostly near misses in the article's own words ("من هو وزير خارجية روسيا؟"): only the
    // off-topic three are refused, by the evidence gate; the rest needs a semantic model.
    unanswerableRefused: 0.25,
  },
  offtopicRefused: 0.75,
  // 0.05 before a follow-up had to bring a word of its own; the rest share one word (Moscow) with the article.
  offtopicAfterAnswerRefused: 0.55,
  russian: { hit1: 0.83, falseAbstain: 0 },
  // 0.91 with 1024-dimension vectors; at 256 (held-out hit@3 0.90 → 0.94) f07 drops to rank 3.
  followups: { hit1: 0.81, hit3: 0.9 },
};

const built = loadLexicons();
const allLexiconsBuilt = built.lexicons.loaded.length === LEXICON_NAMES.length;

const configurations: [name: string, lexicons: Lexicons, floors: Floors, run: boolean][] = [
  ["default install (no lexicons)", noLexicons, DEFAULT_FLOORS, true],
  ["with the optional lexicons (built with npm run lexicons)", built.lexicons, LEXICON_FLOORS, allLexiconsBuilt],
];

describe.each(configurations)("%s", (_name, lexicons, floors, run) => {
  let engine: AnswerEngine;
  beforeAll(async () => {
    if (run) ({ engine } = await buildInMemoryPipeline(await loadCorpus(), { lexicons }));
  });

  async function measure(file: string): Promise<EvalReport> {
    const report = await evaluate(engine, readQuestions(file));
    console.log(`${file}\n${formatReport(report)}`);
    return report;
  }

  describe.skipIf(!run || !existsSync(DEV))("dev sample", () => {
    it("answers lexical questions first time, refuses the unanswerable, cites faithfully", async () => {
      const r = await measure(DEV);
      expect(r.byKind.lexical.hit1).toBeGreaterThanOrEqual(0.95);
      expect(r.byKind.unanswerable.abstainAccuracy).toBe(1);
      expect(r.overall.fidelity).toBe(1);
      expect(r.overall.hit1).toBeGreaterThanOrEqual(floors.dev.hit1);
      expect(r.overall.hit3).toBeGreaterThanOrEqual(floors.dev.hit3);
      expect(r.overall.falseAbstain).toBeLessThanOrEqual(floors.dev.falseAbstain);
    });
  });

  describe.skipIf(!run)("own question sets", () => {
    it("held-out split: floors per kind", async () => {
      const r = await measure("test/questions/heldout.jsonl");
      const f = floors.heldout;
      expect(r.overall.fidelity).toBe(1);
      expect(r.byKind.lexical.hit1).toBe(1);
      expect(r.byKind.spelling.hit1).toBe(1);
      expect(r.byKind.paraphrase.hit1).toBeGreaterThanOrEqual(f.paraphraseHit1);
      expect(r.byKind.paraphrase.hit3).toBeGreaterThanOrEqual(f.paraphraseHit3);
      expect(r.byKind.crosslingual.hit1).toBeGreaterThanOrEqual(f.crosslingualHit1);
      expect(r.byKind.crosslingual.hit3).toBeGreaterThanOrEqual(f.crosslingualHit3);
      expect(r.overall.hit1).toBeGreaterThanOrEqual(f.hit1);
      expect(r.overall.hit3).toBeGreaterThanOrEqual(f.hit3);
      expect(r.overall.falseAbstain).toBeLessThanOrEqual(f.falseAbstain);
      expect(r.byKind.unanswerable.abstainAccuracy).toBeGreaterThanOrEqual(f.unanswerableRefused);
      if (lexicons === noLexicons) {
        // Without a bridge between languages the engine refuses rather than guesses: no question
        // in another language is answered with a wrong sentence.
        const wrong = r.rows.filter((row) => row.question.kind === "crosslingual" && !row.abstained && row.rank !== 1);
        expect(wrong.map((row) => row.question.id)).toEqual([]);
      }
    });

    it("off-topic questions (the dev sample's kind of unanswerable) are refused", async () => {
      const r = await measure("test/questions/offtopic.jsonl");
      expect(r.byKind.unanswerable.abstainAccuracy).toBeGreaterThanOrEqual(floors.offtopicRefused);
    });

    it("off-topic questions asked in a chat after an answered question are refused too", async () => {
      // The chat sends history, and short questions borrow the previous one's words.
      const history = [{ role: "user" as const, content: "متى سيتم التوقيع على اتفاقية الضمانات الأمنية؟" }];
      const r = await evaluate(engine, readQuestions("test/questions/offtopic.jsonl").map((q) => ({ ...q, history })));
      console.log(`offtopic.jsonl after an answered question\n${formatReport(r)}`);
      expect(r.byKind.unanswerable.abstainAccuracy).toBeGreaterThanOrEqual(floors.offtopicAfterAnswerRefused);
    });

    it("Russian questions, through names by sound (and the inverted English–Russian dictionaries when built)", async () => {
      const r = await measure("test/questions/russian.jsonl");
      expect(r.byKind.crosslingual.hit1).toBeGreaterThanOrEqual(floors.russian.hit1);
      expect(r.overall.falseAbstain).toBeLessThanOrEqual(floors.russian.falseAbstain);
    });

    it("follow-ups resolved with the history", async () => {
      const r = await measure("test/questions/followups.jsonl");
      expect(r.overall.hit1).toBeGreaterThanOrEqual(floors.followups.hit1);
      expect(r.overall.hit3).toBeGreaterThanOrEqual(floors.followups.hit3);
      expect(r.overall.fidelity).toBe(1);
    });
  });
});
