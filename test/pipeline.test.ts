import { describe, expect, it } from "vitest";
import { buildCorpus } from "../src/corpus/build";
import { createExactIndex } from "../src/index/exact";
import { createBm25Index } from "../src/index/bm25";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../src/pipeline";

const { corpus } = buildCorpus([{ name: "water.txt", bytes: new TextEncoder().encode("افتتحت البلدية محطة جديدة لتحلية المياه في المدينة الساحلية.\nتنتج المحطة مئة ألف متر مكعب من المياه يومياً.") }]);

describe("createPipeline", () => {
  it("uses a lexical index built beforehand instead of building a second one", async () => {
    const analyzer = createDefaultAnalyzer();
    const embedder = createBuiltInEmbedder(corpus, analyzer);
    const vectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
    const bm25 = createBm25Index(corpus.passages.map((p) => analyzer.analyze(p.text)));
    const searched: string[][] = [];
    const lexicalIndex = { ...bm25, search: (terms: string[], k: number, weights?: number[]) => (searched.push(terms), bm25.search(terms, k, weights)) };
    const { engine } = createPipeline({ corpus, embedder, analyzer, lexicalIndex, vectorIndex: createExactIndex(embedder.dimension, vectors) });
    const answer = await engine.answer({ question: "كم تنتج المحطة من المياه؟", topK: 3, history: [] });
    expect(searched).toHaveLength(1);
    expect(answer.citations[0]?.text).toContain("تنتج المحطة");
  });
});
