// One entry to the format readers: bytes and the format sniffFormat decided → ExtractedText.
// Runs anywhere; on Node the loader calls it inside a worker thread (extract-node.ts).
import type { ExtractedText, SourceFormat } from "../../types";
import { DOCX_READER_VERSION, extractDocx, type DocxLimits } from "./docx";
import { extractHtml, HTML_READER_VERSION } from "./html";
import { extractPdf, PDF_READER_VERSION, type OcrEngine } from "./pdf";
import { UnreadableSource } from "./unreadable";

export interface ExtractOptions {
  /** A PDF with more pages is refused (default 2000). */
  maxPdfPages?: number;
  /** Reads pages with no text layer; absent, such a PDF is refused. */
  ocr?: OcrEngine;
  docx?: DocxLimits;
}

/**
 * Names what the readers write; stored with each cached extraction so a change to any reader
 * re-extracts instead of serving the old text. Bump the reader's own version when it changes.
 */
export const READERS_VERSION = `docx${DOCX_READER_VERSION}.html${HTML_READER_VERSION}.pdf${PDF_READER_VERSION}`;

export async function extractText(bytes: Uint8Array, format: Exclude<SourceFormat, "text">, options: ExtractOptions = {}): Promise<ExtractedText> {
  switch (format) {
    case "pdf":
      return extractPdf(bytes, { maxPages: options.maxPdfPages ?? 2000, ...(options.ocr && { ocr: options.ocr }) });
    case "docx":
      return extractDocx(bytes, options.docx);
    case "html":
      return extractHtml(bytes);
    default:
      throw new UnreadableSource("CORPUS_UNSUPPORTED_FORMAT", `no reader for ${String(format)}`);
  }
}
