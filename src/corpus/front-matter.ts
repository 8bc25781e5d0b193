// Document metadata from a leading `---` block or a JSON sidecar. Bad metadata is reported,
// never fatal: the caller warns and still indexes the text.

import type { DocumentMeta } from "../types";

const META_KEYS = ["title", "source", "url", "published", "language"] as const;
type MetaKey = (typeof META_KEYS)[number];

export interface MetaResult {
  meta: Partial<DocumentMeta>;
  /** What was wrong, for a CORPUS_BAD_METADATA warning; absent when all was well. */
  problem?: string;
}

const OPENING = /^---[ \t]*(?:\r\n|\n|\r)/;
const CLOSING = /^---[ \t]*(?:\r\n|\n|\r|$)/m;
const LINE_BREAK = /\r\n|\n|\r/;
const KEY_VALUE = /^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/;

/**
 * Splits an optional leading `---` / `key: value` lines / `---` block from the text.
 * `body` is the rest of `raw`, byte for byte; without a well-formed block it is all of `raw`.
 */
export function parseFrontMatter(raw: string): MetaResult & { body: string } {
  const opening = OPENING.exec(raw);
  if (!opening) return { meta: {}, body: raw };
  const headerStart = opening[0].length;
  const closing = CLOSING.exec(raw.slice(headerStart));
  if (!closing) {
    return { meta: {}, body: raw, problem: "front matter opened with --- is never closed by a --- line" };
  }
  const header = raw.slice(headerStart, headerStart + closing.index);
  const body = raw.slice(headerStart + closing.index + closing[0].length);

  const meta: Partial<DocumentMeta> = {};
  const problems: string[] = [];
  const lines = header.split(LINE_BREAK);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const match = KEY_VALUE.exec(line);
    if (!match) {
      problems.push(`front matter line ${i + 2} is not "key: value"`);
      continue;
    }
    const key = match[1].toLowerCase();
    if (!isMetaKey(key)) continue; // unknown keys are allowed and ignored
    const value = unquote(match[2]);
    if (value === null) problems.push(`front matter "${key}" has a badly quoted value`);
    else if (value.trim() !== "") meta[key] = value.trim();
  }
  return { meta, body, ...(problems.length > 0 && { problem: problems.join("; ") }) };
}

/** Known string fields of a parsed sidecar (`<stem>.meta.json`); other keys are ignored. */
export function metaFromJson(value: unknown): MetaResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { meta: {}, problem: "expected a JSON object such as {\"title\": \"...\"}" };
  }
  const meta: Partial<DocumentMeta> = {};
  const problems: string[] = [];
  for (const key of META_KEYS) {
    const field = (value as Record<string, unknown>)[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== "string") problems.push(`"${key}" must be a string`);
    else if (field.trim() !== "") meta[key] = field.trim();
  }
  return { meta, ...(problems.length > 0 && { problem: problems.join("; ") }) };
}

function isMetaKey(key: string): key is MetaKey {
  return (META_KEYS as readonly string[]).includes(key);
}

/** The value without surrounding quotes; null when a quoted value is malformed. */
function unquote(value: string): string | null {
  if (value.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === "string" ? parsed : null;
    } catch {
      return null;
    }
  }
  if (value.startsWith("'")) {
    return value.length >= 2 && value.endsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : null;
  }
  return value;
}
