// Turns raw files into a Corpus. One bad file becomes a warning and is skipped; the rest index.
// Runs anywhere (Node, Workers): files arrive as bytes, decoding uses Web APIs only.

import { createError, formatMessage, type ErrorCode } from "../errors";
import type { Corpus, CorpusWarning, DocumentMeta, ExtractedText, Sentence, SourceDocument } from "../types";
import { metaFromJson, parseFrontMatter } from "./front-matter";
import { buildPassages, type PassageOptions } from "./passages";
import { countScripts } from "./script-counts";
import { locateSpans } from "./locate-spans";
import { segmentDocument } from "./segment";

export interface CorpusFile {
  /** Path relative to the corpus root, with `/` separators; used in warnings and for the id. */
  name: string;
  /** A text file's raw bytes (.txt/.md), decoded here. Give either these or `extracted`. */
  bytes?: Uint8Array;
  /** What a format reader made of a PDF, DOCX or HTML file (corpus/formats; on Node in a worker thread). */
  extracted?: ExtractedText;
  /** Metadata from a sidecar file (or an upload's form); it takes precedence over the file's own, front matter included. */
  meta?: Partial<DocumentMeta>;
  /**
   * A title to use only when neither the sidecar, the front matter nor the file itself (a page's
   * <title>, a PDF's or DOCX's properties or heading) gives one: an upload's client file name
   * (sidecar `fallbackTitle`), which must not hide the title the document carries.
   */
  fallbackTitle?: string;
  /**
   * Names the bytes (e.g. their sha256, computed by the caller): equal keys mean equal bytes. Only
   * a file with a key is remembered in `parsedFiles`, for the next build to reuse.
   */
  contentKey?: string;
}

/** A text file given as bytes (what text-only callers, such as the benchmarks' synthetic corpora, build). */
export type TextCorpusFile = CorpusFile & { bytes: Uint8Array };

export interface BuildOptions extends PassageOptions {
  /** Files larger than this many bytes are skipped (default 50 MB). */
  maxBytes?: number;
  /**
   * An earlier build's `parsedFiles` (a live reload): a file whose content key, sidecar metadata
   * and document id are all unchanged is not decoded, read for front matter or segmented again.
   * Parsing is a pure function of those three, so the corpus is the one a fresh build gives.
   */
  reuse?: ParsedFiles;
}

/** What a build made of each file it decoded, by file name: the input of a later build's `reuse`. */
export type ParsedFiles = Map<string, ParsedFile>;

/** One file parsed: everything buildCorpus derives from its bytes, sidecar metadata and id. */
export interface ParsedFile {
  contentKey: string;
  /** The sidecar metadata as JSON, to tell whether it changed. */
  sidecar: string;
  id: string;
  /** The text after any front matter; offsets point into it. */
  text: string;
  document: SourceDocument;
  sentences: Sentence[];
  /** The front matter's and the sidecar's problems, if any. */
  problems: string[];
}

/** MAX_DOCUMENT_BYTES' default: the largest file read at all (a text file's bytes are checked here too). */
export const DEFAULT_MAX_BYTES = 50_000_000;

export function buildCorpus(
  files: CorpusFile[],
  options: BuildOptions = {},
): { corpus: Corpus; warnings: CorpusWarning[]; parsedFiles: ParsedFiles; fileOfDocument: Map<string, string> } {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0)) throw createError("INVALID_CONFIG", "maxBytes", String(maxBytes), "a positive number of bytes");

  const warnings: CorpusWarning[] = [];
  const documents: SourceDocument[] = [];
  const sentences: Sentence[] = [];
  const fileByText = new Map<string, string>();
  const usedIds = new Set<string>();
  const parsedFiles: ParsedFiles = new Map();
  /** Which file each document came from, by document id (the loader maps it to the original). */
  const fileOfDocument = new Map<string, string>();

  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const { name, bytes, extracted } = file;
    const warn = (code: ErrorCode, message: string) => warnings.push({ file: name, code, message });

    if (bytes && bytes.length > maxBytes) {
      warn("CORPUS_TOO_LARGE", formatMessage("CORPUS_TOO_LARGE", name, bytes.length, maxBytes));
      continue;
    }
    const id = uniqueId(documentId(name), usedIds);
    const sidecarJson = JSON.stringify([file.meta ?? {}, file.fallbackTitle ?? null]);
    const earlierParse = options.reuse?.get(name);
    let parsed: ParsedFile;
    if (file.contentKey !== undefined && earlierParse?.contentKey === file.contentKey && earlierParse.sidecar === sidecarJson && earlierParse.id === id) {
      parsed = earlierParse; // these bytes decoded before, so they are neither binary nor bad UTF-8
    } else if (extracted) {
      parsed = { contentKey: file.contentKey ?? "", sidecar: sidecarJson, id, ...parseExtracted(name, id, extracted, file.meta, file.fallbackTitle) };
    } else {
      if (!bytes) throw createError("INVALID_CONFIG", `corpus file ${name}`, "no content", "bytes or extracted text");
      if (bytes.includes(0)) {
        warn("CORPUS_BINARY", formatMessage("CORPUS_BINARY", name));
        continue;
      }
      const raw = decodeUtf8(bytes); // the decoder also drops a leading BOM
      if (raw === null) {
        warn("CORPUS_NOT_UTF8", formatMessage("CORPUS_NOT_UTF8", name));
        continue;
      }
      parsed = { contentKey: file.contentKey ?? "", sidecar: sidecarJson, id, ...parseDocument(name, id, raw, file.meta, file.fallbackTitle) };
    }
    if (file.contentKey !== undefined) parsedFiles.set(name, parsed);

    const { text, problems, document, sentences: documentSentences } = parsed;
    if (documentSentences.length === 0) {
      warn("CORPUS_EMPTY", formatMessage("CORPUS_EMPTY", name)); // blank, or only invisible marks
      continue;
    }
    // Trimmed, so a copy that differs only in a final newline still counts as the same text.
    const key = text.trim();
    const earlier = fileByText.get(key);
    if (earlier !== undefined) {
      warn("CORPUS_DUPLICATE", formatMessage("CORPUS_DUPLICATE", name, earlier));
      continue;
    }
    fileByText.set(key, name);
    for (const problem of problems) warn("CORPUS_BAD_METADATA", formatMessage("CORPUS_BAD_METADATA", name, problem));
    usedIds.add(document.id);
    fileOfDocument.set(document.id, name);
    documents.push(document);
    sentences.push(...documentSentences);
  }

  const passages = buildPassages(documents, sentences, { windowSize: options.windowSize, stride: options.stride });
  return { corpus: { documents, sentences, passages }, warnings, parsedFiles, fileOfDocument };
}

/** Front matter, metadata, language and segmentation of one decoded file. */
function parseDocument(name: string, id: string, raw: string, sidecarMeta: CorpusFile["meta"], fallbackTitle: string | undefined): Pick<ParsedFile, "text" | "document" | "sentences" | "problems"> {
  const front = parseFrontMatter(raw);
  const sidecar = metaFromJson(sidecarMeta ?? {}); // sidecars are parsed JSON: check, don't trust
  const text = front.body;
  // The sidecar over the file's own front matter, as for the other formats (parseExtracted): it is
  // the deliberate override, and an upload's form fields arrive as one.
  const language = sidecar.meta.language ?? front.meta.language ?? detectLanguage(text);
  const meta: DocumentMeta = {
    ...front.meta,
    ...sidecar.meta,
    title: sidecar.meta.title ?? front.meta.title ?? fallbackTitle ?? stem(name),
    ...(language !== undefined && { language }),
  };
  const { document, sentences } = segmentDocument({ id, meta, text });
  const problems = [front.problem, sidecar.problem].filter((problem): problem is string => Boolean(problem));
  return { text, document, sentences, problems };
}

/**
 * A format reader's text: metadata from the sidecar over the file's own (PDF info, <title>, DOCX
 * core properties); pages and sections carried onto the document and, by where each sentence
 * starts and ends, onto its sentences.
 */
function parseExtracted(name: string, id: string, extracted: ExtractedText, sidecarMeta: CorpusFile["meta"], fallbackTitle: string | undefined): Pick<ParsedFile, "text" | "document" | "sentences" | "problems"> {
  const sidecar = metaFromJson(sidecarMeta ?? {});
  const own = metaFromJson(extracted.meta ?? {}).meta; // a page's meta is as untrusted as a sidecar
  const { text } = extracted;
  const language = sidecar.meta.language ?? own.language ?? detectLanguage(text);
  const meta: DocumentMeta = {
    ...own,
    ...sidecar.meta,
    title: sidecar.meta.title ?? own.title ?? fallbackTitle ?? stem(name),
    ...(language !== undefined && { language }),
  };
  const segmented = segmentDocument({ id, meta, text });
  const document: SourceDocument = {
    ...segmented.document,
    format: extracted.format,
    ...(extracted.pages && { pages: extracted.pages }),
    ...(extracted.sections && { sections: extracted.sections }),
  };
  const sentences = locateSpans(segmented.sentences, extracted.pages, extracted.sections);
  return { text, document, sentences, problems: sidecar.problem ? [sidecar.problem] : [] };
}

/**
 * URL-safe id from a file name: extension dropped, each run of characters outside
 * `[A-Za-z0-9_-]` (folder slashes, spaces, Arabic letters) → one `-`, no `-` at the edges.
 */
export function documentId(name: string): string {
  const id = name
    .replace(/\.[^./]*$/, "")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return /[A-Za-z0-9]/.test(id) ? id : "doc";
}

/** A rough language tag by script: "ar" when most letters are Arabic, otherwise unknown. */
export function detectLanguage(text: string): string | undefined {
  const { letters, arabic } = countScripts(text);
  return letters > 0 && arabic * 2 > letters ? "ar" : undefined;
}

function uniqueId(base: string, used: Set<string>): string {
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** File name without folders and extension, as a human-readable fallback title. */
function stem(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1).replace(/\.[^.]*$/, "");
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
