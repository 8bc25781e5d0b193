// PDF reader: pdfjs-dist's legacy build (the one meant for Node), run in the calling thread (the
// corpus runs every reader inside its own worker thread with limits), with no eval, no font
// loading and no network. Text pages go through pdf-lines.ts and pdf-layout.ts; pages with no
// text layer but an image are read by OCR when an engine is given.
import type { ExtractedText } from "../../types";
import { dropRunningLines, joinParagraphs, readingOrder, writePages, type PageContent } from "./pdf-layout";
import { compose as composeMatrices, placeGlyphs, splitRightToLeftRuns } from "./pdf-glyphs";
import { buildLines, type Line, type TextRun } from "./pdf-lines";
import { UnreadableSource } from "./unreadable";

/** Reads the image of a page that has no text layer. */
export interface OcrEngine {
  /**
   * `png`: the page rendered as a PNG, at `page.dpi`. `text`: one paragraph per line.
   * Confidence: Tesseract's mean word confidence, 0–100.
   */
  recognize(png: Uint8Array, page?: { dpi: number }): Promise<{ text: string; confidence: number }>;
}

export interface PdfReadOptions {
  /** A PDF with more pages than this is refused (CORPUS_PDF_TOO_MANY_PAGES). */
  maxPages: number;
  /** Absent: a PDF with pages that have no text layer is refused (CORPUS_OCR_UNAVAILABLE). */
  ocr?: OcrEngine;
  /**
   * Resolution at which pages are rendered for OCR. Default: the scan's own resolution, kept
   * between 150 and 300 dpi (upsampling adds no detail: on the fixture, a 150 dpi scan rendered
   * at 300 dpi made Tesseract drop lines, fidelity 0.935 against 0.973 at 150).
   */
  ocrDpi?: number;
}

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
type PdfDocument = Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;
type PdfPage = Awaited<ReturnType<PdfDocument["getPage"]>>;

let pdfjsModule: Promise<PdfJs> | undefined;
const loadPdfJs = () => (pdfjsModule ??= import("pdfjs-dist/legacy/build/pdf.mjs"));

const count = (n: number) => n.toLocaleString("en-US");

/** Raised when the reader changes what it writes, so cached extractions are redone (2: glyph-placed word runs of LibreOffice PDFs). */
export const PDF_READER_VERSION = 2;

export async function extractPdf(bytes: Uint8Array, options: PdfReadOptions): Promise<ExtractedText> {
  const pdfjs = await loadPdfJs();
  const document = await openDocument(pdfjs, bytes);
  try {
    if (document.numPages > options.maxPages) {
      throw new UnreadableSource("CORPUS_PDF_TOO_MANY_PAGES", `it has ${count(document.numPages)} pages, over the ${count(options.maxPages)}-page limit`);
    }
    const pages = await readPages(pdfjs, document);
    const scanned = pages.filter((page) => !Array.isArray(page)).length;
    if (scanned > 0 && !options.ocr) {
      const verb = scanned === 1 ? "has" : "have";
      throw new UnreadableSource("CORPUS_OCR_UNAVAILABLE", `${count(scanned)} of its ${count(pages.length)} page${pages.length === 1 ? "" : "s"} ${verb} no text layer`);
    }
    const withText = dropRunningLines(pages.map((page) => (Array.isArray(page) ? page : [])));
    const lines = joinParagraphs(withText.map((page) => readingOrder(page)));
    const content: PageContent[] = [];
    for (const [index, page] of pages.entries()) {
      if (Array.isArray(page)) content.push({ kind: "text", lines: lines[index] });
      else content.push(await recognize(document, index + 1, options.ocrDpi ?? Math.min(300, Math.max(150, page.scanDpi)), options.ocr!));
    }
    const written = writePages(content);
    const title = await documentTitle(document);
    return { format: "pdf", text: written.text, pages: written.pages, ...(title ? { meta: { title } } : {}) };
  } catch (error) {
    if (isPdfJsError(error)) throw new UnreadableSource("CORPUS_PDF_CORRUPT", describe(error));
    throw error;
  } finally {
    await document.destroy();
  }
}

/**
 * Each page as lines of its text layer, or, for a scan (an image and no text, or a page-sized
 * image under a few stamped characters), the resolution of the scan.
 */
async function readPages(pdfjs: PdfJs, document: PdfDocument): Promise<(Line[] | { scanDpi: number })[]> {
  const pages: (Line[] | { scanDpi: number })[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await readPage(document, number);
    const runs = await glyphLevelRuns(pdfjs, page, await textRuns(page));
    const letters = runs.reduce((sum, run) => sum + (run.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0), 0);
    const image = letters < STAMP_LETTERS ? await largestImage(pdfjs, page) : undefined;
    pages.push(image && (letters === 0 || image.coverage >= 0.5) ? { scanDpi: image.dpi } : buildLines(runs));
    page.cleanup();
  }
  return pages;
}

async function recognize(document: PdfDocument, number: number, dpi: number, ocr: OcrEngine): Promise<PageContent> {
  const png = await renderPng(document, number, dpi);
  const { text, confidence } = await ocr.recognize(png, { dpi }).catch((error: unknown) => {
    throw new UnreadableSource("CORPUS_EXTRACTION_FAILED", `OCR failed on page ${count(number)}: ${describe(error)}`);
  });
  return { kind: "ocr", paragraphs: text.split("\n"), confidence };
}

async function openDocument(pdfjs: PdfJs, bytes: Uint8Array): Promise<PdfDocument> {
  const task = pdfjs.getDocument({
    data: bytes.slice(), // pdf.js takes ownership of (and detaches) the buffer it is given
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    stopAtErrors: true,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy();
    if (error instanceof Error && error.name === "PasswordException") {
      throw new UnreadableSource("CORPUS_PDF_ENCRYPTED", "it needs a password to open");
    }
    throw new UnreadableSource("CORPUS_PDF_CORRUPT", describe(error));
  }
}

async function readPage(document: PdfDocument, number: number): Promise<PdfPage> {
  try {
    return await document.getPage(number);
  } catch (error) {
    throw new UnreadableSource("CORPUS_PDF_CORRUPT", `page ${count(number)} cannot be read: ${describe(error)}`);
  }
}

/** pdf.js text items as runs; marked-content markers (no `str`) are skipped. */
async function textRuns(page: PdfPage): Promise<TextRun[]> {
  const content = await page.getTextContent();
  const runs: TextRun[] = [];
  for (const item of content.items) {
    if (!("str" in item)) continue;
    const [a, b, , , x, y] = item.transform as number[];
    // A negative horizontal scale draws the run leftwards from x (Tesseract's and OCRmyPDF's
    // invisible text layers write Arabic so, in logical order): pdf.js' reversal then undoes it.
    const mirrored = a < 0;
    const rtl = (item.dir === "rtl") !== mirrored;
    runs.push({ text: item.str, x: mirrored ? x - item.width : x, y, width: item.width, size: item.height > 0 ? Math.hypot(a, b) : 0, rtl, drawnLeftwards: mirrored });
  }
  return runs;
}

/**
 * On a page written in word runs (LibreOffice's, where Chromium writes about a glyph
 * per run), right-to-left runs cut into their glyphs, placed from the operator list
 * (pdf-glyphs.ts). Chromium's pages are left as they are: their lam-alef is a lam glyph and a
 * zero-width alef run that only pdf.js' own order keeps together.
 */
async function glyphLevelRuns(pdfjs: PdfJs, page: PdfPage, runs: TextRun[]): Promise<TextRun[]> {
  const rightToLeft = runs.filter((run) => run.rtl && !run.drawnLeftwards);
  const letters = rightToLeft.reduce((sum, run) => sum + (run.text.match(/\p{L}/gu)?.length ?? 0), 0);
  if (rightToLeft.length === 0 || letters / rightToLeft.length < WORD_RUN_LETTERS) return runs;
  const operators = await page.getOperatorList();
  return splitRightToLeftRuns(runs, placeGlyphs(operators.fnArray, operators.argsArray, pdfjs.OPS));
}

/** Letters per right-to-left run from which a page is taken as written in word runs. */
const WORD_RUN_LETTERS = 4;

/** Fewer letters than this over a page-sized image are a stamp (a page number), not a text layer. */
const STAMP_LETTERS = 20;

/**
 * The page's largest image: the share of the page it covers and its resolution, from the
 * transformation matrix in force where it is painted (pdf.js' operator list); undefined when the
 * page paints no image.
 */
async function largestImage(pdfjs: PdfJs, page: PdfPage): Promise<{ coverage: number; dpi: number } | undefined> {
  const operators = await page.getOperatorList();
  const { OPS } = pdfjs;
  const imageOps = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageXObjectRepeat, OPS.paintImageMaskXObject]);
  const [x0, y0, x1, y1] = page.view;
  const pageArea = Math.abs((x1 - x0) * (y1 - y0)) || 1;
  const stack: number[][] = [];
  let matrix = [1, 0, 0, 1, 0, 0];
  let best: { coverage: number; dpi: number } | undefined;
  operators.fnArray.forEach((op, i) => {
    const args = operators.argsArray[i] as unknown[];
    if (op === OPS.save) stack.push(matrix);
    else if (op === OPS.restore || op === OPS.paintFormXObjectEnd) matrix = stack.pop() ?? matrix;
    else if (op === OPS.paintFormXObjectBegin) {
      // A form's own matrix applies inside it, until its end.
      stack.push(matrix);
      if (Array.isArray(args[0]) && args[0].length === 6) matrix = composeMatrices(matrix, args[0] as number[]);
    }
    else if (op === OPS.transform) matrix = composeMatrices(matrix, args as number[]);
    else if (imageOps.has(op)) {
      // An image fills the unit square; the matrix maps it onto the page.
      const [a, b, c, d] = matrix;
      const coverage = Math.min(1, Math.abs(a * d - b * c) / pageArea);
      const widthPt = Math.hypot(a, b);
      // paintImageXObject's arguments are [object id, width, height] in pixels.
      const pixels = op === OPS.paintImageXObject && typeof args[1] === "number" ? args[1] : undefined;
      const dpi = pixels && widthPt > 0 ? (pixels / widthPt) * 72 : 300;
      if (!best || coverage > best.coverage) best = { coverage, dpi };
    }
  });
  return best;
}


/** The page drawn by pdf.js itself (on @napi-rs/canvas, pdf.js' Node canvas) as a PNG. */
async function renderPng(document: PdfDocument, number: number, dpi: number): Promise<Uint8Array> {
  const page = await document.getPage(number);
  const viewport = page.getViewport({ scale: dpi / 72 });
  const { createCanvas } = await import("@napi-rs/canvas");
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
  page.cleanup();
  return new Uint8Array(await canvas.encode("png"));
}

/**
 * The Title in the PDF's info, unless it is what a tool writes when there is none: a browser's
 * "about:blank" or page address, "Untitled", or the name of the file it was exported from.
 */
async function documentTitle(document: PdfDocument): Promise<string | undefined> {
  const metadata = await document.getMetadata().catch(() => undefined);
  const title = (metadata?.info as { Title?: unknown } | undefined)?.Title;
  if (typeof title !== "string") return undefined;
  const trimmed = title.replace(/\s+/gu, " ").trim();
  const placeholder = /^(about:|https?:|file:|untitled\b)|\.(docx?|odt|rtf|pdf|html?|txt)$/iu;
  return trimmed && !placeholder.test(trimmed) ? trimmed : undefined;
}

/** pdf.js' own errors (InvalidPDFException, FormatError, …): the file is damaged, not our code. */
const isPdfJsError = (error: unknown) => error instanceof Error && /Exception$|^FormatError$/.test(error.name);

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").slice(0, 160) || "pdf.js could not parse it";
}
