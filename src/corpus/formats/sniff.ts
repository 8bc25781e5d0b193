// Decides how a source file is read from its bytes alone: a client's file name or extension is
// never trusted (a "report.pdf" that is really HTML is read as HTML, an executable as nothing).
// Runs anywhere: it only looks at bytes.
import type { SourceFormat } from "../../types";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const PDF_MAGIC = ascii("%PDF-");
const ZIP_MAGIC = ascii("PK\x03\x04");
/** Every DOCX holds this part; its name is stored uncompressed in the zip's headers. */
const DOCX_PART = ascii("word/document.xml");
/** The PDF specification lets a header stand anywhere in the first 1024 bytes. */
const PDF_HEADER_WINDOW = 1024;
/** How far into a file to look for the start of an HTML document. */
const HTML_WINDOW = 2048;

/** Signatures of formats nobody here reads, so they are refused rather than read as text. */
const BINARY_MAGICS = [
  ascii("\x89PNG"), ascii("\xFF\xD8\xFF"), ascii("GIF8"), ascii("\xD0\xCF\x11\xE0"), // PNG, JPEG, GIF, OLE (.doc, .xls)
  ascii("\x7FELF"), ascii("\x1F\x8B"), ascii("BZh"), ascii("7z\xBC\xAF"), ascii("Rar!"), // ELF programs, archives (Windows programs hold NUL bytes)
];

/**
 * The format of a file by content: "pdf", "docx", "html" or "text"; undefined for anything else
 * (another zip such as .xlsx or .odt, images, programs, or bytes with NUL in them).
 */
export function sniffFormat(bytes: Uint8Array): SourceFormat | undefined {
  if (indexOf(bytes.subarray(0, PDF_HEADER_WINDOW), PDF_MAGIC) >= 0) return "pdf";
  if (startsWith(bytes, ZIP_MAGIC)) return indexOf(bytes, DOCX_PART) >= 0 ? "docx" : undefined;
  if (BINARY_MAGICS.some((magic) => startsWith(bytes, magic))) return undefined;
  if (bytes.includes(0)) return undefined;
  return looksLikeHtml(bytes) ? "html" : "text";
}

/**
 * A document that opens as HTML: after a BOM, blank space, an XML declaration and comments, a
 * doctype or an <html>, <head> or <body> tag. Markdown with a tag in it stays text.
 */
function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8").decode(bytes.subarray(0, HTML_WINDOW)).replace(/^\uFEFF/, "");
  const opening = head.replace(/^(?:\s+|<\?xml[^>]*\?>|<!--[\s\S]*?-->)*/, "").toLowerCase();
  return /^<(?:!doctype\s+html|html|head|body)[\s>]/.test(opening);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function indexOf(bytes: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  for (let i = bytes.indexOf(first); i >= 0 && i <= bytes.length - needle.length; i = bytes.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
