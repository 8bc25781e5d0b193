import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { createExactIndex } from "../../src/index/exact";
import { randomUnitVectors } from "./random-vectors";

function bruteForce(vectors: Float32Array[], query: Float32Array, k: number) {
  return vectors
    .map((v, id) => ({ id, score: v.reduce((sum, x, j) => sum + x * query[j], 0) }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}

function expectCode(action: () => unknown, code: string) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe("createExactIndex", () => {
  const vectors = randomUnitVectors(500, 24, 1);

  it("returns the exact top k, best first", () => {
    const index = createExactIndex(24, vectors);
    for (const query of randomUnitVectors(20, 24, 2)) {
      const hits = index.search(query, 10);
      const expected = bruteForce(vectors, query, 10);
      expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i].score, 5));
    }
  });

  it("finds a stored vector as its own nearest neighbour with score ≈ 1", () => {
    const index = createExactIndex(24, vectors);
    const [best] = index.search(vectors[123], 1);
    expect(best.id).toBe(123);
    expect(best.score).toBeCloseTo(1, 5);
  });

  it("accepts a flat row-major buffer, as stored in vectors.f32, and the same answers as rows", () => {
    const flat = new Float32Array(vectors.length * 24);
    vectors.forEach((v, i) => flat.set(v, i * 24));
    const fromFlat = createExactIndex(24, flat);
    const fromRows = createExactIndex(24, vectors);
    expect(fromFlat.size).toBe(500);
    expect(fromFlat.search(vectors[7], 5)).toEqual(fromRows.search(vectors[7], 5));
  });

  it("grows with add, without writing into the caller's flat buffer", () => {
    const flat = Float32Array.from([1, 0, 0, 1]);
    const index = createExactIndex(2, flat);
    index.add([Float32Array.from([0.6, 0.8])]);
    index.add([Float32Array.from([-1, 0])]);
    expect(index.size).toBe(4);
    expect(flat).toEqual(Float32Array.from([1, 0, 0, 1]));
    expect(index.search(Float32Array.from([0.6, 0.8]), 1)).toEqual([{ id: 2, score: expect.closeTo(1, 6) }]);
    expect(index.search(Float32Array.from([-1, 0]), 1)[0].id).toBe(3);
  });

  it("returns every vector when k exceeds the size, and nothing for k < 1 or an empty index", () => {
    const index = createExactIndex(24, vectors.slice(0, 3));
    expect(index.search(vectors[0], 50)).toHaveLength(3);
    expect(index.search(vectors[0], 0)).toEqual([]);
    expect(createExactIndex(24).search(vectors[0], 5)).toEqual([]);
  });

  it("scores zero vectors 0 and ranks ties by id", () => {
    const zero = new Float32Array(3);
    const index = createExactIndex(3, [Float32Array.from([0, 0, 1]), zero, Float32Array.from([0, 0, -1])]);
    expect(index.search(Float32Array.from([0, 0, 1]), 3)).toEqual([
      { id: 0, score: 1 },
      { id: 1, score: 0 },
      { id: 2, score: -1 },
    ]);
    expect(index.search(zero, 3)).toEqual([
      { id: 0, score: 0 },
      { id: 1, score: 0 },
      { id: 2, score: 0 },
    ]);
  });

  it("rejects vectors of the wrong dimension with DIMENSION_MISMATCH", () => {
    expectCode(() => createExactIndex(4, [new Float32Array(3)]), "DIMENSION_MISMATCH");
    expectCode(() => createExactIndex(4, new Float32Array(10)), "DIMENSION_MISMATCH");
    const index = createExactIndex(4, [new Float32Array(4)]);
    expectCode(() => index.add([new Float32Array(4), new Float32Array(5)]), "DIMENSION_MISMATCH");
    expect(index.size).toBe(1); // a rejected batch adds nothing
    expectCode(() => index.search(new Float32Array(8), 1), "DIMENSION_MISMATCH");
  });
});
