// From positioned text runs (what pdf.js's getTextContent gives for one page) to lines of text in
// logical order. Pure functions, no PDF needed: the tests build runs by hand.
//
// What pdf.js gives for Chromium-printed Arabic (pdfjs-dist 5): one run per glyph or glyph
// cluster, in visual (left-to-right) order; each run's string is already in logical order (pdf.js
// runs the bidi algorithm per run) but holds presentation forms (ﺑ, ﻻ); diacritics come as runs of
// zero width, slightly raised, placed over their letter; spaces are runs of their own, and
// pdf.js adds zero-width space runs where glyph positions jump. So a line is rebuilt here as the
// pdf.js text layer does it in the browser (spans placed by position, the browser doing the bidi
// reordering), but in text: runs grouped by baseline, sorted by x, spaces taken from the gaps,
// marks attached to the letter under them, then the line's bidi reordering done at run level
// (the base direction from the line's strong letters; runs of left-to-right text such as numbers
// and Latin words keep their inner order inside a right-to-left line, and the reverse).
// LibreOffice's word runs (and any producer's) reach here already cut into glyphs (pdf-glyphs.ts).

/** One text run of a page, in PDF user space (y grows upwards), as pdf.js reports it. */
export interface TextRun {
  text: string;
  /** Left edge and baseline. */
  x: number;
  y: number;
  width: number;
  /** Font size (the run's height); 0 for pdf.js' own space runs. */
  size: number;
  /**
   * The run's text reads right to left from its right end (pdf.js found it right-to-left and
   * turned it to logical order), so it is turned around to get its glyphs left to right.
   */
  rtl?: boolean;
  /**
   * Drawn leftwards (a negative horizontal scale, as OCR text layers write Arabic): its brackets
   * are the characters themselves, not mirrored glyphs.
   */
  drawnLeftwards?: boolean;
  /**
   * One glyph, placed where it was drawn (pdf-glyphs.ts): its text, even of several letters (a
   * ligature), is one cluster in logical order.
   */
  glyph?: boolean;
}

/** A line (or a piece of a line between two wide gaps, e.g. two columns): logical-order text. */
export interface Line {
  text: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  size: number;
  rtl: boolean;
}

const ARABIC_PRESENTATION_FORM = /[\uFB50-\uFDFF\uFE70-\uFEFF]/gu;
const ISOLATED_MARK_FORM = /^[\uFE70-\uFE7F]$/u;
const COMBINING_MARK = /^[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0300-\u036F]+$/u;

/**
 * Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF) folded to letters by NFKC, so ﻻ becomes
 * لا; nothing else is touched (diacritics, digits and punctuation stay as printed). The isolated
 * forms of the marks (U+FE70–FE7F) fold to the mark alone, not to NFKC's space + mark.
 */
export function foldPresentationForms(text: string): string {
  return text.replace(ARABIC_PRESENTATION_FORM, (form) => {
    const folded = form.normalize("NFKC");
    return ISOLATED_MARK_FORM.test(form) ? folded.trimStart() : folded;
  });
}

/**
 * Groups a page's runs into lines by baseline, and splits the lines of a two-column page at the
 * gutter between the columns (one vertical strip of the page that the glyphs of almost no line
 * cover). A wide space inside one justified line is not a gutter: the lines around it cover it.
 */
export function buildLines(runs: TextRun[]): Line[] {
  // Glyphs without a Unicode value come as U+0000 (or U+FFFD): nothing to read there.
  const glyphs = runs
    .map((run) => ({ ...run, text: run.text.replace(/[\u0000-\u0008\u000E-\u001F\uFFFD]/gu, "") }))
    .filter((run) => run.text.length > 0 && run.size > 0 && !(run.width === 0 && run.text.trim() === ""));
  const sizeOf = (run: TextRun) => Math.abs(run.size);
  // Marks first removed, then attached to the line and letter under them.
  const marks = glyphs.filter((run) => COMBINING_MARK.test(run.text.trim()));
  const letters = glyphs.filter((run) => !COMBINING_MARK.test(run.text.trim())).sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: TextRun[][] = [];
  // Sorted top to bottom, the runs of one baseline come together: one pass, linear in the runs.
  for (const run of letters) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0].y - run.y) < sizeOf(row[0]) * 0.4) row.push(run);
    else rows.push([run]);
  }
  // A line with no letters (a number, a date) reads in the page's direction.
  const pageText = letters.map((run) => run.text).join("");
  const pageRtl = (pageText.match(/[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/gu)?.length ?? 0) >= (pageText.match(/[A-Za-z\u00C0-\u024F]/gu)?.length ?? 0);
  const gutter = findGutter(rows);
  const mirrorBrackets = !bracketsWrittenLogically(rows);
  const lines: Line[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    const rowMarks = marks.filter((mark) => Math.abs(mark.y - row[0].y) < sizeOf(row[0]) * 0.6);
    const printed = row.filter((run) => run.text.trim() !== "");
    const split = gutter !== undefined && !printed.some((run) => run.x < gutter && run.x + run.width > gutter);
    const pieces = split ? [row.filter((run) => run.x + run.width / 2 < gutter), row.filter((run) => run.x + run.width / 2 >= gutter)] : [row];
    for (const piece of pieces) {
      const line = lineFrom(piece, rowMarks, pageRtl, mirrorBrackets);
      if (line) lines.push(line);
    }
  }
  return lines;
}

/**
 * The middle of the widest strip, between a quarter and three quarters of the text's width and
 * at least 0.8 font sizes wide, that the glyphs of at most a tenth of the rows cover, with text
 * on both sides in at least two rows; undefined on a one-column page.
 */
function findGutter(rows: TextRun[][]): number | undefined {
  const printed = rows.map((row) => row.filter((run) => run.text.trim() !== "")).filter((row) => row.length > 0);
  if (printed.length < 4) return undefined;
  const all = printed.flat();
  const x0 = Math.min(...all.map((run) => run.x));
  const x1 = Math.max(...all.map((run) => run.x + run.width));
  const size = median(all.map((run) => Math.abs(run.size)));
  const width = x1 - x0;
  if (width <= 0 || size <= 0) return undefined;
  const allowed = Math.floor(printed.length / 10);
  const covering = (x: number) => printed.filter((row) => row.some((run) => run.x < x && run.x + run.width > x)).length;
  const step = Math.max(0.5, size / 4);
  let best: { from: number; to: number } | undefined;
  let from: number | undefined;
  for (let x = x0 + width * 0.25; x <= x0 + width * 0.75 + step; x += step) {
    const covered = x > x0 + width * 0.75 || covering(x) > allowed;
    if (!covered && from === undefined) from = x;
    if (covered && from !== undefined) {
      if (!best || x - from > best.to - best.from) best = { from, to: x };
      from = undefined;
    }
  }
  if (!best || best.to - best.from < size * 0.8) return undefined;
  const middle = (best.from + best.to) / 2;
  const left = printed.filter((row) => row.some((run) => run.x + run.width <= middle)).length;
  const right = printed.filter((row) => row.some((run) => run.x >= middle)).length;
  return left >= 2 && right >= 2 ? middle : undefined;
}

/** A grapheme as printed: a base character and the marks over it, with its place on the line. */
interface Cluster {
  text: string;
  x0: number;
  x1: number;
  /** Printed as a mirrored glyph when inside right-to-left text (false for OCR text layers). */
  mirrors: boolean;
}

const OPENING: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSING = new Set(Object.values(OPENING));

/**
 * Whether the page's brackets carry the character they stand for rather than the glyph drawn.
 * Inside right-to-left text an opening bracket is drawn as the mirror image of its glyph.
 * Chromium's text layer names the glyph drawn (and writes Arabic as presentation forms, the
 * glyphs' own code points), so an Arabic parenthesis reads "(…)" from left to right;
 * LibreOffice's names the characters typed (Arabic as plain letters), so it reads
 * ")…(". The pairs with Arabic on both sides decide; a page without one goes by how its Arabic
 * letters are written.
 */
export function bracketsWrittenLogically(rows: TextRun[][]): boolean {
  let votes = 0;
  for (const row of rows) {
    const visual = [...row]
      .sort((a, b) => a.x - b.x)
      .flatMap((run) => {
        const characters = [...run.text];
        return run.rtl && !run.glyph ? characters.reverse() : characters;
      });
    // Only brackets with Arabic letters on both sides (or the line's edge on one): Latin text
    // has the same order either way.
    const nearestLetter = (from: number, step: number) => {
      for (let j = from + step; j >= 0 && j < visual.length; j += step) if (/\p{L}/u.test(visual[j])) return visual[j];
      return undefined;
    };
    const amidArabic = (i: number) => {
      const sides = [nearestLetter(i, -1), nearestLetter(i, 1)].filter((letter) => letter !== undefined);
      return sides.length > 0 && sides.every((letter) => RTL_BASE.test(letter));
    };
    const brackets = visual.filter((character, i) => (OPENING[character] || CLOSING.has(character)) && amidArabic(i));
    brackets.slice(1).forEach((second, i) => {
      const first = brackets[i];
      if (OPENING[first] === second) votes--;
      else if (OPENING[second] === first) votes++;
    });
  }
  if (votes !== 0) return votes > 0;
  const text = rows.flat().map((run) => run.text).join("");
  const forms = text.match(/[\uFB50-\uFDFF\uFE70-\uFEFC]/gu)?.length ?? 0;
  const letters = text.match(/[\u0621-\u064A]/gu)?.length ?? 0;
  return letters > 0 && forms < letters;
}

function lineFrom(runs: TextRun[], marks: TextRun[], pageRtl: boolean, mirrorBrackets = true): Line | undefined {
  const printed = runs.filter((run) => run.text.trim() !== "");
  if (printed.length === 0) return undefined;
  const size = median(printed.map((run) => Math.abs(run.size)));
  // The line in visual order, left to right: pdf.js gave each right-to-left run in logical
  // order, so it is turned back; a space goes where pdf.js saw one or the glyphs leave a gap.
  const visual: Cluster[] = [];
  let spaceBefore = false;
  let previousEnd: number | undefined;
  // LibreOffice draws a line's spaces apart from its words, and pdf.js merges them into one wide
  // space run lying over the words: a space run whose middle falls on a glyph is no gap.
  const overGlyph = (run: TextRun) => printed.some((other) => other.x < run.x + run.width / 2 && other.x + other.width > run.x + run.width / 2);
  for (const run of runs) {
    if (run.text.trim() === "") {
      // A space glyph; pdf.js' own narrower space runs (where positions jump) are not spaces.
      if (run.width >= size * 0.2 && !overGlyph(run)) spaceBefore = visual.length > 0;
      continue;
    }
    if (previousEnd !== undefined && (spaceBefore || run.x - previousEnd > size * 0.2)) visual.push({ text: " ", x0: previousEnd, x1: run.x, mirrors: false });
    const clusters = run.glyph ? [run.text] : graphemes(run.text);
    if (run.rtl && !run.glyph) clusters.reverse();
    const step = run.width / Math.max(1, clusters.length);
    clusters.forEach((text, i) => visual.push({ text, x0: run.x + i * step, x1: run.x + (i + 1) * step, mirrors: mirrorBrackets && !run.drawnLeftwards }));
    previousEnd = run.x + run.width;
    spaceBefore = false;
  }
  const x0 = printed[0].x;
  const x1 = Math.max(...printed.map((run) => run.x + run.width));
  // A mark belongs to the letter it is printed over.
  for (const mark of marks) {
    const at = mark.x + mark.width / 2;
    if (at < x0 - size * 0.5 || at > x1 + size * 0.5) continue;
    const distance = (cluster: Cluster) => (at < cluster.x0 ? cluster.x0 - at : at > cluster.x1 ? at - cluster.x1 : 0);
    let best: Cluster | undefined;
    // Over a letter, not over the punctuation drawn next to it (LibreOffice draws the mark on
    // its own, where a sentence's last letter meets its full stop).
    const letters = visual.filter((cluster) => /^\p{L}/u.test(cluster.text));
    for (const cluster of letters.length ? letters : visual) if (cluster.text !== " " && (!best || distance(cluster) < distance(best))) best = cluster;
    if (best) best.text += mark.text.trim();
  }
  const classes = visual.map((cluster) => bidiClass(cluster.text));
  const rightToLeft = classes.filter((c) => c === "R").length;
  const leftToRight = classes.filter((c) => c === "L").length;
  // A line of one script reads in its direction; a line mixing both, in the page's (a Latin
  // quotation filling most of an Arabic line is still read right to left).
  const rtl = rightToLeft > 0 && leftToRight > 0 ? pageRtl : rightToLeft > 0 || (leftToRight === 0 && pageRtl);
  const logical = visualToLogical(visual.map((cluster) => cluster.text), classes, rtl, visual.map((cluster) => cluster.mirrors));
  const text = repairLigatures(foldPresentationForms(logical)).replace(/\s+/gu, " ").trim();
  return { text, x0, x1, y: printed[0].y, size, rtl };
}

const graphemes = (text: string): string[] => text.match(/\P{M}\p{M}*|\p{M}+/gu) ?? [];

type BidiClass = "R" | "L" | "EN" | "AN" | "N";
const RTL_BASE = /^[\u0590-\u05FF\u0620-\u064A\u066E-\u06D5\u06E5\u06E6\u06EE\u06EF\u06FA-\u06FF\u0750-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]/u;
const DIGIT = /^[0-9\u0660-\u0669\u06F0-\u06F9]/u;
const NUMBER_SEPARATOR = /^[.,:/+\-\u066B\u066C]$/u;
const NUMBER_TERMINATOR = /^[%#$\u00A2-\u00A5\u00B0\u2030\u20AC\u066A]$/u;
const MIRRORED: Record<string, string> = { "(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<", "«": "»", "»": "«", "‹": "›", "›": "‹" };

function bidiClass(cluster: string): BidiClass {
  if (RTL_BASE.test(cluster)) return "R";
  if (DIGIT.test(cluster)) return "EN";
  return /^\p{L}/u.test(cluster) ? "L" : "N";
}

/**
 * The Unicode bidi algorithm's reordering undone, in the simplified form that covers printed
 * text: numbers (with a separator between two digits, or a % or currency sign beside them) and
 * left-to-right words form runs at the higher level; neutrals between two runs of the same
 * direction take it (numbers count as right-to-left for this, as in UAX #9 rule N1), other
 * neutrals the line's. The line is then read from its start edge, each higher-level run turned
 * back, and brackets inside right-to-left runs mirrored (the glyph printed was the mirror image).
 */
export function visualToLogical(clusters: string[], classes: BidiClass[], rtl: boolean, mirrors: boolean[] = clusters.map(() => true)): string {
  const resolved = [...classes];
  // W2: digits that follow Arabic letters (logically: the nearest strong letter on the line's
  // start side; at the start of a right-to-left line, the previous line's Arabic) are Arabic
  // numbers, which a hyphen, % or currency sign does not join.
  for (let i = 0; i < resolved.length; i++) {
    if (resolved[i] !== "EN") continue;
    let j = rtl ? i + 1 : i - 1;
    while (j >= 0 && j < resolved.length && classes[j] !== "R" && classes[j] !== "L") j += rtl ? 1 : -1;
    const before = j >= 0 && j < resolved.length ? classes[j] : rtl ? "R" : "L";
    if (before === "R") resolved[i] = "AN";
  }
  // W4: one separator between two numbers of the same kind joins them (for Arabic numbers only
  // the common separators . , : / do).
  for (let i = 1; i + 1 < resolved.length; i++) {
    const kind = resolved[i - 1];
    if (resolved[i] !== "N" || kind !== resolved[i + 1] || (kind !== "EN" && kind !== "AN")) continue;
    if (NUMBER_SEPARATOR.test(clusters[i]) && (kind === "EN" || !/^[+\-]$/u.test(clusters[i]))) resolved[i] = kind;
  }
  for (let i = 0; i < resolved.length; i++) {
    if (resolved[i] !== "N" || !NUMBER_TERMINATOR.test(clusters[i])) continue;
    let j = i;
    while (j < resolved.length && resolved[j] === "N" && NUMBER_TERMINATOR.test(clusters[j])) j++;
    if (resolved[i - 1] === "EN" || resolved[j] === "EN") for (let k = i; k < j; k++) resolved[k] = "EN";
    i = j;
  }
  const strong = (c: BidiClass) => (c === "L" ? "L" : c === "N" ? undefined : "R"); // N1: numbers count as R
  const levels = resolved.map((c) => (c === "R" ? 1 : c === "N" ? -1 : rtl ? 2 : 0));
  for (let i = 0; i < levels.length; ) {
    if (levels[i] !== -1) {
      i++;
      continue;
    }
    let j = i;
    while (j < levels.length && levels[j] === -1) j++;
    const before = i > 0 ? strong(resolved[i - 1]) : undefined;
    const after = j < levels.length ? strong(resolved[j]) : undefined;
    const direction = before !== undefined && before === after ? before : rtl ? "R" : "L";
    for (let k = i; k < j; k++) levels[k] = direction === "R" ? 1 : rtl ? 2 : 0;
    i = j;
  }
  const order = clusters.map((_, i) => i);
  if (rtl) order.reverse();
  const threshold = rtl ? 2 : 1;
  const logical: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && levels[order[j]] >= threshold) j++;
    if (j > i) {
      logical.push(...order.slice(i, j).reverse());
      i = j;
    } else logical.push(order[i++]);
  }
  return logical.map((i) => (levels[i] % 2 === 1 && mirrors[i] && MIRRORED[clusters[i]] ? MIRRORED[clusters[i]] : clusters[i])).join("");
}

/**
 * pdf.js turns each right-to-left run around character by character, so a ligature glyph whose
 * text is several letters comes out reversed inside the word. The Allah ligature is the one
 * Arabic fonts print this way whose reversed spelling (اهلل) is never a word.
 */
export function repairLigatures(text: string): string {
  return text.replace(/اهلل/gu, "الله");
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
