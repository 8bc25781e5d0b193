import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBm25Index } from "../../src/index/bm25";

const k1 = 1.2;
const b = 0.75;

/**
 * BM25 the long way, adding each passage's term contributions in the order the index
 * documents (by upper bound, best first, then query order) with float32 tf factors as stored,
 * so scores must agree to the last bit and ties must break the same way (smaller id first).
 */
function reference(docs: string[][], terms: string[], weights: number[], k: number) {
  const best = new Map<string, number>();
  terms.forEach((term, i) => {
    const weight = weights[i];
    if (!docs.some((d) => d.includes(term)) || !(weight > 0)) return;
    best.set(term, Math.max(weight, best.get(term) ?? 0));
  });
  const averageLength = docs.reduce((sum, d) => sum + d.length, 0) / docs.length;
  const tfFactor = (doc: string[], term: string) => {
    const tf = doc.filter((t) => t === term).length;
    const norm = k1 * (1 - b + b * (averageLength > 0 ? doc.length / averageLength : 1));
    return tf === 0 ? 0 : Math.fround((tf * (k1 + 1)) / (tf + norm));
  };
  const query = [...best].map(([term, weight]) => {
    const df = docs.filter((d) => d.includes(term)).length;
    const factor = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5)) * weight;
    return { term, factor, bound: factor * Math.max(...docs.map((d) => tfFactor(d, term))) };
  });
  query.sort((x, y) => y.bound - x.bound);
  const hits: { id: number; score: number }[] = [];
  docs.forEach((doc, id) => {
    let score = 0;
    let matched = false;
    for (const { term, factor } of query) {
      const w = tfFactor(doc, term);
      if (w === 0) continue;
      matched = true;
      score += factor * w;
    }
    if (matched) hits.push({ id, score });
  });
  return hits.sort((x, y) => y.score - x.score || x.id - y.id).slice(0, k);
}

describe("BM25 search strategies", () => {
  // A small vocabulary, skewed, makes long posting lists and many exact ties, as in real queries
  // whose roots occur in most passages; weights from a small set make ties across terms too.
  const term = fc.constantFrom("a", "a", "a", "b", "b", "c", "d", "e", "f", "g", "h");
  const weight = fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1), fc.double({ min: 0.01, max: 2, noNaN: true }));
  const corpus = fc.array(fc.array(term, { maxLength: 10 }), { minLength: 1, maxLength: 60 });
  const query = fc.array(fc.tuple(fc.oneof(term, fc.constant("unknown")), weight), { maxLength: 10 });

  it("term-at-a-time and MaxScore both match the reference: ids, order and scores", () => {
    fc.assert(
      fc.property(corpus, query, fc.integer({ min: 1, max: 70 }), (docs, pairs, k) => {
        const terms = pairs.map(([t]) => t);
        const weights = pairs.map(([, w]) => w);
        const expected = reference(docs, terms, weights, k);
        for (const strategy of ["term-at-a-time", "maxscore"] as const) {
          const hits = createBm25Index(docs, { strategy }).search(terms, k, weights);
          expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
          hits.forEach((hit, i) => expect(Math.abs(hit.score - expected[i].score)).toBeLessThanOrEqual(1e-9));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("MaxScore returns exactly what term-at-a-time returns on larger corpora", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(term, { maxLength: 12 }), { minLength: 100, maxLength: 400 }),
        query,
        fc.integer({ min: 1, max: 20 }),
        (docs, pairs, k) => {
          const terms = pairs.map(([t]) => t);
          const weights = pairs.map(([, w]) => w);
          const plain = createBm25Index(docs, { strategy: "term-at-a-time" }).search(terms, k, weights);
          expect(createBm25Index(docs, { strategy: "maxscore" }).search(terms, k, weights)).toEqual(plain);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("MaxScore keeps the tie order: equal scores go to the smaller id", () => {
    const docs = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? ["a", "b"] : ["a", "c"]));
    const hits = createBm25Index(docs, { strategy: "maxscore" }).search(["a", "b"], 5);
    expect(hits.map((h) => h.id)).toEqual([0, 3, 6, 9, 12]);
  });
});
