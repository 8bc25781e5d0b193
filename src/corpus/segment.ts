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
const DIGIT = /\p{Nd}/u;

// Character classes as UTF-16 code units: the scans below compare numbers rather than
// allocate a one-character string for every character of the document.
const TERMINATORS = codeUnits(".!?؟؛…");
const PERIOD = ".".charCodeAt(0);
/** Closing quotes and brackets right after a terminator belong to the sentence it ends. */
const CLOSERS = codeUnits(`)]}»”’"'›﴾﴿`);

/**
 * The opener each character can close. The symmetric `"` closes an open `"` or else opens one;
 * the ornate Quranic brackets are used in both orders, so each closes the other.
 */
const CLOSES = new Map([...`)]}»”›"﴾﴿`].map((closer, i) => [closer.charCodeAt(0), `([{«“‹"﴿﴾`.charCodeAt(i)]));
const OPENERS = codeUnits(`([{«“‹"﴿﴾`);

function codeUnits(chars: string): Set<number> {
  return new Set([...chars].map((c) => c.charCodeAt(0)));
}

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
 * (list markers like `1.` and stray punctuation stay with the words that follow), nor at the
 * period of an initial (`م. ثيو كيرني`).
 */
export function splitSentences(text: string, within: Span): Span[] {
  const paragraph = trimSpan(text, within.start, within.end);
  if (!paragraph) return [];
  // One left-to-right pass (linear even for a huge one-line file): breaks are met in order,
  // so a cursor walks the sorted enclosures alongside them.
  const enclosures = outermostEnclosures(text, paragraph);
  let enclosure = 0;

  const spans: Span[] = [];
  let sentenceStart = paragraph.start;
  let sentenceHasLetter = false;
  let at = paragraph.start;
  while (at < paragraph.end) {
    if (!TERMINATORS.has(text.charCodeAt(at))) {
      sentenceHasLetter ||= isLetterAt(text, at);
      at++;
      continue;
    }
    const terminator = at;
    const initial = text.charCodeAt(terminator) === PERIOD && isInitialBefore(text, terminator, paragraph.start);
    let breakAt = at;
    while (breakAt < paragraph.end && TERMINATORS.has(text.charCodeAt(breakAt))) breakAt++;
    while (breakAt < paragraph.end && CLOSERS.has(text.charCodeAt(breakAt))) breakAt++;
    at = breakAt;

    while (enclosure < enclosures.length && enclosures[enclosure].end < breakAt) enclosure++;
    const enclosed = enclosure < enclosures.length && enclosures[enclosure].start < breakAt;
    const followedByBlank = breakAt === paragraph.end || IS_BLANK.test(text[breakAt]);
    // A lone period after a one-letter word is an initial or an abbreviation (م. ثيو كيرني,
    // ط. و. 99, J. K. Rowling): a break there would cut a name in two, and its second half, with
    // the answer, would go uncited. Rarely a sentence does end on one letter (a variable, "ن.");
    // then two sentences are cited together, the lesser error.
    if (!followedByBlank || enclosed || !sentenceHasLetter || (initial && breakAt === terminator + 1)) continue;
    const sentence = trimSpan(text, sentenceStart, breakAt);
    if (sentence) spans.push(sentence);
    sentenceStart = breakAt;
    sentenceHasLetter = false;
  }

  const rest = trimSpan(text, sentenceStart, paragraph.end);
  const last = spans[spans.length - 1];
  // Trailing letterless bits (an emoji, a lone "...") are not a sentence of their own.
  if (rest && last && !sentenceHasLetter) last.end = rest.end;
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

/**
 * Whether the period at `at` closes an initial: a one-letter word (after the span's start, blank
 * space, an opening bracket or another initial's period: U.S.), unless the run of one-letter words
 * follows a number. There it is a calendar era (1990 م., 500 ق.م.), which ends its sentence as
 * often as not, while a name's initials come before the name, not after a number.
 */
function isInitialBefore(text: string, at: number, start: number): boolean {
  let first = at - 1; // the first letter of the run of one-letter words, once found
  for (;;) {
    if (first < start || !LETTER.test(text[first])) return false;
    if (first - 1 < start || text[first - 1] !== ".") break;
    if (first - 2 < start || !LETTER.test(text[first - 2])) return true; // "..م." or ".م.": not an era after a number
    first -= 2;
  }
  const before = first - 1;
  if (before < start) return true;
  if (!IS_BLANK.test(text[before]) && !OPENERS.has(text.charCodeAt(before))) return false;
  let previous = before;
  while (previous >= start && IS_BLANK.test(text[previous])) previous--;
  return !(previous >= start && DIGIT.test(text[previous]));
}

/** Whether a letter starts at `at` (letters outside the BMP span two code units). */
function isLetterAt(text: string, at: number): boolean {
  return LETTER.test(String.fromCodePoint(text.codePointAt(at)!));
}

/**
 * Quote and bracket pairs that open and close inside the span, as [opener, closer] offsets,
 * sorted and without the pairs nested in others. A break at offset b is enclosed when
 * start < b <= end. Openers never closed (news text often has a stray `“` or `”`) are dropped,
 * so they cannot swallow the rest of the paragraph.
 */
function outermostEnclosures(text: string, span: Span): Span[] {
  const open: { char: number; at: number }[] = [];
  const openCount = new Map<number, number>(); // so a closer with no opener costs no stack scan
  const pairs: Span[] = [];
  for (let at = span.start; at < span.end; at++) {
    const char = text.charCodeAt(at);
    const closes = CLOSES.get(char);
    if (closes !== undefined && (openCount.get(closes) ?? 0) > 0) {
      let match = open.length - 1;
      while (open[match].char !== closes) match--;
      pairs.push({ start: open[match].at, end: at });
      // Openers after the matched one were never closed: drop them with it.
      for (const dropped of open.splice(match)) openCount.set(dropped.char, openCount.get(dropped.char)! - 1);
    } else if (OPENERS.has(char)) {
      open.push({ char, at });
      openCount.set(char, (openCount.get(char) ?? 0) + 1);
    }
  }
  // Pairs are nested or disjoint (a closer drops every opener after its match), so in start
  // order a pair is outermost exactly when it starts after the previous outermost one ends.
  const outermost: Span[] = [];
  for (const pair of pairs.sort((a, b) => a.start - b.start)) {
    if (outermost.length === 0 || pair.start > outermost[outermost.length - 1].end) outermost.push(pair);
  }
  return outermost;
}
