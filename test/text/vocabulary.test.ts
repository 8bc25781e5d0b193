import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/text";
import { corpusVocabulary } from "../../src/text/vocabulary";

const analyzer = createAnalyzer();
const wordsOf = (text: string) => analyzer.words(text);
const pool = ["روسيا", "وروسيا", "بيلاروسيا", "الاتحاد", "مينسك", "Grushko", "جروشكو", "قال", "إن", "أن", "news", "Минск", "٢٠٢٥", "2025"];
const documentText = fc.array(fc.constantFrom(...pool), { minLength: 0, maxLength: 12 }).map((words) => words.join(" "));

describe("corpusVocabulary", () => {
  it("is every document's words, once each, in order of first occurrence, whatever an earlier build left", () => {
    fc.assert(
      fc.property(fc.array(documentText, { maxLength: 6 }), fc.array(documentText, { maxLength: 6 }), (earlierTexts, texts) => {
        const earlier = corpusVocabulary({ texts: earlierTexts, wordsOf });
        const { words, byDocument } = corpusVocabulary({ texts, wordsOf, previous: earlier.byDocument });
        expect(words).toEqual([...new Set(texts.flatMap(wordsOf))]);
        for (const text of texts) expect(byDocument.get(text)).toEqual([...new Set(wordsOf(text))]);
        expect([...byDocument.keys()].sort()).toEqual([...new Set(texts)].sort());
      }),
      { numRuns: 300 },
    );
  });

  it("tokenizes only the documents an earlier build did not have", () => {
    const earlier = corpusVocabulary({ texts: ["قال الوزير", "روسيا وبيلاروسيا"], wordsOf });
    const tokenized: string[] = [];
    const next = corpusVocabulary({ texts: ["قال الوزير", "نص جديد قال"], wordsOf: (text) => (tokenized.push(text), wordsOf(text)), previous: earlier.byDocument });
    expect(tokenized).toEqual(["نص جديد قال"]);
    expect(next.byDocument.get("قال الوزير")).toBe(earlier.byDocument.get("قال الوزير"));
    expect(next.words).toEqual(["قال", "الوزير", "نص", "جديد"]);
  });
});
