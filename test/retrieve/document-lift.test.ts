// How far the cited document stands out among the dense hits (src/retrieve/document-lift.ts), and
// the retriever's refusal rule that reads it (RetrieverOptions.documentLift).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { documentLift, MIN_OTHER_DOCUMENTS } from "../../src/retrieve/document-lift";
import { buildCorpus } from "../../src/corpus/build";
import { createBuiltInEmbedder, createPipeline } from "../../src/pipeline";
import type { RetrieverOptions } from "../../src/retrieve/retriever";

const hit = (docId: string, score: number) => ({ docId, score });

describe("documentLift", () => {
  it("is the cited document's best score over the other documents' best, in their standard deviations", () => {
    // Others' best: 0.4, 0.5, 0.6, 0.5, 0.5 (mean 0.5, sd √0.004); the cited document's best is 0.9.
    const hits = [hit("a", 0.9), hit("a", 0.7), hit("b", 0.4), hit("c", 0.6), hit("c", 0.3), hit("d", 0.5), hit("e", 0.5), hit("f", 0.5)];
    expect(documentLift(hits, "a")).toBeCloseTo(0.4 / Math.sqrt(0.004), 6);
    // Below the others it is negative.
    expect(documentLift(hits, "b")).toBeLessThan(0);
  });

  it("is undefined with fewer other documents than the minimum, without a spread, or when the document is not among the hits", () => {
    const others = (n: number) => Array.from({ length: n }, (_, i) => hit(`d${i}`, 0.1 * i));
    expect(MIN_OTHER_DOCUMENTS).toBe(5);
    expect(documentLift([hit("a", 1), ...others(4)], "a")).toBeUndefined();
    expect(documentLift([hit("a", 1), ...others(5)], "a")).toBeGreaterThan(0);
    expect(documentLift([hit("a", 1), ...others(2)], "a", 2)).toBeGreaterThan(0);
    expect(documentLift([hit("a", 1), hit("b", 0.5), hit("c", 0.5), hit("d", 0.5), hit("e", 0.5), hit("f", 0.5)], "a")).toBeUndefined();
    expect(documentLift(others(8), "a")).toBeUndefined();
    expect(documentLift([], "a")).toBeUndefined();
  });

  it("does not depend on the hits' order, nor on the scale or offset of their scores", () => {
    const hits = fc.array(fc.record({ docId: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"), score: fc.float({ min: -1, max: 1, noNaN: true }) }), { maxLength: 40 });
    fc.assert(
      fc.property(hits, fc.float({ min: Math.fround(0.1), max: 10, noNaN: true }), fc.float({ min: -1, max: 1, noNaN: true }), (list, scale, offset) => {
        const lift = documentLift(list, "a");
        const reversed = documentLift([...list].reverse(), "a");
        const moved = documentLift(list.map((h) => ({ ...h, score: h.score * scale + offset })), "a");
        if (lift === undefined) return;
        expect(reversed).toBeCloseTo(lift, 6);
        // A spread at float precision can vanish when scaled: then there is no lift at all.
        if (moved !== undefined && Math.abs(lift) < 1e3) expect(moved).toBeCloseTo(lift, 1);
      }),
    );
  });
});

describe("the retriever's document-lift refusal", () => {
  // Seven documents, one passage each; the question is about the first.
  const topics = ["محطة تحلية المياه تنتج مئة ألف متر مكعب يوميا", "اتفاقية تجارية جديدة", "مباراة كرة القدم", "مهرجان الموسيقى", "سوق الذهب", "حديقة الحيوان", "رحلة القطار"];
  const { corpus } = buildCorpus(topics.map((text, i) => ({ name: `doc-${i}.txt`, bytes: new TextEncoder().encode(`${text}.`) })));
  // Dense hits as a model would give them: the first document well above the rest, which spread.
  const denseScores = [0.9, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25];
  async function ask(options: Partial<RetrieverOptions>, documents = corpus) {
    const embedder = createBuiltInEmbedder(documents);
    const vectorIndex = { dimension: embedder.dimension, size: documents.passages.length, search: () => documents.passages.map((p, i) => ({ id: p.index, score: denseScores[i] })) };
    const { retriever } = createPipeline({ corpus: documents, embedder, vectorIndex, retriever: options });
    return retriever.retrieve("كم تنتج محطة تحلية المياه يوميا؟");
  }

  it("reports the lift and, where it is defined, refuses on confidence + weight × lift instead of the plain threshold", async () => {
    const plain = await ask({ abstainBelow: 0 });
    expect(plain.abstained).toBe(false);
    expect(plain.documentLift).toBeGreaterThan(3);
    const lift = plain.documentLift!;
    // The plain threshold would refuse; the rule, which replaces it here, does not.
    const rule = (weight: number, abstainBelow: number) => ({ abstainBelow: 2, documentLift: { sameLanguage: { weight, abstainBelow } } });
    expect((await ask(rule(0.1, plain.confidence + 0.1 * lift - 0.01))).abstained).toBe(false);
    expect((await ask(rule(0.1, plain.confidence + 0.1 * lift + 0.01))).abstained).toBe(true);
    // A rule for the other group leaves an Arabic question to the plain threshold.
    expect((await ask({ abstainBelow: 2, documentLift: { crossLingual: { weight: 1, abstainBelow: 0 } } })).abstained).toBe(true);
  });

  it("leaves a corpus of too few documents to the plain threshold", async () => {
    const { corpus: small } = buildCorpus(topics.slice(0, 3).map((text, i) => ({ name: `doc-${i}.txt`, bytes: new TextEncoder().encode(`${text}.`) })));
    const retrieval = await ask({ abstainBelow: 2, documentLift: { sameLanguage: { weight: 1, abstainBelow: -10 } } }, small);
    expect(retrieval.documentLift).toBeUndefined();
    expect(retrieval.abstained).toBe(true);
  });
});
