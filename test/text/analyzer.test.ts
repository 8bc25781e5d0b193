import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAnalyzer, createProcessTerm } from "../../src/text/analyzer";
import { normalizeArabic } from "../../src/text/normalize";
import { ARABIC_STOP_WORDS, ENGLISH_STOP_WORDS } from "../../src/text/stop-words";

describe("createAnalyzer (defaults)", () => {
  const analyzer = createAnalyzer();

  it("drops Arabic question words, prepositions, pronouns and auxiliaries", () => {
    expect(analyzer.analyze("ما الذي تم في هذا؟ متى وأين ومن هل كيف لماذا كم أي التي")).toEqual([]);
  });

  it("drops a stop word glued to و or ف", () => {
    expect(analyzer.analyze("وفي وهذه فإن ومن")).toEqual([]);
  });

  it("keeps content words, including قال and غير", () => {
    const terms = analyzer.analyze("قال غير");
    expect(terms).toContain("قال");
    expect(terms).toContain("غير");
  });

  it("matches a question to the source sentence despite clitics, spelling and tanween", () => {
    const question = new Set(analyzer.analyze("متى ستتبنى روسيا وبيلاروسيا مفهوماً أمنياً جديداً لدولة الاتحاد؟"));
    const source = analyzer.analyze("إن روسيا وبيلاروسيا ستتبنىان في عام 2025 مفهوماً أمنياً جديداً لدولة الاتحاد");
    for (const term of ["روسيا", "تتبني", "مفهوم", "امني", "جديد", "دولت", "اتحاد"]) {
      expect(question.has(term)).toBe(true);
      expect(source).toContain(term);
    }
  });

  it("drops English stop words and strips plurals", () => {
    expect(analyzer.analyze("What are the security guarantees of the Union State?")).toEqual(["security", "guarantee", "union", "state"]);
  });

  it("keeps numbers", () => {
    expect(analyzer.analyze("للفترة ٢٠٢٤-٢٠٢٦")).toEqual(expect.arrayContaining(["2024", "2026"]));
  });

  it("repeats terms for repeated words (BM25 counts them), but one word's duplicate variants count once", () => {
    expect(analyzer.analyze("nato nato")).toEqual(["nato", "nato"]);
    expect(createAnalyzer({ processTerm: (w) => [w, w, "x"] }).analyze("a b")).toEqual(["a", "x", "b", "x"]);
  });

  it("words() returns normalized words before stop words and stemming", () => {
    expect(analyzer.words("ما هو المفهومُ الأمنيّ؟")).toEqual(["ما", "هو", "المفهوم", "الامني"]);
  });
});

describe("createAnalyzer (options)", () => {
  it("uses a processTerm that returns synonyms, drops on null, undefined and empty strings", () => {
    const analyzer = createAnalyzer({
      processTerm: (word) => (word === "nato" ? ["nato", "الناتو"] : word === "drop" ? null : word === "gone" ? undefined : word === "empty" ? "" : word),
    });
    expect(analyzer.analyze("NATO drop gone empty the")).toEqual(["nato", "الناتو", "the"]);
  });

  it("composes with the default processTerm", () => {
    const base = createProcessTerm();
    const synonyms: Record<string, string[]> = { [normalizeArabic("الناتو")]: ["nato"] };
    const analyzer = createAnalyzer({
      processTerm: (word) => {
        const terms = base(word);
        if (!terms) return terms;
        return [...(Array.isArray(terms) ? terms : [terms]), ...(synonyms[word] ?? [])];
      },
    });
    expect(analyzer.analyze("في الناتو")).toContain("nato");
    expect(analyzer.analyze("في الناتو")).not.toContain("في");
  });

  it("uses custom stop words, normalize and tokenize", () => {
    expect(createAnalyzer({ stopWords: new Set(["nato"]) }).analyze("NATO the")).toEqual(["the"]);
    const upper = createAnalyzer({ normalize: (text) => text.toUpperCase(), tokenize: (text) => text.split(" "), processTerm: (w) => w });
    expect(upper.analyze("a b")).toEqual(["A", "B"]);
    expect(upper.words("a b")).toEqual(["A", "B"]);
  });
});

describe("stop word lists", () => {
  it("are normalized and lowercase", () => {
    for (const word of ARABIC_STOP_WORDS) expect(normalizeArabic(word)).toBe(word);
    for (const word of ENGLISH_STOP_WORDS) expect(word).toBe(word.toLowerCase());
    expect(ARABIC_STOP_WORDS.has("الي")).toBe(true); // إلى
    expect(ARABIC_STOP_WORDS.has("قال")).toBe(false);
  });
});

describe("analyze on arbitrary input", () => {
  const analyzer = createAnalyzer();
  const arabicish = fc.string({ unit: fc.constantFrom(..."ابتةثجحخدذرزسشصضطظعغفقكلمنهويىءأإآؤئًٌٍَُِّْـ ،؛؟«»0123456789٠١٢٣٤٥٦٧٨٩-.") });

  it("never throws and returns only non-empty strings, for any unicode including lone surrogates", () => {
    for (const text of [fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }), arabicish]) {
      fc.assert(
        fc.property(text, (input) => {
          const terms = analyzer.analyze(input);
          return terms.every((term) => typeof term === "string" && term.length > 0) && analyzer.words(input).every((word) => word.length > 0);
        }),
        { numRuns: 400 },
      );
    }
  });

  it("gives a word from words() the same terms whether analysed alone or through termsOfWord", () => {
    // The retriever places terms in sentences word by word with termsOfWord; BM25 indexed analyze(text).
    for (const text of [fc.string({ unit: "binary" }), arabicish]) {
      fc.assert(fc.property(text, (input) => {
        const words = analyzer.words(input);
        expect(words.flatMap((word) => [...analyzer.termsOfWord(word)])).toEqual(analyzer.analyze(input));
        for (const word of words) expect([...analyzer.termsOfWord(word)]).toEqual(analyzer.analyze(word));
      }), { numRuns: 300 });
    }
  });

  it("is a function of the normalized text", () => {
    fc.assert(fc.property(arabicish, (input) => {
      expect(analyzer.analyze(normalizeArabic(input))).toEqual(analyzer.analyze(input));
    }), { numRuns: 300 });
  });
});
