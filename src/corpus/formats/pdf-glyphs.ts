// Glyph-level text for the right-to-left runs pdf.js gives whole (LibreOffice writes one
// run per word group, Chromium one per glyph). pdf.js turns such a run into logical order by
// reversing its characters, so a glyph whose text is several letters (the lam-alef ligature ﻷ,
// mapped to "لأ") comes out reversed ("أل", giving األوائل for الأوائل), and every glyph gets
// an evenly guessed place, so punctuation and marks drawn separately land beside the wrong word.
// Here the page's text is laid out again from pdf.js' operator list (each glyph with its text and
// advance, the text matrix followed through the content stream), and each such run is replaced
// by one run per glyph at its real place: the line is then rebuilt exactly as for Chromium's.
import type { TextRun } from "./pdf-lines";

/** One glyph as drawn: its text (in logical order when it is a ligature) and its box. */
export interface PlacedGlyph {
  text: string;
  x: number;
  /** Baseline (with text rise). */
  y: number;
  width: number;
  size: number;
}

/** The few operator codes read here (pdf.js' OPS, passed in so this module needs no pdf.js). */
export interface TextOps {
  save: number;
  restore: number;
  transform: number;
  beginText: number;
  setCharSpacing: number;
  setWordSpacing: number;
  setHScale: number;
  setLeading: number;
  setFont: number;
  setTextRise: number;
  moveText: number;
  setLeadingMoveText: number;
  setTextMatrix: number;
  nextLine: number;
  showText: number;
  showSpacedText: number;
  nextLineShowText: number;
  nextLineSetSpacingShowText: number;
}

/** A glyph in pdf.js' operator list: its Unicode text and advance in thousandths of the size. */
interface OperatorGlyph {
  unicode: string;
  width: number;
  isSpace?: boolean;
}

type Matrix = number[];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `inner` applied first, then `outer` (the PDF product inner × outer, as the `cm` operator does). */
export function compose(outer: Matrix, inner: Matrix): Matrix {
  return [
    outer[0] * inner[0] + outer[2] * inner[1],
    outer[1] * inner[0] + outer[3] * inner[1],
    outer[0] * inner[2] + outer[2] * inner[3],
    outer[1] * inner[2] + outer[3] * inner[3],
    outer[0] * inner[4] + outer[2] * inner[5] + outer[4],
    outer[1] * inner[4] + outer[3] * inner[5] + outer[5],
  ];
}

const matrixOf = (value: unknown): Matrix => Array.from(value as ArrayLike<number>).slice(0, 6);

/**
 * Every glyph the page draws, in drawing order, placed by following the text state (PDF 32000
 * §9.4) through the operator list. Glyphs of Type 3 and vertical fonts are placed approximately;
 * callers check the result against pdf.js' own runs before trusting it.
 */
export function placeGlyphs(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, OPS: TextOps): PlacedGlyph[] {
  const placed: PlacedGlyph[] = [];
  const stack: Matrix[] = [];
  let ctm = IDENTITY;
  let lineMatrix = IDENTITY;
  let textMatrix = IDENTITY;
  let size = 0;
  let charSpacing = 0;
  let wordSpacing = 0;
  let hScale = 1;
  let leading = 0;
  let rise = 0;
  const moveText = (tx: number, ty: number) => {
    lineMatrix = compose(lineMatrix, [1, 0, 0, 1, tx, ty]);
    textMatrix = lineMatrix;
  };
  const show = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (typeof item === "number") {
        textMatrix = compose(textMatrix, [1, 0, 0, 1, (-item / 1000) * size * hScale, 0]);
        continue;
      }
      const glyph = item as OperatorGlyph | null;
      if (!glyph || typeof glyph.width !== "number") continue;
      const advance = ((glyph.width / 1000) * size + charSpacing + (glyph.isSpace ? wordSpacing : 0)) * hScale;
      const onPage = compose(ctm, textMatrix);
      const scale = Math.hypot(onPage[0], onPage[1]);
      placed.push({
        text: typeof glyph.unicode === "string" ? glyph.unicode : "",
        x: onPage[4] + rise * onPage[2],
        y: onPage[5] + rise * onPage[3],
        width: advance * scale,
        size: Math.abs(size) * Math.hypot(onPage[2], onPage[3]),
      });
      textMatrix = compose(textMatrix, [1, 0, 0, 1, advance, 0]);
    }
  };
  for (let i = 0; i < fnArray.length; i++) {
    const op = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    if (op === OPS.save) stack.push(ctm);
    else if (op === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (op === OPS.transform) ctm = compose(ctm, matrixOf(args));
    else if (op === OPS.beginText) lineMatrix = textMatrix = IDENTITY;
    else if (op === OPS.setCharSpacing) charSpacing = Number(args[0]) || 0;
    else if (op === OPS.setWordSpacing) wordSpacing = Number(args[0]) || 0;
    else if (op === OPS.setHScale) hScale = (Number(args[0]) || 100) / 100;
    else if (op === OPS.setLeading) leading = Number(args[0]) || 0;
    else if (op === OPS.setTextRise) rise = Number(args[0]) || 0;
    else if (op === OPS.setFont) size = Number(args[1]) || 0;
    else if (op === OPS.moveText) moveText(Number(args[0]), Number(args[1]));
    else if (op === OPS.setLeadingMoveText) {
      leading = -Number(args[1]);
      moveText(Number(args[0]), Number(args[1]));
    } else if (op === OPS.setTextMatrix) lineMatrix = textMatrix = matrixOf(args[0] && typeof args[0] === "object" ? args[0] : args);
    else if (op === OPS.nextLine) moveText(0, -leading);
    else if (op === OPS.showText || op === OPS.showSpacedText) show(args[0]);
    else if (op === OPS.nextLineShowText) {
      moveText(0, -leading);
      show(args[0]);
    } else if (op === OPS.nextLineSetSpacingShowText) {
      wordSpacing = Number(args[0]) || 0;
      charSpacing = Number(args[1]) || 0;
      moveText(0, -leading);
      show(args[2]);
    }
  }
  return placed;
}

/**
 * What a run and its glyphs are matched on: spaces (pdf.js adds its own), marks (their order in a
 * stack differs between a run and its glyphs) and glyphs with no text left out.
 */
const matchKey = (text: string) => text.normalize("NFKC").replace(/[\s\p{M}\u0000-\u001F\uFFFD]+/gu, "");

/**
 * pdf.js' runs with each right-to-left run of several glyphs replaced by one run per glyph
 * (`glyph: true`: its text is kept whole, a ligature's letters in logical order). A run is
 * matched to the glyphs drawn for it by its text, read back into drawing order, searched from
 * where the previous match ended (pdf.js makes its runs from the operator list in order); a run
 * whose glyphs are not found, or whose glyphs do not span its width, is kept as pdf.js gave it.
 */
export function splitRightToLeftRuns(runs: TextRun[], glyphs: PlacedGlyph[]): TextRun[] {
  // The drawn text without spaces, and for each of its characters the glyph it belongs to.
  let drawn = "";
  const glyphAt: number[] = [];
  glyphs.forEach((glyph, index) => {
    const text = matchKey(glyph.text);
    drawn += text;
    for (let k = 0; k < text.length; k++) glyphAt.push(index);
  });
  let cursor = 0;
  const out: TextRun[] = [];
  for (const run of runs) {
    const key = [...matchKey(run.text)].reverse().join("");
    if (!run.rtl || run.drawnLeftwards || [...key].length < 2) {
      out.push(run);
      continue;
    }
    const at = drawn.indexOf(key, cursor);
    const first = glyphAt[at];
    const last = glyphAt[at + key.length - 1];
    const aligned = at >= 0 && (at === 0 || glyphAt[at - 1] !== first) && (at + key.length === drawn.length || glyphAt[at + key.length] !== last);
    // Marks drawn just before the first letter belong to it (see attachMarks), and kashidas at
    // either end to the run, when they lie inside it.
    const tolerance = Math.abs(run.size) * 0.1;
    let from = first;
    let to = last;
    const unmatched = (glyph: PlacedGlyph) => MARK.test(glyph.text) || NO_TEXT.test(glyph.text);
    while (aligned && from > 0 && unmatched(glyphs[from - 1]) && glyphs[from - 1].x >= run.x - tolerance) from--;
    while (aligned && to + 1 < glyphs.length && NO_TEXT.test(glyphs[to + 1].text) && glyphs[to + 1].x + glyphs[to + 1].width <= run.x + run.width + tolerance) to++;
    const mine = aligned ? glyphs.slice(from, to + 1).filter((glyph) => glyph.text.trim() !== "") : [];
    const left = Math.min(...mine.map((glyph) => glyph.x));
    const right = Math.max(...mine.map((glyph) => glyph.x + glyph.width));
    if (mine.length === 0 || Math.abs(left - run.x) > tolerance || Math.abs(right - (run.x + run.width)) > tolerance) {
      out.push(run);
      continue;
    }
    cursor = at + key.length;
    for (const glyph of attachMarks(mine)) out.push({ text: glyph.text, x: glyph.x, y: glyph.y, width: glyph.width, size: glyph.size || run.size, glyph: true });
  }
  return out;
}

const MARK = /^\p{M}+$/u;
const NO_TEXT = /^[\u0000-\u0008\u000E-\u001F\uFFFD]*$/u;

/**
 * Marks joined to their letter. In a right-to-left run drawn left to right, a mark is drawn just
 * before the letter it sits on (LibreOffice draws it on its own, raised, which pdf.js' run put
 * after a space: "تقريبا ًتضمن" for "تقريباً تضمن"), so it joins the next glyph; a mark drawn
 * last joins the one before.
 */
export function attachMarks(glyphs: PlacedGlyph[]): PlacedGlyph[] {
  const out: PlacedGlyph[] = [];
  let pending = "";
  for (const glyph of glyphs) {
    const previous = out[out.length - 1];
    // A glyph with no text but a width, such as the kashida (tatweel) LibreOffice stretches
    // justified Arabic with (written as U+0002), lengthens the letter before it: it is no gap.
    if (NO_TEXT.test(glyph.text) && glyph.width > 0) {
      if (previous) out[out.length - 1] = { ...previous, width: Math.max(previous.width, glyph.x + glyph.width - previous.x) };
      continue;
    }
    if (MARK.test(glyph.text)) pending += glyph.text;
    else {
      out.push({ ...glyph, text: glyph.text + pending });
      pending = "";
    }
  }
  if (pending && out.length) out[out.length - 1] = { ...out[out.length - 1], text: out[out.length - 1].text + pending };
  return out;
}
