// The mean-vector shift (src/retrieve/language-shift.ts) and its background sets
// (src/retrieve/background-languages.ts), and where the retriever applies it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PARALLEL_BACKGROUND } from "../../src/retrieve/background-languages";
import { createLanguageShift, embedLanguageMeans, meanOf, type LanguageShift } from "../../src/retrieve/language-shift";
import { buildCorpus } from "../../src/corpus/build";
import { createExactIndex } from "../../src/index/exact";
import { createPipeline } from "../../src/pipeline";
import { embedBackground } from "../../src/retrieve/background";
import { detectLanguage } from "../../src/text";
import type { Embedder } from "../../src/types";

const unit = (values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (x) => x / norm);
};
const dotOf = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);
const means = new Map([
  ["ar", Float32Array.of(0, 0, 1)],
  ["en", Float32Array.of(0, 1, 0)],
]);

describe("background sets per language", () => {
  it("say the same 50–100 distinct sentences in each language, each detected as its language", () => {
    const languages = Object.keys(PARALLEL_BACKGROUND);
    expect(languages.sort()).toEqual(["ar", "de", "en", "es", "ru"]);
    const count = PARALLEL_BACKGROUND.ar.length;
    expect(count).toBeGreaterThanOrEqual(50);
    expect(count).toBeLessThanOrEqual(100);
    for (const language of languages) {
      const sentences = PARALLEL_BACKGROUND[language];
      expect(sentences.length, language).toBe(count);
      expect(new Set(sentences).size, language).toBe(count);
      const detected = sentences.map(detectLanguage);
      // The detector tells Latin languages apart by marker words; a short sentence may have none.
      expect(detected.filter((d) => d === language).length / count, language).toBeGreaterThanOrEqual(language === "ar" || language === "ru" ? 1 : 0.8);
    }
  });
});

describe("createLanguageShift", () => {
  it("is the identity at strength 0 (the same array, whatever the language)", () => {
    const shift = createLanguageShift({ means, strength: 0 });
    const q = unit([1, 2, 3]);
    expect(shift(q, "en")).toBe(q);
    expect(shift(q, "ar")).toBe(q);
  });

  it("leaves a question in the sources' language, or in one without a background set, unchanged", () => {
    const shift = createLanguageShift({ means, strength: 1 });
    const q = unit([1, 2, 3]);
    expect(shift(q, "ar")).toBe(q);
    expect(shift(q, "fr")).toBe(q);
    expect(shift(q, "und")).toBe(q);
    // Nor anything at all when the target has no mean.
    expect(createLanguageShift({ means, target: "fa", strength: 1 })(q, "en")).toBe(q);
  });

  it("guards a zero norm: a vector the shift would cancel is kept as it is", () => {
    const shift = createLanguageShift({ means, strength: 1 });
    // q + (ar − en) = 0
    const q = Float32Array.of(0, 1, -1);
    expect(shift(q, "en")).toBe(q);
    expect([...shift(new Float32Array(3), "fr")]).toEqual([0, 0, 0]);
  });

  it("gives unit vectors that lean further toward the target's mean than the question did", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.float({ min: Math.fround(0.05), max: 2, noNaN: true }), (values, strength) => {
        if (Math.hypot(...values) < 1e-3) return;
        const q = unit(values);
        const shifted = createLanguageShift({ means, strength })(q, "en");
        if (shifted === q) return; // cancelled out: the guard above
        expect(Math.hypot(...shifted)).toBeCloseTo(1, 5);
        const direction = Float32Array.of(0, -1, 1);
        expect(dotOf(shifted, direction) / Math.hypot(...shifted)).toBeGreaterThanOrEqual(dotOf(q, direction) - 1e-6);
      }),
    );
  });

  it("refuses means of different lengths", () => {
    expect(() => createLanguageShift({ means: new Map([["ar", new Float32Array(3)], ["en", new Float32Array(2)]]), strength: 1 })).toThrow(/en mean has 2 floats/);
  });
});

describe("embedLanguageMeans", () => {
  it("embeds every language's sentences in one call and averages each language's own", async () => {
    const calls: string[][] = [];
    const embed = async (texts: string[]) => (calls.push(texts), texts.map((t) => Float32Array.of(t.length, 1)));
    const result = await embedLanguageMeans(embed, { ar: ["ab", "abcd"], en: ["x"], fr: [] });
    expect(calls).toEqual([["ab", "abcd", "x"]]);
    expect([...result.keys()]).toEqual(["ar", "en"]);
    expect([...result.get("ar")!]).toEqual([3, 1]);
    expect([...result.get("en")!]).toEqual([1, 1]);
    expect(meanOf([])).toBeUndefined();
  });
});

describe("the retriever with a language shift", () => {
  const { corpus } = buildCorpus([{ name: "water.txt", bytes: new TextEncoder().encode("تنتج المحطة مئة ألف متر مكعب من المياه يومياً.") }]);
  const DIMENSION = 3;
  // Every text has the same vector but for its script, as a stand-in for a language's component.
  const embedder: Embedder = {
    id: "script-model",
    dimension: DIMENSION,
    embed: async (texts) => texts.map((t) => (detectLanguage(t) === "ar" ? unit([1, 0, 1]) : unit([1, 1, 0]))),
  };

  async function searchedWith(apply: "search" | "sentences" | "both", question: string) {
    const searched: Float32Array[] = [];
    const scored: Float32Array[] = [];
    const passageVectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
    const exact = createExactIndex(DIMENSION, passageVectors);
    const sentenceVectors = new Float32Array(corpus.sentences.length * DIMENSION);
    (await embedder.embed(corpus.sentences.map((s) => s.text), "passage")).forEach((v, i) => sentenceVectors.set(v, i * DIMENSION));
    const shift: LanguageShift = createLanguageShift({ means, strength: 1 });
    const { retriever } = createPipeline({
      corpus,
      embedder,
      vectorIndex: { dimension: DIMENSION, get size() { return exact.size; }, search: (v: Float32Array, k: number) => (searched.push(v), exact.search(v, k)) },
      sentenceVectors,
      backgroundVectors: await embedBackground((texts) => embedder.embed(texts, "passage"), DIMENSION),
      retriever: {
        crossLingual: {
          fusion: { dense: 1, lexical: 0.3, k: 60 },
          sentenceWeights: { coverage: 0, similarity: 1, passage: 0, proximity: 0 },
          abstainBelow: 0,
          background: (v) => (scored.push(v), 0),
          languageShift: { shift, apply },
        },
      },
    });
    const retrieval = await retriever.retrieve(question, { topK: 1 });
    return { searched: searched[0], scored: scored[0], similarity: retrieval.candidates[0].signals.similarity };
  }

  it("moves the question's vector for passage search, sentence scoring, or both, as asked; never an Arabic question's", async () => {
    const question = unit([1, 1, 0]);
    const shifted = createLanguageShift({ means, strength: 1 })(question, "en");
    const search = await searchedWith("search", "How much water does the plant produce?");
    expect([...search.searched]).toEqual([...shifted]);
    expect([...search.scored]).toEqual([...question]);
    const sentences = await searchedWith("sentences", "How much water does the plant produce?");
    expect([...sentences.searched]).toEqual([...question]);
    expect([...sentences.scored]).toEqual([...shifted]);
    expect(sentences.similarity).toBeCloseTo(dotOf(shifted, unit([1, 0, 1])), 5);
    const both = await searchedWith("both", "How much water does the plant produce?");
    expect([...both.searched]).toEqual([...shifted]);
    expect([...both.scored]).toEqual([...shifted]);
    const arabic = await searchedWith("both", "كم تنتج المحطة من المياه؟");
    expect([...arabic.searched]).toEqual([...unit([1, 0, 1])]);
  });
});
