// Node adapter: reads a corpus folder into CorpusFiles and hashes what it read, so a stored
// index can tell whether the corpus changed. The only corpus module that touches the disk.

import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createError, formatMessage } from "../errors";
import type { Corpus, CorpusWarning } from "../types";
import { buildCorpus, DEFAULT_MAX_BYTES, type BuildOptions, type CorpusFile, type ParsedFiles } from "./build";
import { CORPUS_METADATA_FILE, parseCorpusMetadata } from "./corpus-metadata";
import { metaFromJson } from "./front-matter";

const TEXT_FILE = /\.(txt|md)$/i;

export async function loadCorpusDir(
  dir: string,
  options: BuildOptions = {},
): Promise<{ corpus: Corpus; warnings: CorpusWarning[]; hash: string; parsedFiles: ParsedFiles }> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw createError("INVALID_CONFIG", "corpus directory", dir, "an existing directory of .txt/.md files");
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  const warnings: CorpusWarning[] = [];
  const files: CorpusFile[] = [];
  const hashed = new Map<string, Uint8Array>(); // every file read, by name relative to dir

  for (const name of (await listTextFiles(dir)).sort()) {
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

    const sidecarName = name.replace(TEXT_FILE, ".meta.json");
    const sidecar = await readSidecar(join(dir, sidecarName));
    if (sidecar.bytes) hashed.set(sidecarName, sidecar.bytes);
    if (sidecar.problem) {
      const detail = `${sidecarName} ${sidecar.problem}`;
      warnings.push({ file: name, code: "CORPUS_BAD_METADATA", message: formatMessage("CORPUS_BAD_METADATA", name, detail) });
    }
    // Keyed by content, so a live reload (options.reuse) parses only the files that changed: 4 ms
    // to hash a 10k-passage corpus against ~250 ms to decode and segment it.
    const contentKey = createHash("sha256").update(bytes).digest("hex");
    files.push({ name, bytes, contentKey, ...(sidecar.meta && { meta: sidecar.meta }) });
  }

  const built = buildCorpus(files, options);
  // Not hashed: the examples do not change what is indexed, so editing them never rebuilds the index.
  const { examples, problem } = await readCorpusMetadata(join(dir, CORPUS_METADATA_FILE));
  if (problem) {
    const message = formatMessage("CORPUS_BAD_METADATA", CORPUS_METADATA_FILE, problem);
    warnings.push({ file: CORPUS_METADATA_FILE, code: "CORPUS_BAD_METADATA", message });
  }
  // Stable sort: one list in file order, each file's warnings in the order they arose.
  const allWarnings = [...warnings, ...built.warnings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const corpus = examples.length > 0 ? { ...built.corpus, examples } : built.corpus;
  return { corpus, warnings: allWarnings, hash: hashFiles(hashed), parsedFiles: built.parsedFiles };
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

/** Names (relative, `/`-separated) of *.txt and *.md entries, skipping dot-files and dot-folders. */
async function listTextFiles(dir: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    // Anything named like a text file is one, so a folder or broken link so named is reported, not skipped.
    if (TEXT_FILE.test(entry.name)) names.push(name);
    else if (entry.isDirectory()) names.push(...(await listTextFiles(dir, name)));
  }
  return names;
}

async function readSidecar(path: string): Promise<{ bytes?: Uint8Array; meta?: CorpusFile["meta"]; problem?: string }> {
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
  return { bytes, meta, ...(problem && { problem: `has bad fields: ${problem}` }) };
}

/** sha256 over (name, length, bytes) of every file read, in name order. */
function hashFiles(files: Map<string, Uint8Array>): string {
  const hash = createHash("sha256");
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
