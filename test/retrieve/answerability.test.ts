import { describe, expect, it } from "vitest";
import { createEvidenceTest, evidenceOf } from "../../src/retrieve/answerability";
import type { TermGroup } from "../../src/retrieve/query";

const group = (word: string, terms: string[] = [], fromHistory = false): TermGroup => ({ word, fromHistory, variants: [word, ...terms].map((term) => ({ term, weight: 1 })) });
const sentence = (...terms: string[]) => new Map(terms.map((t, i) => [t, [i]]));
/** A question of `total` words of its own, `matched` of them found. */
const own = (matched: number, total: number) => ({ matched, total, ownMatched: matched, ownTotal: total });

describe("evidenceOf", () => {
  const groups = [group("canada", ["كندا"]), group("capital", ["عاصمه", "√عصم"])];
  it("counts a question word once, whichever of its variants the sentence holds", () => {
    expect(evidenceOf(groups, sentence("كندا", "عاصمه", "√عصم")).matched).toBe(2);
    expect(evidenceOf(groups, sentence("√عصم")).matched).toBe(1); // a root is still a match: it is the word's own
    expect(evidenceOf(groups, sentence("بولندا")).matched).toBe(0); // a shared core is not: near matches only rank
    expect(evidenceOf([], sentence("كندا")).matched).toBe(0);
  });
  it("tells the question's own words from those borrowed from the previous question", () => {
    const followUp = [group("توقيعها"), group("اتفاقيه", [], true), group("ضمانات", [], true)];
    expect(evidenceOf(followUp, sentence("اتفاقيه", "ضمانات"))).toEqual({ matched: 2, total: 3, ownMatched: 0, ownTotal: 1 });
  });
});

describe("createEvidenceTest", () => {
  const enough = createEvidenceTest();
  it("asks for two of the question's words, or half of a shorter question's", () => {
    expect(enough(own(1, 7))).toBe(false); // one word of seven in common: coincidence
    expect(enough(own(2, 7))).toBe(true);
    expect(enough(own(1, 2))).toBe(true); // "Who is Dzermant?": the name is the question
    expect(enough(own(1, 1))).toBe(true);
    expect(enough(own(0, 1))).toBe(false);
  });
  it("finds no evidence in a question without content words", () => {
    expect(enough(own(0, 0))).toBe(false);
  });
  it("lets a follow-up lean on the previous question only when it brings a word of its own, or has none", () => {
    // "What is the capital of Canada?" after an answered question: only the earlier words match.
    expect(enough({ matched: 3, total: 5, ownMatched: 0, ownTotal: 2 })).toBe(false);
    expect(enough({ matched: 3, total: 5, ownMatched: 1, ownTotal: 2 })).toBe(true); // "ومتى سيتم توقيعها؟"
    expect(enough({ matched: 3, total: 3, ownMatched: 0, ownTotal: 0 })).toBe(true); // "ولماذا؟"
  });
  it("takes its bar from the options", () => {
    const strict = createEvidenceTest({ minWords: 3, minShare: 1 });
    expect(strict(own(2, 7))).toBe(false);
    expect(strict(own(3, 7))).toBe(true);
    expect(strict(own(2, 2))).toBe(true);
    expect(createEvidenceTest({ minWords: 1 })(own(1, 9))).toBe(true);
  });
});
