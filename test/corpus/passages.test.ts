import { describe, expect, it } from "vitest";
import { buildPassages } from "../../src/corpus/passages";
import { segmentDocument } from "../../src/corpus/segment";
import { AppError } from "../../src/errors";

/** A document whose paragraphs have the given numbers of sentences. */
function doc(id: string, sentenceCounts: number[]) {
  const text = sentenceCounts
    .map((n, p) => Array.from({ length: n }, (_, s) => `جملة ${p + 1}-${s + 1}.`).join(" "))
    .join("\n\n");
  return segmentDocument({ id, meta: { title: id }, text });
}

/** Windows as lists of sentence ids. */
function windows(counts: number[], options?: { windowSize?: number; stride?: number }) {
  const { document, sentences } = doc("d", counts);
  return buildPassages([document], sentences, options).map((p) => p.sentenceIndices.map((i) => sentences[i].id));
}

describe("buildPassages", () => {
  it("makes one passage of a paragraph with at most windowSize sentences", () => {
    expect(windows([1])).toEqual([["d:1:1"]]);
    expect(windows([3])).toEqual([["d:1:1", "d:1:2", "d:1:3"]]);
  });

  it("slides windows of 3 by 2 inside a paragraph by default, covering the tail", () => {
    expect(windows([5])).toEqual([["d:1:1", "d:1:2", "d:1:3"], ["d:1:3", "d:1:4", "d:1:5"]]);
    expect(windows([6])).toEqual([["d:1:1", "d:1:2", "d:1:3"], ["d:1:3", "d:1:4", "d:1:5"], ["d:1:5", "d:1:6"]]);
  });

  it("never crosses a paragraph or a document", () => {
    const a = doc("a", [2, 1]);
    const b = doc("b", [1]);
    const sentences = [...a.sentences, ...b.sentences];
    const passages = buildPassages([a.document, b.document], sentences);
    expect(passages.map((p) => [p.docId, p.paragraph, p.sentenceIndices])).toEqual([
      ["a", 1, [0, 1]],
      ["a", 2, [2]],
      ["b", 1, [3]],
    ]);
    expect(passages.map((p) => p.index)).toEqual([0, 1, 2]);
  });

  it("slices passage text from the document, spaces between sentences included", () => {
    const { document, sentences } = doc("d", [2]);
    const [passage] = buildPassages([document], sentences);
    expect(passage.text).toBe("جملة 1-1. جملة 1-2.");
    expect(passage.text).toBe(document.text.slice(passage.start, passage.end));
  });

  it("honours windowSize and stride, and rejects a stride that would skip sentences", () => {
    expect(windows([4], { windowSize: 2, stride: 1 })).toHaveLength(3);
    expect(windows([4], { windowSize: 1, stride: 1 })).toHaveLength(4);
    expect(windows([4], { windowSize: undefined, stride: undefined })).toHaveLength(2);
    expect(() => windows([4], { windowSize: 2, stride: 3 })).toThrow(AppError);
    expect(() => windows([4], { windowSize: 0 })).toThrow(/windowSize/);
    expect(() => windows([4], { stride: 1.5 })).toThrow(/stride/);
  });

  it("returns nothing for no sentences", () => {
    expect(buildPassages([], [])).toEqual([]);
  });
});
