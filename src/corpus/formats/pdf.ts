// PDF reader: placeholder signature agreed between the format readers; replaced by the real
// reader (pdfjs-dist) on the pdf branch before it lands.
import type { ExtractedText } from "../../types";
import { UnreadableSource } from "./unreadable";

/** Reads the image of a page that has no text layer. */
export interface OcrEngine {
  /** `png`: the page rendered as a PNG. Confidence: Tesseract's mean word confidence, 0–100. */
  recognize(png: Uint8Array): Promise<{ text: string; confidence: number }>;
}

export interface PdfReadOptions {
  /** A PDF with more pages than this is refused (CORPUS_PDF_TOO_MANY_PAGES). */
  maxPages: number;
  /** Absent: a PDF with pages that have no text layer is refused (CORPUS_OCR_UNAVAILABLE). */
  ocr?: OcrEngine;
}

export async function extractPdf(_bytes: Uint8Array, _options: PdfReadOptions): Promise<ExtractedText> {
  throw new UnreadableSource("CORPUS_EXTRACTION_FAILED", "the PDF reader is not built yet");
}
