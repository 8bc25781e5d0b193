import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createNearMatcher, shortestWindow } from "../../src/retrieve/signals";

describe("shortestWindow", () => {
  it("finds the shortest run of words holding every group", () => {
    // group 0 at words 0 and 9, group 1 at word 10: the run 9–10 holds both.
    expect(shortestWindow([[0, 0], [9, 0], [10, 1]], 2)).toBe(2);
    expect(shortestWindow([[2, 0], [5, 1], [7, 2]], 3)).toBe(6);
    expect(shortestWindow([], 2)).toBe(Infinity);
  });
});

describe("createNearMatcher", () => {
  const terms = (...t: string[]) => new Map(t.map((x) => [x, [0]]));
  it("matches a stem the stemmers missed by its long common core, and nothing short", () => {
    const sentences = [terms("متعلقت"), terms("حالي"), terms("2024"), terms("~تحدد")];
    const near = createNearMatcher(["يتعلق", "استراليا", "2024", "تحدد"], sentences);
    expect(near("يتعلق", sentences[0])).toBe(1); // تعلق: 4 letters, ≥ 60% of 6
    expect(near("استراليا", sentences[1])).toBe(0); // الي: 3 letters, < 60% of 8
    expect(near("2024", sentences[2])).toBe(0); // numbers match exactly or not at all
    expect(near("تحدد", sentences[3])).toBe(0); // marked (Snowball/root) terms are already loose
    expect(near("يتعلق", sentences[1])).toBe(0); // only the sentence's own terms count
  });

  it("agrees with comparing every question term with every sentence term", () => {
    // The definition, term by term: a common substring of ≥ 3 letters and ≥ 60% of the longer word.
    const lcs = (a: string, b: string) => {
      let best = 0;
      for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) {
        let k = 0;
        while (a[i + k] !== undefined && a[i + k] === b[j + k]) k++;
        best = Math.max(best, k);
      }
      return best;
    };
    const eligible = (t: string) => t.length >= 3 && /^[\p{L}\p{N}]/u.test(t) && !/^\d+$/.test(t);
    const bruteForce = (term: string, sentence: Map<string, number[]>) =>
      eligible(term) && [...sentence.keys()].some((other) => eligible(other) && lcs(term, other) >= 3 && lcs(term, other) >= 0.6 * Math.max(term.length, other.length)) ? 1 : 0;
    // A four-letter alphabet makes shared cores common; "~" marks loose terms, digits numbers.
    const term = fc.string({ unit: fc.constantFrom("ب", "ت", "ع", "ل", "~", "1"), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.array(term, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), fc.array(term, { maxLength: 6 }), (sentenceWords, questionTerms) => {
        const sentences = sentenceWords.map((words) => terms(...words));
        const near = createNearMatcher(questionTerms, sentences);
        for (const q of questionTerms) for (const sentence of sentences) expect(near(q, sentence)).toBe(bruteForce(q, sentence));
      }),
      { numRuns: 300 },
    );
  });
});
