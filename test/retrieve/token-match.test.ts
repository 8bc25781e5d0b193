// Token-by-token matching (retrieve/token-match.ts) and how the retriever uses it
// (CrossLingualProfile.tokenRerank): only to choose which of the best few sentences to cite first.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCorpus } from "../../src/corpus/build";
import { createExactIndex } from "../../src/index/exact";
import { createPipeline } from "../../src/pipeline";
import { embedBackground } from "../../src/retrieve/background";
import { tokenMatch } from "../../src/retrieve/token-match";
import type { Embedder } from "../../src/types";

const unit = (values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (x) => (norm > 0 ? x / norm : 0));
};
const vectorArb = fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }).map(unit);

describe("tokenMatch", () => {
  it("is 1 for a question whose every token is in the sentence, and 0 when either has no tokens", () => {
    const [a, b, c] = [unit([1, 0, 0, 0]), unit([0, 1, 0, 0]), unit([0, 0, 1, 0])];
    expect(tokenMatch([a, b], [c, b, a])).toBeCloseTo(1, 6);
    expect(tokenMatch([a, c], [a, b])).toBeCloseTo(0.5, 6); // c finds nothing like it: its best is 0
    expect(tokenMatch([], [a])).toBe(0);
    expect(tokenMatch([a], [])).toBe(0);
  });

  it("stays in [0, 1], and neither repeats in the sentence nor its order change it", () => {
    fc.assert(
      fc.property(fc.array(vectorArb, { minLength: 1, maxLength: 6 }), fc.array(vectorArb, { minLength: 1, maxLength: 6 }), (question, sentence) => {
        const match = tokenMatch(question, sentence);
        expect(match).toBeGreaterThanOrEqual(0);
        expect(match).toBeLessThanOrEqual(1 + 1e-6);
        expect(tokenMatch(question, [...sentence].reverse())).toBeCloseTo(match, 6);
        expect(tokenMatch(question, [...sentence, ...sentence])).toBeCloseTo(match, 6);
      }),
    );
  });
});

// Two sentences on the same topic. The stand-in model's whole-sentence vectors put ¶2 ("تنتج
// المحطة …") nearest "Which plant opened?"; token by token, only ¶1 holds "افتتحت" and "محطة",
// which the token table aligns with "opened" and "plant".
const encode = (text: string) => new TextEncoder().encode(text);
const { corpus } = buildCorpus([
  { name: "water.txt", bytes: encode("افتتحت البلدية محطة جديدة لتحلية المياه في المدينة الساحلية.\nتنتج المحطة مئة ألف متر مكعب من المياه يومياً.") },
]);
const DIMENSION = 4;
const TOKEN_AXIS: Record<string, number> = { opened: 0, افتتحت: 0, plant: 1, محطة: 1 };

function standInModel(tokenCalls: string[][]): Embedder {
  const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return {
    id: "stand-in-model",
    dimension: DIMENSION,
    // Whole texts: ¶2 and any question share axis 2; ¶1 leans to axis 3.
    async embed(texts) {
      return texts.map((text) => (text.includes("افتتحت") ? unit([0, 0, 0.6, 1]) : unit([0, 0, 1, 0.2])));
    },
    async embedTokens(texts) {
      tokenCalls.push(texts);
      return texts.map((text) => words(text).map((word) => (word in TOKEN_AXIS ? unit([TOKEN_AXIS[word] === 0 ? 1 : 0, TOKEN_AXIS[word] === 1 ? 1 : 0, 0, 0]) : new Float32Array(DIMENSION))));
    },
  };
}

async function retrieverWith(tokenRerank: { weight: number; depth: number } | undefined, tokenCalls: string[][] = []) {
  const embedder = standInModel(tokenCalls);
  const sentenceVectors = new Float32Array(corpus.sentences.length * DIMENSION);
  (await embedder.embed(corpus.sentences.map((s) => s.text), "passage")).forEach((v, i) => sentenceVectors.set(v, i * DIMENSION));
  const { retriever } = createPipeline({
    corpus,
    embedder,
    vectorIndex: createExactIndex(DIMENSION, await embedder.embed(corpus.passages.map((p) => p.text), "passage")),
    sentenceVectors,
    backgroundVectors: await embedBackground((texts) => embedder.embed(texts, "passage"), DIMENSION),
    abstainBelow: 0,
    retriever: {
      crossLingual: {
        fusion: { dense: 1, lexical: 0.3, k: 60 },
        sentenceWeights: { coverage: 0.1, similarity: 1, passage: 0.1, proximity: 0, densePassage: 0.5 },
        abstainBelow: 0,
        tokenRerank,
      },
    },
  });
  return retriever;
}

describe("re-scoring the best sentences token by token", () => {
  it("cites first the sentence whose tokens match the question's, and keeps the confidence", async () => {
    const question = "Which plant opened?";
    const without = await (await retrieverWith(undefined)).retrieve(question);
    expect(without.cited[0].sentence.paragraph).toBe(2); // the whole-sentence vectors' choice
    const tokenCalls: string[][] = [];
    const withTokens = await (await retrieverWith({ weight: 1, depth: 5 }, tokenCalls)).retrieve(question);
    // ¶1: "opened" and "plant" both matched (2 of 3 question tokens); ¶2: neither.
    expect(withTokens.cited[0].sentence.paragraph).toBe(1);
    expect(withTokens.candidates.find((c) => c.sentence.paragraph === 1)?.tokens).toBeCloseTo(2 / 3, 6);
    expect(withTokens.candidates.find((c) => c.sentence.paragraph === 2)?.tokens).toBe(0);
    // Answerability is judged before: the same confidence either way.
    expect(withTokens.confidence).toBe(without.confidence);
    // One call: the question and the re-scored sentences, at most depth of them.
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0][0]).toBe(question);
    expect(tokenCalls[0].length).toBeLessThanOrEqual(1 + 5);
  });

  it("re-scores only the first `depth` sentences, which stay ahead of the rest", async () => {
    const r = await (await retrieverWith({ weight: 1, depth: 1 })).retrieve("Which plant opened?");
    expect(r.candidates[0].tokens).toBeDefined();
    expect(r.candidates.slice(1).every((c) => c.tokens === undefined)).toBe(true);
    expect(r.candidates[0].score).toBeGreaterThanOrEqual(r.candidates[1].score);
    for (const c of r.candidates) expect(c.score).toBeLessThanOrEqual(1);
  });

  it("leaves questions in the sources' language to their own scoring", async () => {
    const tokenCalls: string[][] = [];
    await (await retrieverWith({ weight: 1, depth: 5 }, tokenCalls)).retrieve("متى افتتحت محطة تحلية المياه؟");
    expect(tokenCalls).toEqual([]);
  });
});
