// OCR of a scanned PDF through Debian's Tesseract (skipped, with the install line, when it is
// not installed), and the adapter's TSV reading on its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createTesseractOcr, readTsv } from "../../../src/corpus/formats/ocr-node";
import { extractPdf, type OcrEngine } from "../../../src/corpus/formats/pdf";
import type { ExtractedText } from "../../../src/types";
import type { FixtureTruth } from "../../../scripts/fixtures/make-pdfs";
import { fidelity } from "./fidelity";

const FIXTURES = join(import.meta.dirname, "../../fixtures/documents");
const ocr = await createTesseractOcr();
if (!ocr) console.warn("OCR tests skipped: Tesseract with Arabic is not installed (apt-get install -y tesseract-ocr tesseract-ocr-ara).");

describe("readTsv", () => {
  const header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";
  const word = (block: number, par: number, line: number, n: number, conf: number, text: string) => `5\t1\t${block}\t${par}\t${line}\t${n}\t0\t0\t10\t10\t${conf}\t${text}`;

  it("gives one paragraph per line, words in Tesseract's order, presentation forms folded", () => {
    const tsv = [header, "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t", word(1, 1, 1, 1, 90, "ﻻ"), word(1, 1, 1, 2, 80, "شيء"), word(1, 1, 2, 1, 70, "هنا"), word(2, 1, 1, 1, 60, "نهاية")].join("\n");
    expect(readTsv(tsv)).toEqual({ text: "لا شيء هنا\nنهاية", confidence: 75 });
  });

  it("has confidence 0 and no text for a page with no words", () => {
    expect(readTsv(`${header}\n1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n`)).toEqual({ text: "", confidence: 0 });
  });
});

describe("createTesseractOcr", () => {
  it("is undefined when the command or a language is missing", async () => {
    expect(await createTesseractOcr({ command: "/nonexistent/tesseract" })).toBeUndefined();
    if (ocr) expect(await createTesseractOcr({ languages: "ara+zzz" })).toBeUndefined();
  });
});

describe.skipIf(!ocr)("extractPdf with OCR on a scanned PDF", () => {
  const truth = JSON.parse(readFileSync(join(FIXTURES, "scanned.json"), "utf8")) as FixtureTruth;
  let result: ExtractedText;
  beforeAll(async () => {
    result = await extractPdf(new Uint8Array(readFileSync(join(FIXTURES, "scanned.pdf"))), { maxPages: 100, ocr: ocr as OcrEngine });
  }, 600_000);

  it("marks every page as read by OCR, with Tesseract's mean confidence", () => {
    expect(result.pages).toHaveLength(3);
    for (const page of result.pages!) {
      expect(page.ocr).toBe(true);
      expect(page.ocrConfidence).toBeGreaterThan(60);
      expect(page.ocrConfidence).toBeLessThanOrEqual(100);
    }
  });

  // Measured 0.970–0.973 (Tesseract 5, ara+eng, pages rendered at the scan's 150 dpi): it reads the
  // Arabic comma as a Latin one, misses a few letters and a few words. The floor sits a little below.
  it("reads a scan with a page number stamped on it by OCR, not by its few characters of text", async () => {
    const stamped = await extractPdf(new Uint8Array(readFileSync(join(FIXTURES, "scanned-stamped.pdf"))), { maxPages: 100, ocr: ocr as OcrEngine });
    expect(stamped.pages).toMatchObject([{ page: 1, ocr: true }]);
    const printed = truth.paragraphs.filter((p) => p.page === 1).map((p) => p.text).join("\n");
    expect(fidelity(printed, stamped.text)).toBeGreaterThan(0.93);
  }, 300_000);

  it("reads the text at the measured fidelity, each page's text from that page", () => {
    const whole = fidelity(truth.paragraphs.map((p) => p.text).join("\n"), result.text);
    console.info(`OCR fidelity on scanned.pdf: ${whole.toFixed(3)}`);
    expect(whole).toBeGreaterThan(0.95);
    for (const span of result.pages!) {
      const printed = truth.paragraphs.filter((p) => p.page === span.page).map((p) => p.text).join("\n");
      expect(fidelity(printed, result.text.slice(span.start, span.end)), `page ${span.page}`).toBeGreaterThan(0.93);
    }
  });
});
