import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHashingEmbedder, type HashingEmbedderOptions } from "../../src/embed";
import { AppError } from "../../src/errors";

// A stand-in for src/text: lowercase, split on anything but letters and digits, drop a few stop words.
const STOP = new Set(["في", "من", "على", "عن", "ما", "هو", "the", "of"]);
const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
const terms = (text: string) => words(text).filter((w) => !STOP.has(w));

const embedOne = async (options: Partial<HashingEmbedderOptions>, text: string) =>
  (await createHashingEmbedder({ terms, ...options }).embed([text], "passage"))[0];
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

const PASSAGES = [
  "قال أمين مجلس الأمن في جمهورية بيلاروسيا إن روسيا وبيلاروسيا ستتبنيان مفهوما أمنيا جديدا لدولة الاتحاد",
  "تم تطوير مفهوم أمني جديد لدولة الاتحاد في فريق عمل مشترك",
  "تجري التدريبات العسكرية المشتركة من المستوى التكتيكي إلى المستوى الاستراتيجي",
  "سنحتفل بالذكرى الخامسة والعشرين لتأسيس دولة الاتحاد",
  "ناقش الوزيران التعاون في مجال الدفاع بين وزارتي الخارجية",
];

describe("createHashingEmbedder", () => {
  it("is deterministic across instances and ignores the embed kind", async () => {
    const first = createHashingEmbedder({ terms, corpus: PASSAGES });
    const second = createHashingEmbedder({ terms, corpus: PASSAGES });
    const [a] = await first.embed([PASSAGES[0]], "passage");
    const [b] = await second.embed([PASSAGES[0]], "passage");
    const [c] = await second.embed([PASSAGES[0]], "query");
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).toEqual(Array.from(c));
    expect(first.id).toBe(second.id);
  });

  it("returns vectors of the configured dimension, 256 by default", async () => {
    expect((await embedOne({}, PASSAGES[0])).length).toBe(256);
    for (const dimension of [7, 512, 2048]) {
      const embedder = createHashingEmbedder({ terms, dimension });
      expect(embedder.dimension).toBe(dimension);
      expect((await embedder.embed([PASSAGES[1]], "query"))[0].length).toBe(dimension);
    }
  });

  it("returns unit or zero vectors for any text, zero when it has no terms, never NaN", async () => {
    const embedder = createHashingEmbedder({ terms, corpus: PASSAGES, dimension: 64 });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 40 }), async (text) => {
        const [vector] = await embedder.embed([text], "passage");
        expect(vector.every(Number.isFinite)).toBe(true);
        // Signed hashing can cancel out exactly (e.g. "ﰆ" at dimension 64: its one word feature and
        // its one n-gram share a bucket with opposite signs), so a non-empty text may still give zero.
        const length = norm(vector);
        if (terms(text).length === 0) expect(length).toBe(0);
        else expect(Math.abs(length - 1) < 1e-5 || length === 0, `norm ${length}`).toBe(true);
      }),
    );
  });

  it("gives unit vectors for ordinary texts", async () => {
    const vectors = await createHashingEmbedder({ terms, corpus: PASSAGES }).embed([...PASSAGES, "روسيا", "a"], "passage");
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it("gives a zero vector for empty, punctuation-only and stop-word-only text", async () => {
    const embedder = createHashingEmbedder({ terms, corpus: PASSAGES });
    for (const vector of await embedder.embed(["", "  ؟!،. ", "في من على"], "query")) {
      expect(vector.every((x) => x === 0)).toBe(true);
    }
  });

  it("puts related Arabic texts closer than unrelated ones", async () => {
    const embedder = createHashingEmbedder({ terms, corpus: PASSAGES });
    const [concept, question, drills] = await embedder.embed(
      [PASSAGES[1], "أين تم تطوير المفهوم الأمني الجديد لدولة الاتحاد؟", PASSAGES[2]],
      "passage",
    );
    expect(dot(question, concept)).toBeGreaterThan(dot(question, drills) + 0.2);
  });

  it("learns from the corpus that frequent words matter less", async () => {
    const corpus = ["الاتحاد بيلاروسيا", "الاتحاد روسيا", "الاتحاد مجلس", "الاتحاد الدفاع"];
    const options = { corpus, ngramWeight: 0 };
    const [both, rare, frequent] = await createHashingEmbedder({ terms, ...options }).embed(["الاتحاد بيلاروسيا", "بيلاروسيا", "الاتحاد"], "query");
    expect(dot(both, rare)).toBeGreaterThan(dot(both, frequent) + 0.2);

    // Without a corpus both words weigh the same.
    const [plainBoth, plainRare, plainFrequent] = await createHashingEmbedder({ terms, ngramWeight: 0 }).embed(["الاتحاد بيلاروسيا", "بيلاروسيا", "الاتحاد"], "query");
    expect(dot(plainBoth, plainRare)).toBeCloseTo(dot(plainBoth, plainFrequent), 5);
  });

  it("gives words never seen in the corpus the highest weight", async () => {
    const corpus = ["الاتحاد روسيا", "الاتحاد مجلس"];
    const [both, unseen, seen] = await createHashingEmbedder({ terms, corpus, ngramWeight: 0 }).embed(["روسيا كلاشينكوف", "كلاشينكوف", "روسيا"], "query");
    expect(dot(both, unseen)).toBeGreaterThan(dot(both, seen));
  });

  it("keeps misspelled and inflected forms close through character n-grams", async () => {
    const pairs: Array<[string, string, string]> = [
      ["الخارجية", "الخارجيه", "التدريبات"], // ة written as ه
      ["الاستراتيجي", "الإستراتيجي", "مجلس"], // hamza added
      ["بيلاروسيا", "بيلاروسا", "الاتحاد"], // dropped letter
      ["بيلاروسيا", "وبيلاروسيا", "الاتحاد"], // attached conjunction
      ["المفهوم", "مفهوم", "الدفاع"], // with and without the article
    ];
    const embedder = createHashingEmbedder({ terms, corpus: PASSAGES });
    const wordsOnly = createHashingEmbedder({ terms, corpus: PASSAGES, ngramWeight: 0 });
    // The word parts of two different words are orthogonal, so with ngramWeight 1 the ceiling is 0.5.
    for (const [word, variant, unrelated] of pairs) {
      const [w, v, u] = await embedder.embed([word, variant, unrelated], "query");
      expect(dot(w, v), `${word} ~ ${variant}`).toBeGreaterThan(0.22);
      expect(dot(w, v)).toBeGreaterThan(dot(w, u) + 0.2);
      const [plainW, plainV] = await wordsOnly.embed([word, variant], "query");
      expect(Math.abs(dot(plainW, plainV))).toBeLessThan(0.2); // only the n-grams bring them together
    }
  });

  it("takes n-grams from the separate `words` analyzer when given", async () => {
    const embedder = createHashingEmbedder({ terms: () => [], words, ngramWeight: 1 });
    const [vector] = await embedder.embed(["الاتحاد"], "query");
    expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it("encodes its version, settings and corpus in the id", () => {
    expect(createHashingEmbedder({ terms }).id).toBe("hashing-v1-d256-n3-5-g1");
    expect(createHashingEmbedder({ terms, dimension: 512, ngrams: [2, 4], ngramWeight: 0.5 }).id).toBe("hashing-v1-d512-n2-4-g0.5");
    const a = createHashingEmbedder({ terms, corpus: PASSAGES }).id;
    const b = createHashingEmbedder({ terms, corpus: PASSAGES.slice(1) }).id;
    expect(a).toMatch(/^hashing-v1-d256-n3-5-g1-idf[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it("rejects invalid settings with INVALID_CONFIG", () => {
    const bad: Array<Partial<HashingEmbedderOptions>> = [{ dimension: 0 }, { dimension: 1.5 }, { ngrams: [0, 3] }, { ngrams: [4, 3] }, { ngramWeight: -1 }, { ngramWeight: Number.NaN }];
    for (const options of bad) {
      expect(() => createHashingEmbedder({ terms, ...options }), JSON.stringify(options)).toThrow(AppError);
      try {
        createHashingEmbedder({ terms, ...options });
      } catch (error) {
        expect((error as AppError).code).toBe("INVALID_CONFIG");
      }
    }
  });

  it("treats options explicitly set to undefined as defaults", () => {
    expect(createHashingEmbedder({ terms, dimension: undefined, ngrams: undefined, ngramWeight: undefined }).id).toBe("hashing-v1-d256-n3-5-g1");
  });
});
