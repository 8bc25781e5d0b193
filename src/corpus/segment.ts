// Paragraph and sentence segmentation. Every span is an offset range into the untouched
// document text, found by scanning it; nothing here rebuilds offsets from edited strings.

import type { DocumentMeta, Paragraph, Sentence, SourceDocument, Span } from "../types";

/**
 * Characters trimmed from span edges: JavaScript whitespace plus the invisible direction and
 * zero-width marks that Arabic web text is full of (a line holding only an RLM is blank).
 */
const BLANK = "\\s\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2069";
const LINE_BREAK = "\\n\\r\\u2028\\u2029";

/** From the first to the last non-blank character of one line. */
const PARAGRAPH = new RegExp(`[^${BLANK}](?:[^${LINE_BREAK}]*[^${BLANK}])?`, "gu");
const IS_BLANK = new RegExp(`^[${BLANK}]$`);
const LETTER = /\p{L}/u;

/** A run of sentence terminators with the closing quotes/brackets that belong to that sentence. */
const TERMINATOR_RUN = /[.!?؟؛…]+[)\]}»”’"'›﴾﴿]*/;

/**
 * Which openers each character can close. The symmetric `"` closes an open `"` or else opens one;
 * the ornate Quranic brackets are used in both orders, so each closes the other.
 */
const CLOSES: Record<string, string> = {
  ")": "(", "]": "[", "}": "{", "»": "«", "”": "“", "›": "‹", '"': '"', "﴾": "﴿", "﴿": "﴾",
};
const OPENERS = new Set(["(", "[", "{", "«", "“", "‹", '"', "﴿", "﴾"]);

export function splitParagraphs(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  for (const match of text.matchAll(PARAGRAPH)) {
    const start = match.index;
    paragraphs.push({ index: paragraphs.length + 1, start, end: start + match[0].length });
  }
  return paragraphs;
}

/**
 * Sentence spans inside `within` (normally a paragraph), in order, trimmed and non-empty.
 * A sentence ends after a terminator run (plus closing quotes) that is followed by blank space
 * or the end of the span, so `3.5`, `example.com` and `2024-2026` never split. No break is made
 * inside a quote or bracket that closes later in the span, nor before the sentence has a letter
 * (list markers like `1.` and stray punctuation stay with the words that follow).
 */
export function splitSentences(text: string, within: Span): Span[] {
  const paragraph = trimSpan(text, within.start, within.end);
  if (!paragraph) return [];
  const enclosures = findEnclosures(text, paragraph);
  const isEnclosed = (offset: number) => enclosures.some((e) => e.start < offset && offset <= e.end);

  const spans: Span[] = [];
  let sentenceStart = paragraph.start;
  const terminators = new RegExp(TERMINATOR_RUN.source, "g"); // own lastIndex per call
  terminators.lastIndex = paragraph.start;
  for (let match = terminators.exec(text); match && match.index < paragraph.end; match = terminators.exec(text)) {
    const breakAt = Math.min(terminators.lastIndex, paragraph.end);
    if (breakAt < paragraph.end && !IS_BLANK.test(text[breakAt])) continue;
    if (isEnclosed(breakAt)) continue;
    if (!hasLetter(text, sentenceStart, match.index)) continue;
    const sentence = trimSpan(text, sentenceStart, breakAt);
    if (sentence) spans.push(sentence);
    sentenceStart = breakAt;
  }

  const rest = trimSpan(text, sentenceStart, paragraph.end);
  const last = spans[spans.length - 1];
  // Trailing letterless bits (an emoji, a lone "...") are not a sentence of their own.
  if (rest && last && !hasLetter(text, rest.start, rest.end)) last.end = rest.end;
  else if (rest) spans.push(rest);
  return spans;
}

export function segmentDocument(input: { id: string; meta: DocumentMeta; text: string }): {
  document: SourceDocument;
  sentences: Sentence[];
} {
  const { id, meta, text } = input;
  const paragraphs = splitParagraphs(text);
  const sentences: Sentence[] = [];
  for (const paragraph of paragraphs) {
    splitSentences(text, paragraph).forEach((span, i) => {
      sentences.push({
        id: `${id}:${paragraph.index}:${i + 1}`,
        docId: id,
        paragraph: paragraph.index,
        sentence: i + 1,
        start: span.start,
        end: span.end,
        text: text.slice(span.start, span.end),
      });
    });
  }
  return { document: { id, meta, text, paragraphs }, sentences };
}

/** `[start, end)` without blank characters at either edge, or null when nothing is left. */
function trimSpan(text: string, start: number, end: number): Span | null {
  while (start < end && IS_BLANK.test(text[start])) start++;
  while (end > start && IS_BLANK.test(text[end - 1])) end--;
  return start < end ? { start, end } : null;
}

function hasLetter(text: string, start: number, end: number): boolean {
  return LETTER.test(text.slice(start, end));
}

/**
 * Quote and bracket pairs that open and close inside the span, as [opener, closer] offsets.
 * Openers never closed (news text often has a stray `“` or `”`) are dropped, so they cannot
 * swallow the rest of the paragraph.
 */
function findEnclosures(text: string, span: Span): Span[] {
  const open: { char: string; at: number }[] = [];
  const pairs: Span[] = [];
  for (let at = span.start; at < span.end; at++) {
    const char = text[at];
    const closes = CLOSES[char];
    const match = closes === undefined ? -1 : lastIndexOf(open, closes);
    if (match >= 0) {
      pairs.push({ start: open[match].at, end: at });
      open.length = match; // openers after the matched one were never closed
    } else if (OPENERS.has(char)) {
      open.push({ char, at });
    }
  }
  return pairs;
}

function lastIndexOf(open: { char: string }[], char: string): number {
  for (let i = open.length - 1; i >= 0; i--) if (open[i].char === char) return i;
  return -1;
}
