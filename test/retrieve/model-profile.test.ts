// Retrieval with a multilingual model (retrieve/profiles.ts), on a stand-in model whose vectors
// are bags of concepts shared by Arabic and English words: what the real model does, made
// small and exact, so each expectation can say why.
import { describe, expect, it } from "vitest";
import { buildCorpus } from "../../src/corpus/build";
import { createExactIndex } from "../../src/index/exact";
import { createPipeline } from "../../src/pipeline";
import { createBackground, embedBackground } from "../../src/retrieve/background";
import type { Embedder, EmbedKind } from "../../src/types";

const encode = (text: string) => new TextEncoder().encode(text);
const { corpus } = buildCorpus([
  { name: "water.txt", bytes: encode("افتتحت البلدية محطة جديدة لتحلية المياه في المدينة الساحلية.\nتنتج المحطة مئة ألف متر مكعب من المياه يومياً.") },
  { name: "trade.txt", bytes: encode("وستوقع وزارة الاقتصاد اتفاقية تجارية جديدة في مارس 2025.") },
]);

// Concept of each word, in either language; a text's vector counts its concepts.
const CONCEPTS: Record<string, number> = {
  افتتحت: 0, opened: 0, محطة: 1, المحطة: 1, plant: 1, لتحلية: 2, desalination: 2, المياه: 3, water: 3,
  تنتج: 4, produce: 4, produces: 4, متر: 5, cubic: 5, اتفاقية: 6, agreement: 6, تجارية: 7, trade: 7, مارس: 8, march: 8,
  football: 9, team: 10,
};
const DIMENSION = 12;

function conceptEmbedder(calls: { kind: EmbedKind; texts: string[] }[]): Embedder {
  return {
    id: "concept-model",
    dimension: DIMENSION,
    async embed(texts, kind) {
      calls.push({ kind, texts });
      return texts.map((text) => {
        const v = new Float32Array(DIMENSION);
        v[DIMENSION - 1] = 0.3; // every text shares a little, as real embeddings do
        for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word in CONCEPTS) v[CONCEPTS[word]] += 1;
        const norm = Math.hypot(...v);
        return v.map((x) => x / norm);
      });
    },
  };
}

async function modelPipeline(thresholds: { same: number; cross: number }, background?: (queryVector: Float32Array) => number) {
  const calls: { kind: EmbedKind; texts: string[] }[] = [];
  const embedder = conceptEmbedder(calls);
  const passageVectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
  const sentenceVectors = new Float32Array(corpus.sentences.length * DIMENSION);
  (await embedder.embed(corpus.sentences.map((s) => s.text), "passage")).forEach((v, i) => sentenceVectors.set(v, i * DIMENSION));
  const backgroundVectors = await embedBackground((texts) => embedder.embed(texts, "passage"), DIMENSION);
  calls.length = 0;
  const { retriever } = createPipeline({
    corpus,
    embedder,
    vectorIndex: createExactIndex(DIMENSION, passageVectors),
    sentenceVectors,
    backgroundVectors,
    abstainBelow: thresholds.same,
    retriever: {
      crossLingual: {
        fusion: { dense: 1, lexical: 0.3, k: 60 },
        sentenceWeights: { coverage: 0.1, similarity: 1, passage: 0.1, proximity: 0, densePassage: 0.5 },
        abstainBelow: thresholds.cross,
        background,
      },
    },
  });
  return { retriever, calls };
}

describe("retrieval with a multilingual model", () => {
  it("gives the model the question as the person means it: no invisible characters, one space between words, a question mark, no shouting", async () => {
    const { retriever, calls } = await modelPipeline({ same: 0.5, cross: 0.5 });
    // A real model's vector moves with an invisible U+200B (it once turned a refusal into an answer).
    await retriever.retrieve("\u202bHow much water\u200b  does the plant produce?\u200b", { topK: 3 });
    await retriever.retrieve("Opened when?", { topK: 3, history: [{ role: "user", content: "\ufeffthe desalination plant" }] });
    // Typed without its question mark, or in capitals, it is embedded as the thresholds were fitted: with one, in small letters.
    await retriever.retrieve("HOW MUCH WATER DOES THE PLANT PRODUCE", { topK: 3 });
    // A follow-up in another language is also checked without its history (see retriever.ts), hence the third.
    expect(calls.map((c) => c.texts)).toEqual([
      ["How much water does the plant produce?"],
      ["the desalination plant Opened when?"],
      ["Opened when?"],
      ["how much water does the plant produce?"],
    ]);
  });

  it("answers an English question from the Arabic sentence the model puts nearest, embedding only the question", async () => {
    const { retriever, calls } = await modelPipeline({ same: 0.5, cross: 0.5 });
    // "water" and "produce" are the concepts of ¶2 of water.txt ("تنتج … المياه"); no English word occurs in Arabic text,
    // so the evidence gate (question words in the sentence) must not apply to it.
    const r = await retriever.retrieve("How much water does the plant produce?", { topK: 3 });
    expect(r.abstained).toBe(false);
    expect(r.cited[0].sentence.text).toContain("تنتج المحطة");
    // Sentence similarity reads the stored sentence vectors: the question is the only text embedded.
    expect(calls).toEqual([{ kind: "query", texts: ["How much water does the plant produce?"] }]);
  });

  it("refuses a question in another language by its own threshold, not the Arabic one", async () => {
    const question = "Who won the football match?"; // no concept of the sources: only the shared component
    const lenient = await modelPipeline({ same: 5, cross: 0.1 });
    expect((await lenient.retriever.retrieve(question)).abstained).toBe(false);
    const strict = await modelPipeline({ same: 0, cross: 0.9 });
    expect((await strict.retriever.retrieve(question)).abstained).toBe(true);
    // The Arabic threshold is the one an Arabic question meets.
    expect((await strict.retriever.retrieve("متى ستوقع اتفاقية تجارية؟")).abstained).toBe(false);
    expect((await lenient.retriever.retrieve("متى ستوقع اتفاقية تجارية؟")).abstained).toBe(true);
  });

  it("judges a question in another language by its best sentence's margin over the background", async () => {
    const question = "How much water does the plant produce?";
    const [queryVector] = await conceptEmbedder([]).embed([question], "query");
    // A background of "water" texts: the question resembles it as much as the sentence that answers it.
    const watery = createBackground((await conceptEmbedder([]).embed(["water plant", "water"], "passage")).reduce((rows, v, i) => (rows.set(v, i * DIMENSION), rows), new Float32Array(2 * DIMENSION)), DIMENSION);
    // (This profile's weights are not normalised: the plain score is about 1.4, the margin about 0.7.)
    const plain = await (await modelPipeline({ same: 0, cross: 0.8 })).retriever.retrieve(question);
    const judged = await (await modelPipeline({ same: 0, cross: 0.8 }, watery)).retriever.retrieve(question);
    // Ranking is untouched; only the confidence the threshold meets is the margin.
    expect(judged.candidates.map((c) => c.sentence.id)).toEqual(plain.candidates.map((c) => c.sentence.id));
    expect(judged.confidence).toBeCloseTo(Math.max(0, plain.confidence - watery(queryVector)), 3);
    expect(plain.abstained).toBe(false);
    expect(judged.abstained).toBe(true);
    // An Arabic question is judged on its own score, background or not.
    const arabic = "متى ستوقع اتفاقية تجارية؟";
    expect((await (await modelPipeline({ same: 0, cross: 0.1 }, watery)).retriever.retrieve(arabic)).confidence).toBe(
      (await (await modelPipeline({ same: 0, cross: 0.1 })).retriever.retrieve(arabic)).confidence,
    );
  });

  it("still holds Arabic questions to the evidence gate: one shared word is not evidence", async () => {
    const { retriever } = await modelPipeline({ same: 0.01, cross: 0.01 });
    // Of its five words only المياه is in the sources: the gate's two are not met, whatever the model's similarity.
    const r = await retriever.retrieve("ما هي عاصمة المياه العذبة في أوروبا القديمة؟");
    expect(r.confidence).toBe(0);
    expect(r.abstained).toBe(true);
  });

  it("rejects sentence vectors that do not fit the corpus", async () => {
    const embedder = conceptEmbedder([]);
    const vectorIndex = createExactIndex(DIMENSION, await embedder.embed(corpus.passages.map((p) => p.text), "passage"));
    expect(() => createPipeline({ corpus, embedder, vectorIndex, sentenceVectors: new Float32Array(DIMENSION), backgroundVectors: new Float32Array(DIMENSION) })).toThrow(
      /sentences × 12 expected/,
    );
  });

  it("will not score with a model's sentence vectors without the background its threshold was calibrated on", async () => {
    const embedder = conceptEmbedder([]);
    const vectorIndex = createExactIndex(DIMENSION, await embedder.embed(corpus.passages.map((p) => p.text), "passage"));
    const sentenceVectors = new Float32Array(corpus.sentences.length * DIMENSION);
    expect(() => createPipeline({ corpus, embedder, vectorIndex, sentenceVectors })).toThrow(/backgroundVectors are required/);
  });
});
