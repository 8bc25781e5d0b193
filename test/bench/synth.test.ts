import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildCorpus } from "../../src/corpus/build";
import { buildPassages } from "../../src/corpus/passages";
import { mulberry32, zipfRank } from "../../bench/lib/random";
import { generatedQuestions } from "../../bench/lib/questions";
import { passagesInParagraph, synthesizeCorpus } from "../../bench/lib/synth";

const SENTENCES = [
  "قال ألكسندر فولفوفيتش، أمين مجلس الأمن في جمهورية بيلاروسيا، إن روسيا وبيلاروسيا ستتبنيان مفهوماً أمنياً جديداً.",
  "وتم تطوير مفهوم أمني جديد لدولة الاتحاد في فريق عمل مشترك بين الولايات “لتنفيذ قرار” مجلس الدولة الأعلى.",
  "وقال فولفوفيتش: “في ديسمبر سنحتفل بالذكرى الخامسة والعشرين لتأسيس دولة الاتحاد” (2024).",
];
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("synthetic corpora", () => {
  it("are the same for the same seed and differ for another", () => {
    const a = synthesizeCorpus({ sentences: SENTENCES, passages: 200, seed: 1 });
    const b = synthesizeCorpus({ sentences: SENTENCES, passages: 200, seed: 1 });
    const c = synthesizeCorpus({ sentences: SENTENCES, passages: 200, seed: 2 });
    expect(a.map((f) => decode(f.bytes))).toEqual(b.map((f) => decode(f.bytes)));
    expect(a.map((f) => decode(f.bytes))).not.toEqual(c.map((f) => decode(f.bytes)));
  });

  it("hold exactly the requested number of passages once segmented", () => {
    for (const passages of [1, 7, 250, 1000]) {
      const { corpus, warnings } = buildCorpus(synthesizeCorpus({ sentences: SENTENCES, passages }));
      expect(warnings).toEqual([]);
      expect(corpus.passages).toHaveLength(passages);
    }
  });

  it("count passages per paragraph as buildPassages does", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (count) => {
        const text = "س. ".repeat(count);
        const document = { id: "d", meta: { title: "d" }, text, paragraphs: [{ index: 1, start: 0, end: text.length }] };
        const sentences = Array.from({ length: count }, (_, i) => ({
          id: `d:1:${i + 1}`, docId: "d", paragraph: 1, sentence: i + 1, start: 3 * i, end: 3 * i + 2, text: "س.",
        }));
        expect(buildPassages([document], sentences)).toHaveLength(passagesInParagraph(count));
      }),
    );
  });
});

describe("seeded randomness", () => {
  it("repeats and stays in range", () => {
    const a = mulberry32(9);
    const b = mulberry32(9);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it("draws Zipf ranks in [0, size) with rank 0 the most common", () => {
    const random = mulberry32(3);
    const counts = new Array(100).fill(0);
    for (let i = 0; i < 20_000; i++) counts[zipfRank(random, 100)]++;
    expect(counts.reduce((s, x) => s + x, 0)).toBe(20_000);
    expect(counts[0]).toBeGreaterThan(counts[10]);
    expect(counts[10]).toBeGreaterThan(counts[90]);
  });
});

describe("generated questions", () => {
  it("are deterministic questions made of corpus words", () => {
    const { corpus } = buildCorpus(synthesizeCorpus({ sentences: SENTENCES, passages: 50 }));
    const questions = generatedQuestions(corpus, 20, 5);
    expect(questions).toEqual(generatedQuestions(corpus, 20, 5));
    expect(questions).toHaveLength(20);
    for (const q of questions) expect(q.endsWith("؟")).toBe(true);
  });
});
