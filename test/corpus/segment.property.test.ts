import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPassages } from "../../src/corpus/passages";
import { segmentDocument } from "../../src/corpus/segment";

// Must match the segmenter's notion of blank (whitespace plus invisible direction marks).
const BLANK = /[\s\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069]/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

const words = ["قال", "الوزير", "بيلاروسيا", "الاتحاد", "مفهوماً", "أمنياً", "وفي", "news", "Minsk", "x", "😀", "👍🏽", "ﷺ"];
/** Tokens that must never be cut, whatever surrounds them. */
const atoms = ["2024-2026", "6 أبريل 2023", "8 آلاف", "3.5", "1,000", "٣٫٥", "0.25%", "12.03.2024", "v1.2.3"];
const punctuation = [".", "؟", "?", "!", "؛", "...", "?!", "…", "،", ":", "–", "-", "“", "”", "«", "»", '"', "(", ")", "[", "]", "'"];
const blanks = [" ", " ", " ", "  ", "\t", "\u00a0", "\u200f", "\u200e"];
const breaks = ["\n", "\r\n", "\r", "\n\n", "\u2028", "\u2029", "\n \n"];

type Piece = { text: string; atom: boolean };
const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...words).map((text) => ({ text, atom: false })) },
  { weight: 2, arbitrary: fc.constantFrom(...atoms).map((text) => ({ text, atom: true })) },
  { weight: 3, arbitrary: fc.constantFrom(...punctuation).map((text) => ({ text, atom: false })) },
  { weight: 5, arbitrary: fc.constantFrom(...blanks).map((text) => ({ text, atom: false })) },
  { weight: 1, arbitrary: fc.constantFrom(...breaks).map((text) => ({ text, atom: false })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 99999 }).map((n) => ({ text: String(n), atom: false })) },
  // Balanced quotes and brackets around a few words, with a terminator inside.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(["“", "”"], ["«", "»"], ['"', '"'], ["(", ")"], ["[", "]"]), fc.constantFrom(...words), fc.constantFrom(...words))
      .map(([[open, close], a, b]) => ({ text: `${open}${a}. ${b}${close}`, atom: false })),
  },
);

/** Text built from pieces, with the spans of the atoms in it. */
const generatedText = fc.array(piece, { maxLength: 80 }).map((pieces) => {
  let text = "";
  const atomSpans: { start: number; end: number }[] = [];
  for (const p of pieces) {
    if (p.atom) atomSpans.push({ start: text.length, end: text.length + p.text.length });
    text += p.text;
  }
  return { text, atomSpans };
});

const isBlank = (s: string) => [...s].every((c) => BLANK.test(c));
const splitsSurrogate = (text: string, at: number) =>
  /[\uD800-\uDBFF]/.test(text[at - 1] ?? "") && /[\uDC00-\uDFFF]/.test(text[at] ?? "");

describe("segmentation properties", () => {
  it("sentences are exact, trimmed, ordered slices that cover every visible character", () => {
    fc.assert(
      fc.property(generatedText, ({ text, atomSpans }) => {
        const { document, sentences } = segmentDocument({ id: "g", meta: { title: "g" }, text });
        expect(document.text).toBe(text);

        // Paragraphs: ordered, trimmed, single-line, and together hold every visible character.
        let previousEnd = 0;
        for (const p of document.paragraphs) {
          expect(p.start).toBeGreaterThanOrEqual(previousEnd);
          expect(p.end).toBeGreaterThan(p.start);
          expect(isBlank(text.slice(previousEnd, p.start))).toBe(true);
          expect(LINE_BREAK.test(text.slice(p.start, p.end))).toBe(false);
          previousEnd = p.end;
        }
        expect(isBlank(text.slice(previousEnd))).toBe(true);

        for (const p of document.paragraphs) {
          const own = sentences.filter((s) => s.paragraph === p.index);
          expect(own.length).toBeGreaterThan(0);
          expect(own.map((s) => s.sentence)).toEqual(own.map((_, i) => i + 1));
          let cursor = p.start;
          for (const [i, s] of own.entries()) {
            expect(s.text).toBe(text.slice(s.start, s.end));
            expect(s.id).toBe(`g:${p.index}:${i + 1}`);
            expect(s.start).toBeGreaterThanOrEqual(cursor);
            expect(s.end).toBeGreaterThan(s.start);
            expect(s.end).toBeLessThanOrEqual(p.end);
            expect(BLANK.test(s.text[0])).toBe(false);
            expect(BLANK.test(s.text[s.text.length - 1])).toBe(false);
            expect(splitsSurrogate(text, s.start) || splitsSurrogate(text, s.end)).toBe(false);
            // Between sentences there is only blank space: nothing visible is lost.
            expect(isBlank(text.slice(cursor, s.start))).toBe(true);
            // Sentences only break where blank space follows.
            if (i > 0) expect(s.start).toBeGreaterThan(cursor);
            cursor = s.end;
          }
          expect(cursor).toBe(p.end);
        }

        // Numbers, dates and ranges stay inside one sentence.
        for (const atom of atomSpans) {
          expect(sentences.some((s) => s.start <= atom.start && atom.end <= s.end)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("passages cover every sentence and stay inside one paragraph", () => {
    const options = fc.integer({ min: 1, max: 5 }).chain((windowSize) =>
      fc.record({ windowSize: fc.constant(windowSize), stride: fc.integer({ min: 1, max: windowSize }) }),
    );
    fc.assert(
      fc.property(fc.array(generatedText, { minLength: 1, maxLength: 3 }), options, (texts, { windowSize, stride }) => {
        const segmented = texts.map(({ text }, i) => segmentDocument({ id: `d${i}`, meta: { title: "t" }, text }));
        const documents = segmented.map((s) => s.document);
        const sentences = segmented.flatMap((s) => s.sentences);
        const passages = buildPassages(documents, sentences, { windowSize, stride });

        const covered = new Set<number>();
        passages.forEach((passage, i) => {
          expect(passage.index).toBe(i);
          const members = passage.sentenceIndices.map((j) => sentences[j]);
          expect(members.length).toBeGreaterThan(0);
          expect(members.length).toBeLessThanOrEqual(windowSize);
          for (const [k, s] of members.entries()) {
            expect(s.docId).toBe(passage.docId);
            expect(s.paragraph).toBe(passage.paragraph);
            if (k > 0) expect(passage.sentenceIndices[k]).toBe(passage.sentenceIndices[k - 1] + 1);
          }
          const text = documents.find((d) => d.id === passage.docId)!.text;
          expect(passage.start).toBe(members[0].start);
          expect(passage.end).toBe(members[members.length - 1].end);
          expect(passage.text).toBe(text.slice(passage.start, passage.end));
          passage.sentenceIndices.forEach((j) => covered.add(j));
        });
        expect(covered.size).toBe(sentences.length);
      }),
      { numRuns: 200 },
    );
  });
});
