// PDFs through the loader (worker threads, the real pdf.js reader): every sentence knows the page
// it is printed on, checked against where scripts/fixtures/make-pdfs.ts put each paragraph.
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExtractor } from "../../src/corpus/formats/extract-node";
import { loadCorpusDir } from "../../src/corpus/load-node";
import type { Corpus } from "../../src/types";

const FIXTURES = "test/fixtures/documents";
interface FixturePage { pageCount: number; paragraphs: { text: string; page: number; pageEnd: number }[] }
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name.replace(/\.pdf$/, ".json")), "utf8")) as FixturePage;
const fold = (text: string) => text.normalize("NFKC").replace(/\s+/g, " ").trim();

let dir: string;
let corpus: Corpus;
const pool = createExtractor({ poolSize: 2 });
const FILES = ["running-header.pdf", "long.pdf", "two-columns.pdf"];
/** one-column.pdf rasterised, no text layer: read by OCR in the reader's thread when Tesseract (ara) is installed. */
const SCANNED = "scanned.pdf";
const hasTesseract = (() => {
  try {
    return /\bara\b/.test(execFileSync("tesseract", ["--list-langs"], { stdio: ["ignore", "pipe", "pipe"] }).toString());
  } catch {
    return false;
  }
})();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "corpus-pdf-"));
  for (const name of [...FILES, ...(hasTesseract ? [SCANNED] : [])]) await copyFile(join(FIXTURES, name), join(dir, name));
  const loaded = await loadCorpusDir(dir, { extractor: pool });
  expect(loaded.warnings).toEqual([]);
  corpus = loaded.corpus;
}, 300_000);
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe("PDFs in the corpus", () => {
  it.each(FILES)("%s: every sentence's page is the one the fixture printed it on", (name) => {
    const expected = fixture(name);
    const id = name.replace(/\.pdf$/, "");
    const document = corpus.documents.find((d) => d.id === id)!;
    expect(document.format).toBe("pdf");
    expect(document.pages?.at(-1)?.page).toBe(expected.pageCount);
    const sentences = corpus.sentences.filter((s) => s.docId === id);
    // Sentences repeat across the fixture's paragraphs, so each is found after the one before it.
    const starts: number[] = [];
    let whole = "";
    for (const paragraph of expected.paragraphs) {
      starts.push(whole.length);
      whole += fold(paragraph.text) + " ";
    }
    const paragraphAt = (offset: number) => expected.paragraphs[starts.findLastIndex((start) => start <= offset)];
    let cursor = 0;
    let checked = 0;
    for (const sentence of sentences) {
      const at = whole.indexOf(fold(sentence.text), cursor);
      if (at < 0) continue; // a sentence the reader joined differently is the reader's fidelity tests' business
      cursor = at + fold(sentence.text).length;
      checked++;
      const first = paragraphAt(at);
      const last = paragraphAt(cursor - 1);
      expect(sentence.page).toBeGreaterThanOrEqual(first.page);
      expect(sentence.pageEnd ?? sentence.page).toBeLessThanOrEqual(last.pageEnd);
      if (first === last && first.page === first.pageEnd) {
        expect(sentence.page).toBe(first.page);
        expect(sentence.pageEnd).toBeUndefined();
      }
    }
    expect(checked / sentences.length).toBeGreaterThan(0.9);
  });

  it("gives a sentence that crosses a page break both pages", () => {
    const crossing = fixture("running-header.pdf").paragraphs.find((p) => p.pageEnd > p.page)!;
    const sentences = corpus.sentences.filter((s) => s.docId === "running-header" && fold(crossing.text).includes(fold(s.text)));
    expect(sentences.some((s) => s.page === crossing.page && s.pageEnd === crossing.pageEnd)).toBe(true);
  });

  it.skipIf(!hasTesseract)("marks the sentences of a scanned PDF as OCR'd, with their page's confidence and page", () => {
    const expected = fixture(SCANNED);
    const sentences = corpus.sentences.filter((s) => s.docId === "scanned");
    expect(sentences.length).toBeGreaterThan(0);
    for (const s of sentences) {
      expect(s.ocr).toBe(true);
      expect(s.ocrConfidence).toBeGreaterThan(0);
      expect(s.ocrConfidence).toBeLessThanOrEqual(100);
      expect(s.page).toBeGreaterThanOrEqual(1);
      expect(s.pageEnd ?? s.page).toBeLessThanOrEqual(expected.pageCount);
    }
  });
});
