import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCorpus } from "../../src/corpus/build";
import type { ExtractedText, PageSpan, SectionSpan } from "../../src/types";

// A paginated and sectioned text: paragraphs of sentences, page breaks at any offset (a sentence
// may cross one), headings at the start of some paragraphs.
const sentence = fc.constantFrom("قال الوزير إن الاتفاق وقع.", "وأضاف أن التنفيذ يبدأ غداً!", "Is it true?", "نعم؛", "جملة بلا نهاية");
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 4 }).map((s) => s.join(" "));
const document = fc.record({
  paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 8 }),
  pageCuts: fc.array(fc.nat(), { maxLength: 6 }),
  headings: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  ocr: fc.boolean(),
});

function paginate(input: { paragraphs: string[]; pageCuts: number[]; headings: boolean[]; ocr: boolean }): ExtractedText {
  const text = input.paragraphs.join("\n");
  const cuts = [...new Set(input.pageCuts.map((cut) => cut % text.length))].filter((cut) => cut > 0).sort((a, b) => a - b);
  const starts = [0, ...cuts];
  const pages: PageSpan[] = starts.map((start, i) => ({
    page: i + 1,
    start,
    end: i + 1 < starts.length ? starts[i + 1] : text.length,
    ...(input.ocr && i % 2 === 1 && { ocr: true, ocrConfidence: 80 + i }),
  }));
  const sections: SectionSpan[] = [];
  let offset = 0;
  input.paragraphs.forEach((p, i) => {
    if (input.headings[i]) {
      const last = sections.at(-1);
      if (last) last.end = offset - 1;
      sections.push({ heading: `h${i}`, start: offset, end: text.length });
    }
    offset += p.length + 1;
  });
  return { format: "pdf", text, pages, sections };
}

const pageAt = (pages: PageSpan[], offset: number) => pages.filter((p) => p.start <= offset).at(-1)!;

describe("buildCorpus with extracted text (property)", () => {
  it("gives every sentence the page its start lies on, pageEnd only when its end lies on another, and its section", () => {
    fc.assert(
      fc.property(document, (input) => {
        const extracted = paginate(input);
        const { corpus } = buildCorpus([{ name: "doc.pdf", extracted }]);
        const [doc] = corpus.documents;
        expect(doc.format).toBe("pdf");
        expect(doc.pages).toEqual(extracted.pages);
        for (const s of corpus.sentences) {
          expect(doc.text.slice(s.start, s.end)).toBe(s.text);
          const first = pageAt(extracted.pages!, s.start);
          const last = pageAt(extracted.pages!, s.end - 1);
          expect(s.page).toBe(first.page);
          expect(s.pageEnd).toBe(last.page !== first.page ? last.page : undefined);
          expect(s.ocr).toBe(first.ocr);
          expect(s.ocrConfidence).toBe(first.ocrConfidence);
          const section = extracted.sections!.find((x) => x.start <= s.start && s.start < x.end);
          expect(s.section).toBe(section?.heading);
        }
      }),
      { numRuns: 300 },
    );
  });
});
