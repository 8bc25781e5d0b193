// Word (.docx) reader: mammoth turns the document into clean HTML (paragraphs, headings, tables,
// footnotes), which blocks.ts writes as one paragraph per line with its sections. Before mammoth
// unpacks anything, the zip's central directory is checked, so a zip bomb is refused unread.
import mammoth from "mammoth";
import { unzipSync, type UnzipFileInfo } from "fflate";
import { DOMParser, parseHTML } from "linkedom";
import type { ExtractedText } from "../../types";
import { writeBlocks } from "./blocks";
import { UnreadableSource } from "./unreadable";

export interface DocxLimits {
  /** Largest uncompressed size of one part (default 64 MiB). */
  maxPartBytes?: number;
  /** Largest uncompressed size of all parts together (default 256 MiB). */
  maxTotalBytes?: number;
  /** Largest compression ratio of a part bigger than 1 MiB (default 200; XML compresses ~10×). */
  maxRatio?: number;
}

const MIB = 1024 * 1024;
const DEFAULT_LIMITS: Required<DocxLimits> = { maxPartBytes: 64 * MIB, maxTotalBytes: 256 * MIB, maxRatio: 200 };
/** Raised when a reader's format changes what it writes, so cached extractions are redone. */
export const DOCX_READER_VERSION = 1;

export async function extractDocx(bytes: Uint8Array, limits: DocxLimits = {}): Promise<ExtractedText> {
  checkZip(bytes, { ...DEFAULT_LIMITS, ...limits });
  let html: string;
  try {
    // mammoth's Node build takes a Buffer (its browser build an ArrayBuffer); a view, not a copy.
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Images are dropped rather than inlined as data URLs: only text is indexed.
    const convertImage = mammoth.images.imgElement(async () => ({ src: "" }));
    html = (await mammoth.convertToHtml({ buffer }, { convertImage })).value;
  } catch (error) {
    throw new UnreadableSource("CORPUS_DOCX_INVALID", `not a Word document: ${describe(error)}`);
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  // Footnote back-links ("↑") and reference marks ("[1]") would glue to the words around them;
  // the footnotes themselves stay, at the end, where mammoth puts them.
  for (const link of Array.from(document.querySelectorAll('a[href^="#footnote"], a[href^="#endnote"]'))) link.remove();
  for (const sup of Array.from(document.querySelectorAll("sup"))) if (!sup.textContent?.trim()) sup.remove();
  const { text, sections } = writeBlocks(document.body);
  const title = coreTitle(bytes);
  return { format: "docx", text, ...(sections.length > 0 && { sections }), ...(title && { meta: { title } }) };
}

/** Refuses a non-zip and a zip whose declared sizes are past the limits, before inflating anything. */
function checkZip(bytes: Uint8Array, limits: Required<DocxLimits>): void {
  let total = 0;
  const check = (file: UnzipFileInfo) => {
    total += file.originalSize;
    if (file.originalSize > limits.maxPartBytes) {
      throw new UnreadableSource("CORPUS_DOCX_INVALID", `part ${file.name} would unpack to ${file.originalSize} bytes, over the ${limits.maxPartBytes}-byte limit (a zip bomb?)`);
    }
    if (file.originalSize > MIB && file.originalSize > limits.maxRatio * Math.max(1, file.size)) {
      throw new UnreadableSource("CORPUS_DOCX_INVALID", `part ${file.name} is compressed ${Math.round(file.originalSize / Math.max(1, file.size))}:1, past the ${limits.maxRatio}:1 limit (a zip bomb?)`);
    }
    if (total > limits.maxTotalBytes) {
      throw new UnreadableSource("CORPUS_DOCX_INVALID", `its parts would unpack to over ${limits.maxTotalBytes} bytes (a zip bomb?)`);
    }
    return false; // inflate nothing: only the directory is read
  };
  try {
    unzipSync(bytes, { filter: check });
  } catch (error) {
    if (error instanceof UnreadableSource) throw error;
    throw new UnreadableSource("CORPUS_DOCX_INVALID", `not a zip archive: ${describe(error)}`);
  }
}

/** dc:title from docProps/core.xml, when the file has one (its size was checked with the rest). */
function coreTitle(bytes: Uint8Array): string | undefined {
  try {
    const part = unzipSync(bytes, { filter: (file) => file.name === "docProps/core.xml" })["docProps/core.xml"];
    if (!part) return undefined;
    const xml = new DOMParser().parseFromString(new TextDecoder().decode(part), "text/xml");
    const title = xml.getElementsByTagName("dc:title")[0]?.textContent?.replace(/\s+/g, " ").trim();
    return title || undefined;
  } catch {
    return undefined; // the title is a nicety; the text was read
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
