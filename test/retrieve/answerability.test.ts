import { describe, expect, it } from "vitest";
import { createEvidenceTest, matchedWords } from "../../src/retrieve/answerability";
import type { TermGroup } from "../../src/retrieve/query";

const group = (word: string, ...terms: string[]): TermGroup => ({ word, fromHistory: false, variants: [word, ...terms].map((term) => ({ term, weight: 1 })) });
const sentence = (...terms: string[]) => new Map(terms.map((t, i) => [t, [i]]));

describe("matchedWords", () => {
  it("counts a question word once, whichever of its variants the sentence holds", () => {
    const groups = [group("canada", "كندا"), group("capital", "عاصمه", "√عصم")];
    expect(matchedWords(groups, sentence("كندا", "عاصمه", "√عصم"))).toBe(2);
    expect(matchedWords(groups, sentence("√عصم"))).toBe(1); // a root is still a match: it is the word's own
    expect(matchedWords(groups, sentence("بولندا"))).toBe(0); // a shared core is not: near matches only rank
    expect(matchedWords([], sentence("كندا"))).toBe(0);
  });
});

describe("createEvidenceTest", () => {
  const enough = createEvidenceTest();
  it("asks for two of the question's words, or half of a shorter question's", () => {
    expect(enough(1, 7)).toBe(false); // one word of seven in common: coincidence
    expect(enough(2, 7)).toBe(true);
    expect(enough(1, 2)).toBe(true); // "Who is Dzermant?": the name is the question
    expect(enough(1, 1)).toBe(true);
    expect(enough(0, 1)).toBe(false);
  });
  it("finds no evidence in a question without content words", () => {
    expect(enough(0, 0)).toBe(false);
  });
  it("takes its bar from the options", () => {
    const strict = createEvidenceTest({ minWords: 3, minShare: 1 });
    expect(strict(2, 7)).toBe(false);
    expect(strict(3, 7)).toBe(true);
    expect(strict(2, 2)).toBe(true);
    expect(createEvidenceTest({ minWords: 1 })(1, 9)).toBe(true);
  });
});
