// Node adapter: reads a corpus folder into CorpusFiles and hashes what it read, so a stored
// index can tell whether the corpus changed. The only corpus module that touches the disk.
// Each file's format is decided by its bytes (formats/sniff.ts); PDF, DOCX and HTML are read in
// worker threads (formats/extract-node.ts), and what they gave is cached by the file's sha256.

import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config";
import { createError, formatMessage } from "../errors";
import type { Corpus, CorpusWarning, SourceFormat } from "../types";
import { buildCorpus, DEFAULT_MAX_BYTES, type BuildOptions, type CorpusFile, type ParsedFiles } from "./build";
import { CORPUS_METADATA_FILE, parseCorpusMetadata } from "./corpus-metadata";
import { readExtraction, type ExtractionCache } from "./extraction-cache-node";
import { createExtractor, type Extractor, type ExtractorOptions } from "./formats/extract-node";
import { READERS_VERSION } from "./formats/index";
import { sniffFormat } from "./formats/sniff";
import { UnreadableSource } from "./formats/unreadable";
import { metaFromJson } from "./front-matter";

const SOURCE_FILE = /\.(txt|md|pdf|docx|html?)$/i;
const TEXT_EXTENSION = /\.(txt|md)$/i;

export interface LoadOptions extends BuildOptions, Omit<ExtractorOptions, "readerModule"> {
  /** Where extractions are cached by sha256 (e.g. EMBEDDINGS_DIR/extracted); none: every load re-reads. */
  extractedDir?: string;
  /** A pool of reader threads the caller keeps (and closes); by default one is made for this load and closed after. */
  extractor?: Extractor;
}

/** The file a document was read from, for GET /api/documents/:id/original; never in a response. */
export interface OriginalFile {
  path: string;
  format: SourceFormat;
  /** Of the bytes that were indexed: a file changed since is not served as this document's original. */
  sha256: string;
}

/** The loader's settings from the configuration (limits, worker threads, the extraction cache). */
export function loadOptionsFrom(config: Config): LoadOptions {
  return {
    windowSize: config.PASSAGE_WINDOW,
    stride: config.PASSAGE_STRIDE,
    maxBytes: config.MAX_DOCUMENT_BYTES,
    maxPdfPages: config.MAX_PDF_PAGES,
    timeoutMs: config.EXTRACTION_TIMEOUT_MS,
    memoryMb: config.EXTRACTION_MEMORY_MB,
    extractedDir: join(config.EMBEDDINGS_DIR, "extracted"),
  };
}

export async function loadCorpusDir(
  dir: string,
  options: LoadOptions = {},
): Promise<{ corpus: Corpus; warnings: CorpusWarning[]; hash: string; parsedFiles: ParsedFiles; originals: Map<string, OriginalFile> }> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw createError("INVALID_CONFIG", "corpus directory", dir, "an existing directory of .txt, .md, .pdf, .docx or .html files");
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  const warnings: CorpusWarning[] = [];
  const files: CorpusFile[] = [];
  const formats = new Map<string, SourceFormat>();
  const sha256s = new Map<string, string>();
  const hashed = new Map<string, Uint8Array>(); // every file read, by name relative to dir
  const extractions: Promise<void>[] = [];
  let ownExtractor: Extractor | undefined;
  const extractor = () => options.extractor ?? (ownExtractor ??= createExtractor(options));
  const cache: ExtractionCache | undefined = options.extractedDir ? { dir: options.extractedDir, version: READERS_VERSION } : undefined;

  for (const name of (await listSourceFiles(dir)).sort()) {
    const path = join(dir, name);
    let bytes: Uint8Array;
    try {
      // Checked before reading so a huge file is never loaded into memory.
      const { size } = await stat(path);
      if (size > maxBytes) {
        warnings.push({ file: name, code: "CORPUS_TOO_LARGE", message: formatMessage("CORPUS_TOO_LARGE", name, size, maxBytes) });
        continue;
      }
      bytes = await readFile(path);
    } catch (error) {
      warnings.push({ file: name, code: "CORPUS_UNREADABLE", message: formatMessage("CORPUS_UNREADABLE", name, describe(error)) });
      continue;
    }
    hashed.set(name, bytes);

    const sidecarName = name.replace(SOURCE_FILE, ".meta.json");
    const sidecar = await readSidecar(join(dir, sidecarName));
    if (sidecar.bytes) hashed.set(sidecarName, sidecar.bytes);
    if (sidecar.problem) {
      const detail = `${sidecarName} ${sidecar.problem}`;
      warnings.push({ file: name, code: "CORPUS_BAD_METADATA", message: formatMessage("CORPUS_BAD_METADATA", name, detail) });
    }
    // Keyed by content, so a live reload (options.reuse) parses only the files that changed: 4 ms
    // to hash a 10k-passage corpus against ~250 ms to decode and segment it.
    const contentKey = createHash("sha256").update(bytes).digest("hex");
    const format = formatOf(name, bytes);
    if (!format) {
      warnings.push({ file: name, code: "CORPUS_UNSUPPORTED_FORMAT", message: formatMessage("CORPUS_UNSUPPORTED_FORMAT", name, "its content is none of PDF, DOCX, HTML or UTF-8 text") });
      continue;
    }
    formats.set(name, format);
    sha256s.set(name, contentKey);
    const file: CorpusFile = { name, contentKey, ...(sidecar.meta && { meta: sidecar.meta }), ...(sidecar.fallbackTitle && { fallbackTitle: sidecar.fallbackTitle }) };
    if (format === "text") {
      files.push({ ...file, bytes });
      continue;
    }
    // Files are read at once, as many as the pool has threads; the build below waits for them all.
    extractions.push(
      readExtraction(cache, contentKey, () => extractor().extract(bytes, format)).then(
        (extracted) => void files.push({ ...file, extracted }),
        (error: unknown) => {
          const { code, detail } = error instanceof UnreadableSource ? error : new UnreadableSource("CORPUS_EXTRACTION_FAILED", String(error));
          warnings.push({ file: name, code, message: formatMessage(code, name, detail) });
        },
      ),
    );
  }
  try {
    await Promise.all(extractions);
  } finally {
    await ownExtractor?.close();
  }

  const built = buildCorpus(files, options);
  const originals = new Map<string, OriginalFile>();
  for (const [id, name] of built.fileOfDocument) originals.set(id, { path: join(dir, name), format: formats.get(name)!, sha256: sha256s.get(name)! });
  // Not hashed: the examples do not change what is indexed, so editing them never rebuilds the index.
  const { examples, problem } = await readCorpusMetadata(join(dir, CORPUS_METADATA_FILE));
  if (problem) {
    const message = formatMessage("CORPUS_BAD_METADATA", CORPUS_METADATA_FILE, problem);
    warnings.push({ file: CORPUS_METADATA_FILE, code: "CORPUS_BAD_METADATA", message });
  }
  // Stable sort: one list in file order, each file's warnings in the order they arose.
  const allWarnings = [...warnings, ...built.warnings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const corpus = examples.length > 0 ? { ...built.corpus, examples } : built.corpus;
  // The readers' version is hashed with the files they read, so a reader change rebuilds the index.
  const readersVersion = [...formats.values()].some((format) => format !== "text") ? READERS_VERSION : undefined;
  return { corpus, warnings: allWarnings, hash: hashFiles(hashed, readersVersion), parsedFiles: built.parsedFiles, originals };
}

/**
 * How to read a file, by its bytes: a .txt or .md that is text (or bad text, which the build
 * reports as today) is decoded; anything else is read as what its content is. An .html file
 * without a doctype or <html> tag is still a page. Undefined: nothing here reads it.
 */
function formatOf(name: string, bytes: Uint8Array): SourceFormat | undefined {
  const sniffed = sniffFormat(bytes);
  if (TEXT_EXTENSION.test(name) && (sniffed === undefined || sniffed === "text")) return "text";
  if (sniffed === "text" && /\.html?$/i.test(name)) return "html";
  return sniffed;
}

/** The corpus-level metadata file; none at all is the usual case and no problem. */
async function readCorpusMetadata(path: string): Promise<{ examples: NonNullable<Corpus["examples"]>; problem?: string }> {
  let raw: string;
  try {
    raw = new TextDecoder("utf-8", { fatal: true }).decode(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { examples: [] };
    return { examples: [], problem: `cannot be read as UTF-8 (${describe(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { examples: [], problem: `is not valid JSON (${describe(error)})` };
  }
  const { metadata, problem } = parseCorpusMetadata(json);
  return { examples: metadata.examples, ...(problem && { problem }) };
}

/** Names (relative, `/`-separated) of source files (.txt .md .pdf .docx .html .htm), skipping dot-files and dot-folders. */
async function listSourceFiles(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    // Anything named like a text file is one, so a folder or broken link so named is reported, not skipped.
    if (SOURCE_FILE.test(entry.name)) names.push(name);
    else if (entry.isDirectory()) names.push(...(await listSourceFiles(dir, name)));
  }
  return names;
}

async function readSidecar(path: string): Promise<{ bytes?: Uint8Array; meta?: CorpusFile["meta"]; fallbackTitle?: string; problem?: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    return { problem: `cannot be read (${describe(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    return { bytes, problem: `is not valid UTF-8 JSON (${describe(error)})` };
  }
  const { meta, problem } = metaFromJson(json);
  // An upload's client file name (server/upload-node.ts): a title only when the document has none of its own.
  const fallback = (json as { fallbackTitle?: unknown } | null)?.fallbackTitle;
  const fallbackTitle = typeof fallback === "string" && fallback.trim() !== "" ? fallback.trim() : undefined;
  return { bytes, meta, ...(fallbackTitle && { fallbackTitle }), ...(problem && { problem: `has bad fields: ${problem}` }) };
}

/** sha256 over (name, length, bytes) of every file read, in name order. */
function hashFiles(files: Map<string, Uint8Array>, readersVersion: string | undefined): string {
  const hash = createHash("sha256");
  if (readersVersion) hash.update(`readers ${readersVersion}\0`);
  for (const name of [...files.keys()].sort()) {
    const bytes = files.get(name)!;
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

/** "EISDIR: illegal operation on a directory", without the absolute path Node appends. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (error as NodeJS.ErrnoException).code ? message.split(",")[0] : message;
}
