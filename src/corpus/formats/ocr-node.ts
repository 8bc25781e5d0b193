// Node adapter: OCR with Debian's Tesseract. Placeholder signature; the pdf branch builds it.
import type { OcrEngine } from "./pdf";

/** Tesseract with Arabic and English when installed; undefined when it is not. */
export async function createTesseractOcr(): Promise<OcrEngine | undefined> {
  return undefined;
}
