// The PDF reader on Chromium-printed Arabic fixtures (scripts/fixtures/make-pdfs.ts): fidelity to
// the source text, paragraphs, the page of every paragraph, running headers dropped, two columns
// read in order, and the codes for files that cannot be read.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractPdf } from "../../../src/corpus/formats/pdf";
import { UnreadableSource } from "../../../src/corpus/formats/unreadable";
import type { ExtractedText } from "../../../src/types";
import type { FixtureTruth } from "../../../scripts/fixtures/make-pdfs";
import { fidelity } from "./fidelity";

const FIXTURES = join(import.meta.dirname, "../../fixtures/documents");
const bytes = (file: string) => new Uint8Array(readFileSync(join(FIXTURES, file)));
const truth = (name: string): FixtureTruth => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as FixtureTruth;

/** The extracted paragraphs with their offsets, found by walking the text once. */
function paragraphsOf(text: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  let start = 0;
  for (const line of text.split("\n")) {
    out.push({ text: line, start, end: start + line.length });
    start += line.length + 1;
  }
  return out;
}

const pageAt = (result: ExtractedText, offset: number) => result.pages!.find((span) => span.start <= offset && offset < span.end)?.page;

/** A valid PDF of blank pages, written out by hand (catalog, page tree, pages, xref). */
function blankPdf(pages: number): Uint8Array {
  const objects = ["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${3 + i} 0 R`).join(" ")}] /Count ${pages} >>`];
  for (let i = 0; i < pages; i++) objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  return new TextEncoder().encode(`${body}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "read";
  } catch (error) {
    expect(error).toBeInstanceOf(UnreadableSource);
    return (error as UnreadableSource).code;
  }
}

describe("extractPdf on text PDFs", () => {
  for (const name of ["one-column", "justified", "two-columns", "running-header", "long", "english-columns", "libreoffice-justified", "libreoffice-docx"]) {
    describe(name, () => {
      const expected = truth(name);
      let result: ExtractedText;
      it("reads the text at fidelity ≥ 0.99, presentation forms folded, one paragraph per line", async () => {
        result = await extractPdf(bytes(`${name}.pdf`), { maxPages: 2000 });
        expect(result.format).toBe("pdf");
        const score = fidelity(expected.paragraphs.map((p) => p.text).join("\n"), result.text);
        expect(score).toBeGreaterThanOrEqual(0.99);
        expect(result.text).not.toMatch(/[\uFB50-\uFDFF\uFE70-\uFEFE]/u);
        expect(paragraphsOf(result.text)).toHaveLength(expected.paragraphs.length);
      });

      it("puts every paragraph on the pages the fixture printed it on, in reading order", () => {
        expect(result.pages).toHaveLength(expected.pageCount);
        const got = paragraphsOf(result.text);
        expected.paragraphs.forEach((paragraph, i) => {
          expect(fidelity(paragraph.text, got[i].text), `paragraph ${i + 1}`).toBeGreaterThan(0.97);
          expect(pageAt(result, got[i].start), `page of paragraph ${i + 1}`).toBe(paragraph.page);
          expect(pageAt(result, got[i].end - 1), `last page of paragraph ${i + 1}`).toBe(paragraph.pageEnd);
        });
      });

      it("keeps page spans inside the text, in order and disjoint", () => {
        let end = 0;
        result.pages!.forEach((span, i) => {
          expect(span.page).toBe(i + 1);
          expect(span.start).toBeGreaterThanOrEqual(end);
          expect(span.end).toBeGreaterThanOrEqual(span.start);
          expect(span.end).toBeLessThanOrEqual(result.text.length);
          end = span.end;
        });
      });
    });
  }

  it("takes the title from the PDF's metadata", async () => {
    const result = await extractPdf(bytes("one-column.pdf"), { maxPages: 2000 });
    expect(result.meta?.title).toBe(truth("one-column").title);
    expect((await extractPdf(bytes("long.pdf"), { maxPages: 2000 })).meta).toBeUndefined();
  });

  it("drops the running header, the footer and the page numbers", async () => {
    const result = await extractPdf(bytes("running-header.pdf"), { maxPages: 2000 });
    expect(result.text).not.toContain("مجلة الدراسات البيئية");
    expect(result.text).not.toMatch(/صفحة \d+ من/u);
  });

  it("reads a paragraph that crosses a page break as one paragraph with both pages", () => {
    const crossing = truth("running-header").paragraphs.filter((p) => p.pageEnd > p.page);
    expect(crossing.length).toBeGreaterThan(0); // the fixture has one; the page test above checks it
  });

  it("reads two columns right column first, each top to bottom", async () => {
    const result = await extractPdf(bytes("two-columns.pdf"), { maxPages: 2000 });
    const heads = truth("two-columns").paragraphs.map((p) => result.text.indexOf(p.text.slice(0, 40)));
    expect(heads.every((at) => at >= 0)).toBe(true);
    expect([...heads].sort((a, b) => a - b)).toEqual(heads);
  });

  for (const name of ["libreoffice-justified", "libreoffice-docx"]) {
    it(`reads LibreOffice's justified export (${name}) word for word: lam-alef, tanween before a full stop, brackets, a Latin quotation`, async () => {
      // LibreOffice writes a run per word group, kashidas and marks drawn apart (scripts/fixtures/make-libreoffice-pdfs.ts).
      const result = await extractPdf(bytes(`${name}.pdf`), { maxPages: 2000 });
      expect(result.text).toBe(truth(name).paragraphs.map((p) => p.text).join("\n"));
    });
  }

  it("reads a left-to-right page's left column first", async () => {
    const result = await extractPdf(bytes("english-columns.pdf"), { maxPages: 2000 });
    const heads = truth("english-columns").paragraphs.map((p) => result.text.indexOf(p.text.slice(0, 40)));
    expect(heads.every((at) => at >= 0)).toBe(true);
    expect([...heads].sort((a, b) => a - b)).toEqual(heads);
    expect(result.text).toContain("the word النيل means the Nile, and مياه means water");
  });

  it("reads an OCR'd scan's invisible text layer (Tesseract's, drawn leftwards) in logical order", async () => {
    const result = await extractPdf(bytes("ocr-layer.pdf"), { maxPages: 2000 });
    expect(result.pages).toEqual([{ page: 1, start: 0, end: result.text.length }]);
    const printed = truth("ocr-layer").paragraphs.map((p) => p.text).join("\n");
    // Bounded by Tesseract's reading of the scan (0.97 measured), not by the layout.
    expect(fidelity(printed, result.text)).toBeGreaterThan(0.95);
    expect(result.text).toContain("مينسك");
    expect(result.text).toContain("(رياليست عربي)");
  });

  it("keeps diacritics, lam-alef and the Allah ligature as written", async () => {
    const result = await extractPdf(bytes("two-columns.pdf"), { maxPages: 2000 });
    expect(result.text).toContain("يُعَدّ نهر النيل");
    expect(result.text).toContain("وَفِي الْمَدِينَةِ الْقَدِيمَةِ");
    expect(result.text).toContain("لا تقتصر أهمية الواحات");
    expect(result.text).toContain("محمد عبد الله");
    expect(result.text).toContain("بنسبة 12% خلال");
  });
});

describe("extractPdf on files it cannot read", () => {
  it("refuses an encrypted PDF", async () => {
    expect(await codeOf(extractPdf(bytes("encrypted.pdf"), { maxPages: 2000 }))).toBe("CORPUS_PDF_ENCRYPTED");
  });

  it("refuses a truncated PDF and bytes that are not a PDF", async () => {
    expect(await codeOf(extractPdf(bytes("truncated.pdf"), { maxPages: 2000 }))).toBe("CORPUS_PDF_CORRUPT");
    expect(await codeOf(extractPdf(new TextEncoder().encode("%PDF-1.7\nnot really"), { maxPages: 2000 }))).toBe("CORPUS_PDF_CORRUPT");
  });

  it("refuses a PDF over the page limit, saying how many pages it has", async () => {
    const error = await extractPdf(bytes("long.pdf"), { maxPages: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableSource);
    expect((error as UnreadableSource).code).toBe("CORPUS_PDF_TOO_MANY_PAGES");
    expect((error as UnreadableSource).detail).toBe("it has 32 pages, over the 30-page limit");
  });

  it("says how many pages, with thousands separated, when a PDF is over the limit", async () => {
    const error = await extractPdf(blankPdf(2345), { maxPages: 2000 }).catch((e: unknown) => e);
    expect((error as UnreadableSource).detail).toBe("it has 2,345 pages, over the 2,000-page limit");
  });

  it("reads blank pages as empty pages, not as scans needing OCR", async () => {
    expect(await extractPdf(blankPdf(2), { maxPages: 2000 })).toEqual({
      format: "pdf",
      text: "",
      pages: [
        { page: 1, start: 0, end: 0 },
        { page: 2, start: 0, end: 0 },
      ],
    });
  });

  it("refuses a scanned PDF when no OCR engine is given, counting the pages without text", async () => {
    const error = await extractPdf(bytes("scanned.pdf"), { maxPages: 2000 }).catch((e: unknown) => e);
    expect((error as UnreadableSource).code).toBe("CORPUS_OCR_UNAVAILABLE");
    expect((error as UnreadableSource).detail).toBe("3 of its 3 pages have no text layer");
  });

  it("counts a scan with a page number stamped on it as a page without a text layer", async () => {
    const error = await extractPdf(bytes("scanned-stamped.pdf"), { maxPages: 2000 }).catch((e: unknown) => e);
    expect((error as UnreadableSource).code).toBe("CORPUS_OCR_UNAVAILABLE");
    expect((error as UnreadableSource).detail).toBe("1 of its 1 page has no text layer");
  });

  it("does not change the bytes it is given", async () => {
    const input = bytes("one-column.pdf");
    const copy = input.slice();
    await extractPdf(input, { maxPages: 2000 });
    expect(input).toEqual(copy);
  });
});
