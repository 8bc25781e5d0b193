// Turns raw files into a Corpus. One bad file becomes a warning and is skipped; the rest index.
// Runs anywhere (Node, Workers): files arrive as bytes, decoding uses Web APIs only.

import { createError, formatMessage, type ErrorCode } from "../errors";
import type { Corpus, CorpusWarning, DocumentMeta, Sentence, SourceDocument } from "../types";
import { metaFromJson, parseFrontMatter } from "./front-matter";
import { buildPassages, type PassageOptions } from "./passages";
import { countScripts } from "./script-counts";
import { segmentDocument } from "./segment";

export interface CorpusFile {
  /** Path relative to the corpus root, with `/` separators; used in warnings and for the id. */
  name: string;
  bytes: Uint8Array;
  /** Metadata from a sidecar file; front matter in the text takes precedence. */
  meta?: Partial<DocumentMeta>;
}

export interface BuildOptions extends PassageOptions {
  /** Files larger than this many bytes are skipped (default 5 MiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export function buildCorpus(
  files: CorpusFile[],
  options: BuildOptions = {},
): { corpus: Corpus; warnings: CorpusWarning[] } {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0)) throw createError("INVALID_CONFIG", "maxBytes", String(maxBytes), "a positive number of bytes");

  const warnings: CorpusWarning[] = [];
  const documents: SourceDocument[] = [];
  const sentences: Sentence[] = [];
  const fileByText = new Map<string, string>();
  const usedIds = new Set<string>();

  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const { name, bytes } = file;
    const warn = (code: ErrorCode, message: string) => warnings.push({ file: name, code, message });

    if (bytes.length > maxBytes) {
      warn("CORPUS_TOO_LARGE", formatMessage("CORPUS_TOO_LARGE", name, bytes.length, maxBytes));
      continue;
    }
    if (bytes.includes(0)) {
      warn("CORPUS_BINARY", formatMessage("CORPUS_BINARY", name));
      continue;
    }
    const raw = decodeUtf8(bytes); // the decoder also drops a leading BOM
    if (raw === null) {
      warn("CORPUS_NOT_UTF8", formatMessage("CORPUS_NOT_UTF8", name));
      continue;
    }

    const front = parseFrontMatter(raw);
    const sidecar = metaFromJson(file.meta ?? {}); // sidecars are parsed JSON: check, don't trust
    const text = front.body;
    const language = front.meta.language ?? sidecar.meta.language ?? detectLanguage(text);
    const meta: DocumentMeta = {
      ...sidecar.meta,
      ...front.meta,
      title: front.meta.title ?? sidecar.meta.title ?? stem(name),
      ...(language !== undefined && { language }),
    };
    const segmented = segmentDocument({ id: uniqueId(documentId(name), usedIds), meta, text });
    if (segmented.sentences.length === 0) {
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
    for (const problem of [front.problem, sidecar.problem]) {
      if (problem) warn("CORPUS_BAD_METADATA", formatMessage("CORPUS_BAD_METADATA", name, problem));
    }
    usedIds.add(segmented.document.id);
    documents.push(segmented.document);
    sentences.push(...segmented.sentences);
  }

  const passages = buildPassages(documents, sentences, { windowSize: options.windowSize, stride: options.stride });
  return { corpus: { documents, sentences, passages }, warnings };
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
