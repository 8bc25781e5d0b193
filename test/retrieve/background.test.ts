// The background a question in another language is judged against (src/retrieve/background.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BACKGROUND_SENTENCES, createBackground, embedBackground } from "../../src/retrieve/background";
import { detectLanguage } from "../../src/text";

describe("background sentences", () => {
  it("are distinct everyday Arabic sentences", () => {
    expect(BACKGROUND_SENTENCES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BACKGROUND_SENTENCES).size).toBe(BACKGROUND_SENTENCES.length);
    for (const sentence of BACKGROUND_SENTENCES) expect(detectLanguage(sentence)).toBe("ar");
  });

  it("are embedded as passages and packed in rows, in order", async () => {
    const seen: string[][] = [];
    const rows = await embedBackground(async (texts) => (seen.push(texts), texts.map((_, i) => Float32Array.of(i, -i))), 2);
    expect(seen).toEqual([[...BACKGROUND_SENTENCES]]);
    expect(rows.length).toBe(BACKGROUND_SENTENCES.length * 2);
    expect([...rows.subarray(2, 6)]).toEqual([1, -1, 2, -2]);
  });
});

describe("createBackground", () => {
  it("gives the question's mean similarity to the rows", () => {
    const vector = (dimension: number) => fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: dimension, maxLength: dimension });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((dimension) => fc.tuple(fc.constant(dimension), vector(dimension), fc.array(vector(dimension), { minLength: 1, maxLength: 6 }))),
        ([dimension, query, rows]) => {
          const background = createBackground(Float32Array.from(rows.flat()), dimension);
          const expected = rows.reduce((sum, row) => sum + row.reduce((s, x, i) => s + x * query[i], 0), 0) / rows.length;
          expect(background(Float32Array.from(query))).toBeCloseTo(expected, 4);
        },
      ),
    );
  });

  it("refuses vectors that are not whole rows, or none", () => {
    expect(() => createBackground(new Float32Array(5), 2)).toThrow(/not rows of 2/);
    expect(() => createBackground(new Float32Array(0), 2)).toThrow(/not rows of 2/);
    expect(() => createBackground(new Float32Array(4), 0)).toThrow(/not rows of 0/);
  });
});
