// The one way a format reader says a file cannot be read: a corpus warning code and a detail
// (never the file's name or path; the loader adds the name it knows the file by).
import type { ErrorCode } from "../../errors";

/** The corpus warnings a reader may raise (src/errors.ts has their messages). */
export type UnreadableCode = Extract<
  ErrorCode,
  | "CORPUS_UNSUPPORTED_FORMAT"
  | "CORPUS_PDF_ENCRYPTED"
  | "CORPUS_PDF_CORRUPT"
  | "CORPUS_PDF_TOO_MANY_PAGES"
  | "CORPUS_OCR_UNAVAILABLE"
  | "CORPUS_DOCX_INVALID"
  | "CORPUS_HTML_NO_ARTICLE"
  | "CORPUS_EXTRACTION_TIMEOUT"
  | "CORPUS_EXTRACTION_FAILED"
>;

export class UnreadableSource extends Error {
  readonly code: UnreadableCode;
  readonly detail: string;
  constructor(code: UnreadableCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = "UnreadableSource";
    this.code = code;
    this.detail = detail;
  }
}
