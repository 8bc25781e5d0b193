import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBm25Index, createBm25IndexOfTermIds } from "../../src/index/bm25";
import { createTermDictionary } from "../../src/index/term-dictionary";

const coffee = "قهوة";
const history = "تاريخ";
const tea = "شاي";

// Already-analysed passages (term lists); ids are positions.
const corpus = [
  [coffee, "عربية", coffee, coffee], // 0: coffee three times, a bit longer than average
  [coffee, history, "اليمن"], // 1: coffee and history once each
  [tea, "صيني", history], // 2: tea and history once each
  ["تمر", "نخيل"], // 3: neither
  [], // 4: an empty passage must not break length normalisation
];

const ids = (hits: { id: number }[]) => hits.map((hit) => hit.id);

describe("createBm25Index", () => {
  const index = createBm25Index(corpus);

  it("ranks by BM25 and returns only passages sharing a term", () => {
    // 1 matches both query terms, which beats 0's three repeats of one term because k1
    // saturates term frequency; 0 still beats 2, where the only match occurs once.
    // 3 and 4 share no term and are left out.
    expect(ids(index.search([coffee, history], 10))).toEqual([1, 0, 2]);
    // Same idf for both coffee passages, so the higher term frequency (0) wins.
    expect(ids(index.search([coffee], 10))).toEqual([0, 1]);
  });

  it("computes the Okapi score with idf = ln(1 + (N − df + 0.5)/(df + 0.5))", () => {
    const [best] = index.search([coffee], 1);
    const averageLength = (4 + 3 + 3 + 2 + 0) / 5;
    const idf = Math.log(1 + (5 - 2 + 0.5) / (2 + 0.5));
    const tf = 3;
    const expected = (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * 4) / averageLength));
    expect(best.id).toBe(0);
    expect(best.score).toBeCloseTo(expected, 5);
  });

  it("prefers shorter passages at equal term frequency, unless b = 0", () => {
    const docs = [["a", "x", "y", "z"], ["a"]];
    expect(ids(createBm25Index(docs).search(["a"], 2))).toEqual([1, 0]);
    const flat = createBm25Index(docs, { b: 0 }).search(["a"], 2);
    expect(flat[0].score).toBe(flat[1].score);
    expect(ids(flat)).toEqual([0, 1]); // ties go to the smaller id
  });

  it("scales terms by their weights", () => {
    expect(ids(index.search([tea, coffee], 10, [1, 0.1]))[0]).toBe(2);
    expect(ids(index.search([tea, coffee], 10, [0.1, 1]))[0]).toBe(0);
    const half = index.search([coffee], 10, [0.5]);
    const full = index.search([coffee], 10);
    expect(half[0].score).toBeCloseTo(full[0].score / 2, 10);
  });

  it("counts a repeated query term once, at its largest weight", () => {
    expect(index.search([coffee, coffee, coffee], 10, [0.3, 1, 0.7])).toEqual(index.search([coffee], 10));
  });

  it("ignores terms whose weight is zero or negative", () => {
    expect(ids(index.search([tea, coffee], 10, [0, 1]))).toEqual([0, 1]);
    expect(index.search([tea], 10, [-1])).toEqual([]);
  });

  it("returns [] for an empty query, unknown terms, k < 1 or an empty index", () => {
    expect(index.search([], 10)).toEqual([]);
    expect(index.search(["غير-موجود"], 10)).toEqual([]);
    expect(index.search([coffee], 0)).toEqual([]);
    expect(createBm25Index([]).search([coffee], 10)).toEqual([]);
    expect(createBm25Index([[], []]).search([coffee], 10)).toEqual([]);
    expect(createBm25Index([]).size).toBe(0);
  });

  it("cuts the ranking at k", () => {
    const all = index.search([coffee, history, tea], 10);
    expect(all).toHaveLength(3);
    expect(index.search([coffee, history, tea], 2)).toEqual(all.slice(0, 2));
    expect(index.size).toBe(5);
  });

  it("exposes document frequency and idf", () => {
    expect(index.documentFrequency(coffee)).toBe(2);
    expect(index.documentFrequency("تمر")).toBe(1);
    expect(index.documentFrequency("غير-موجود")).toBe(0);
    expect(index.idf("تمر")).toBeCloseTo(Math.log(1 + 4.5 / 1.5), 12);
    // Rarer terms are more informative; idf stays positive even for a term in every passage.
    expect(index.idf("تمر")).toBeGreaterThan(index.idf(coffee));
    expect(createBm25Index([["a"], ["a"]]).idf("a")).toBeGreaterThan(0);
  });

  it("agrees with a direct implementation of the formula on random corpora", () => {
    const term = fc.constantFrom("a", "b", "c", "d", "e", "f");
    fc.assert(
      fc.property(
        fc.array(fc.array(term, { maxLength: 12 }), { maxLength: 30 }),
        fc.array(fc.tuple(term, fc.double({ min: 0.05, max: 2, noNaN: true })), { maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        (docs, query, k) => {
          const hits = createBm25Index(docs).search(query.map(([t]) => t), k, query.map(([, w]) => w));
          const all = naiveBm25(docs, query);
          const expected = all.slice(0, k);
          // Postings hold float32 factors, so near-ties may swap: compare scores by rank,
          // and check each returned id really has the score it claims.
          expect(hits).toHaveLength(expected.length);
          hits.forEach((hit, i) => {
            expect(hit.score).toBeCloseTo(expected[i].score, 4);
            expect(hit.score).toBeCloseTo(all.find((h) => h.id === hit.id)!.score, 4);
          });
        },
      ),
    );
  });
});

function naiveBm25(docs: string[][], query: [string, number][], k1 = 1.2, b = 0.75) {
  const weights = new Map<string, number>();
  for (const [term, weight] of query) weights.set(term, Math.max(weight, weights.get(term) ?? 0));
  const averageLength = docs.reduce((sum, d) => sum + d.length, 0) / docs.length;
  const hits: { id: number; score: number }[] = [];
  docs.forEach((doc, id) => {
    let score = 0;
    let matched = false;
    for (const [term, weight] of weights) {
      const tf = doc.filter((t) => t === term).length;
      if (tf === 0) continue;
      matched = true;
      const df = docs.filter((d) => d.includes(term)).length;
      const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
      score += (weight * idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.length) / averageLength));
    }
    if (matched) hits.push({ id, score });
  });
  return hits.sort((a, b) => b.score - a.score || a.id - b.id);
}

describe("createBm25IndexOfTermIds", () => {
  const term = fc.constantFrom("قهوة", "شاي", "تاريخ", "اليمن", "صيني", "تمر", "نخيل", "عربية", "مينسك");
  const passages = fc.array(fc.array(term, { maxLength: 8 }), { maxLength: 12 });

  it("gives the index a fresh build gives, over a dictionary that also holds other passages' terms", () => {
    fc.assert(
      fc.property(passages, passages, fc.array(fc.array(term, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (corpus, earlier, queries) => {
        // As a live reload keeps it: earlier passages (some gone now) gave out ids first, some to
        // terms no passage holds any more.
        const dictionary = createTermDictionary();
        for (const terms of earlier) dictionary.idsOf(terms.map((t) => `${t}-قديم`).concat(terms));
        const kept = createBm25IndexOfTermIds(corpus.map((terms) => dictionary.idsOf(terms)), dictionary);
        const fresh = createBm25Index(corpus);
        for (const query of queries) {
          const weights = query.map((_, i) => 1 / (i + 1));
          expect(kept.search(query, 5, weights)).toEqual(fresh.search(query, 5, weights));
        }
        for (const t of ["قهوة", "شاي", "مينسك", "قهوة-قديم", "مجهول"]) {
          expect(kept.documentFrequency(t)).toBe(fresh.documentFrequency(t));
          expect(kept.idf(t)).toBe(fresh.idf(t));
        }
        expect(kept.distinctTerms).toBe(new Set(corpus.flat()).size);
      }),
      { numRuns: 300 },
    );
  });

  it("treats a term given an id after the build as absent", () => {
    const dictionary = createTermDictionary();
    const index = createBm25IndexOfTermIds([dictionary.idsOf(["قهوة"])], dictionary);
    dictionary.idsOf(["شاي"]);
    expect(index.documentFrequency("شاي")).toBe(0);
    expect(index.search(["شاي", "قهوة"], 5)).toEqual(index.search(["قهوة"], 5));
  });
});
