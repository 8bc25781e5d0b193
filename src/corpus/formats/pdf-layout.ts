// From a document's lines (pdf-lines.ts) to its text: running headers and footers dropped,
// columns read in order, lines joined into paragraphs by layout, and each page's span recorded
// while the text is written. Pure functions over positioned lines, testable without a PDF.
import type { PageSpan } from "../../types";
import { median, type Line } from "./pdf-lines";

/** A line in reading order, and whether a new paragraph starts with it. */
export interface FlowLine {
  text: string;
  startsParagraph: boolean;
}

/** One page as read: lines of its text layer in reading order, or paragraphs found by OCR. */
export type PageContent = { kind: "text"; lines: FlowLine[] } | { kind: "ocr"; paragraphs: string[]; confidence: number };

const maskDigits = (text: string) => text.normalize("NFKC").replace(/[0-9\u0660-\u0669\u06F0-\u06F9]+/gu, "#").replace(/\s+/gu, "");

/**
 * Drops running headers, footers and page numbers: among each page's two top and two bottom
 * lines, those whose text (digits masked, spaces ignored) is found at the top or bottom of most
 * pages (more than half, and at least two).
 */
export function dropRunningLines(pages: Line[][]): Line[][] {
  const edgeKeys = pages.map((lines) => {
    const byHeight = [...lines].sort((a, b) => b.y - a.y);
    const edges = [...byHeight.slice(0, 2), ...byHeight.slice(-2)];
    return new Map(edges.map((line) => [line, maskDigits(line.text)]));
  });
  const pagesWithKey = new Map<string, number>();
  for (const keys of edgeKeys) for (const key of new Set(keys.values())) pagesWithKey.set(key, (pagesWithKey.get(key) ?? 0) + 1);
  const needed = Math.max(2, Math.floor(pages.length / 2) + 1);
  return pages.map((lines, i) => lines.filter((line) => {
    const key = edgeKeys[i].get(line);
    return key === undefined || (pagesWithKey.get(key) ?? 0) < needed;
  }));
}

/**
 * Splits a page's lines into flows read one after the other: one flow for a single column; for
 * two columns (a gutter between 25% and 75% of the text's width that no line but a heading or
 * the like crosses), the lines
 * above/below any full-width line form bands, and each band gives its columns in order (right
 * first when the page is mostly right-to-left, left first otherwise).
 */
export function readingOrder(lines: Line[]): Line[][] {
  if (lines.length === 0) return [];
  const topDown = (a: Line, b: Line) => b.y - a.y || (a.rtl ? b.x1 - a.x1 : a.x0 - b.x0);
  const gutter = findGutter(lines);
  if (!gutter) return [[...lines].sort(topDown)];
  const rtl = lines.filter((line) => line.rtl).length * 2 >= lines.length;
  const sorted = [...lines].sort(topDown);
  const flows: Line[][] = [];
  let left: Line[] = [];
  let right: Line[] = [];
  const closeBand = () => {
    const columns = rtl ? [right, left] : [left, right];
    for (const column of columns) if (column.length) flows.push(column);
    left = [];
    right = [];
  };
  for (const line of sorted) {
    if (line.x1 <= gutter) left.push(line);
    else if (line.x0 >= gutter) right.push(line);
    else {
      closeBand();
      flows.push([line]);
    }
  }
  closeBand();
  return flows;
}

/**
 * The middle of the widest vertical strip that (almost) no line crosses, if it separates two
 * columns: a title or a table across the page may cross it (up to a tenth of the lines).
 */
function findGutter(lines: Line[]): number | undefined {
  const x0 = Math.min(...lines.map((line) => line.x0));
  const x1 = Math.max(...lines.map((line) => line.x1));
  const size = median(lines.map((line) => line.size));
  const width = x1 - x0;
  if (width <= 0 || lines.length < 4) return undefined;
  const allowed = Math.max(1, Math.floor(lines.length / 10));
  const step = Math.max(1, size / 4);
  let best: { from: number; to: number } | undefined;
  let from: number | undefined;
  for (let x = x0 + width * 0.25; x <= x0 + width * 0.75 + step; x += step) {
    const crossing = x > x0 + width * 0.75 || lines.filter((line) => line.x0 < x && line.x1 > x).length > allowed;
    if (!crossing && from === undefined) from = x;
    if (crossing && from !== undefined) {
      if (!best || x - from > best.to - best.from) best = { from, to: x };
      from = undefined;
    }
  }
  if (!best || best.to - best.from < size * 0.8) return undefined;
  // Both sides must hold real columns, not a stray line.
  const middle = (best.from + best.to) / 2;
  const leftCount = lines.filter((line) => line.x1 <= middle).length;
  const rightCount = lines.filter((line) => line.x0 >= middle).length;
  return leftCount >= 2 && rightCount >= 2 ? middle : undefined;
}

/**
 * Marks where paragraphs start, given each page's flows (columns) in reading order.
 * Inside a flow a line starts a paragraph after a vertical gap wider than the flow's usual line
 * spacing, when it is indented from the flow's start edge, or when the line before it ended so
 * early that the line's first word would have fitted there. At the top of a flow (a new column or
 * page) those last two tests apply, and one more at a page break: a page whose text stopped well
 * above the lowest line of the document (part of it left empty) ended its paragraph. Otherwise the paragraph continues
 * across the column or page break.
 */
export function joinParagraphs(pages: Line[][][]): FlowLine[][] {
  const all = pages.flat(2);
  const floor = all.length ? Math.min(...all.map((line) => line.y)) : 0;
  let previous: { line: Line; flow: Line[]; justified: boolean } | undefined;
  return pages.map((flows) =>
    flows.flatMap((flow, flowIndex) => {
      const start = Math.max(...flow.map((line) => line.x1));
      const end = Math.min(...flow.map((line) => line.x0));
      const justified = isJustified(flow, { start, end });
      const spacings = flow.slice(1).map((line, i) => flow[i].y - line.y).filter((gap) => gap > 0 && gap < flow[0].size * 2.5);
      const spacing = spacings.length ? median(spacings) : undefined;
      const out = flow.map((line, i): FlowLine => {
        const before = i > 0 ? flow[i - 1] : undefined;
        let startsParagraph = previous === undefined && i === 0;
        if (before) {
          const gap = before.y - line.y;
          if (spacing !== undefined ? gap > spacing * 1.3 : gap > line.size * 2.2) startsParagraph = true;
        }
        if (indented(line, start, end)) startsParagraph = true;
        const lineBefore = before ?? (i === 0 ? previous?.line : undefined);
        const boundsBefore = before ? { start, end } : previous ? bounds(previous.flow) : undefined;
        const justifiedBefore = before ? justified : (previous?.justified ?? false);
        if (lineBefore && boundsBefore && endedEarly(lineBefore, line, boundsBefore, justifiedBefore)) startsParagraph = true;
        const newPage = i === 0 && flowIndex === 0;
        if (newPage && previous && previous.line.y - floor > previous.line.size * 3) startsParagraph = true;
        return { text: line.text, startsParagraph };
      });
      if (flow.length) previous = { line: flow[flow.length - 1], flow, justified };
      return out;
    }),
  );
}

const bounds = (flow: Line[]) => ({ start: Math.max(...flow.map((line) => line.x1)), end: Math.min(...flow.map((line) => line.x0)) });

function indented(line: Line, start: number, end: number): boolean {
  const inset = line.rtl ? start - line.x1 : line.x0 - end;
  return inset > line.size * 1.2;
}

/** Room left at the end of a line, where its text stops short of the flow's end edge. */
const roomAfter = (line: Line, flow: { start: number; end: number }) => (line.rtl ? line.x0 - flow.end : flow.start - line.x1);

/** Justified text: most lines of the flow (three or more) reach its end edge. */
function isJustified(flow: Line[], edges: { start: number; end: number }): boolean {
  const full = flow.filter((line) => roomAfter(line, edges) < line.size * 0.5).length;
  return flow.length >= 3 && full >= flow.length * 0.6;
}

/**
 * The line before ended its paragraph: in justified text, it stops short of the edge; in ragged
 * text, it had room left for this line's first word.
 */
function endedEarly(before: Line, line: Line, flow: { start: number; end: number }, justified: boolean): boolean {
  const room = roomAfter(before, flow);
  if (justified) return room > line.size;
  const charWidth = (line.x1 - line.x0) / Math.max(1, [...line.text].length);
  const firstWord = [...(line.text.split(" ")[0] ?? "")].length * charWidth;
  return room > firstWord * 1.5 + line.size;
}

/**
 * Writes the text, one paragraph per line, and records each page's span as it goes: a page's
 * span runs from where its first character was written to where its last one was. Lines of a
 * paragraph are joined with one space (none after a dash); when the paragraph continues onto the
 * next page, that space belongs to neither page.
 */
export function writePages(pages: PageContent[]): { text: string; pages: PageSpan[] } {
  let text = "";
  const spans: PageSpan[] = [];
  pages.forEach((page, index) => {
    let first: number | undefined;
    const pieces: { value: string; startsParagraph: boolean }[] =
      page.kind === "text" ? page.lines.map((line) => ({ value: line.text, startsParagraph: line.startsParagraph })) : page.paragraphs.map((value) => ({ value, startsParagraph: true }));
    for (const piece of pieces) {
      const value = piece.value.trim();
      if (!value) continue;
      // A line broken after a dash continues the word or number without a space.
      if (text.length > 0) text += piece.startsParagraph ? "\n" : /[-\u2010-\u2014]$/u.test(text) ? "" : " ";
      first ??= text.length;
      text += value;
    }
    const span: PageSpan = { page: index + 1, start: first ?? text.length, end: text.length };
    if (page.kind === "ocr") Object.assign(span, { ocr: true, ocrConfidence: page.confidence });
    spans.push(span);
  });
  return { text, pages: spans };
}
