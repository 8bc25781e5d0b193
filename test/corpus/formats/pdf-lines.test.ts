// Lines from positioned runs, built by hand the way pdf.js reports Chromium-printed text: runs in
// visual order, right-to-left runs' strings already logical, marks as zero-width runs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitRightToLeftRuns, type PlacedGlyph } from "../../../src/corpus/formats/pdf-glyphs";
import { buildLines, foldPresentationForms, type TextRun } from "../../../src/corpus/formats/pdf-lines";

const SIZE = 10;
const glyph = (text: string, x: number, width: number, extra: Partial<TextRun> = {}): TextRun => ({ text, x, y: 700, width, size: SIZE, rtl: /[\u0600-\u06FF\uFB50-\uFEFF]/u.test(text), ...extra });
const space = (x: number): TextRun => ({ text: " ", x, y: 700, width: 3, size: 0 });

/** Lays logical words out right to left from x = 500, as a browser prints an Arabic line. */
function printRtl(words: string[], options: { charWidth?: number; spaceWidth?: number; y?: number; right?: number } = {}): TextRun[] {
  const charWidth = options.charWidth ?? 5;
  let x = options.right ?? 500;
  const runs: TextRun[] = [];
  words.forEach((word, i) => {
    if (i > 0) {
      x -= options.spaceWidth ?? 3;
      runs.push({ text: " ", x, y: options.y ?? 700, width: options.spaceWidth ?? 3, size: SIZE });
    }
    const width = [...word].length * charWidth;
    x -= width;
    runs.push({ text: word, x, y: options.y ?? 700, width, size: SIZE, rtl: true });
  });
  return runs.sort((a, b) => a.x - b.x);
}

describe("foldPresentationForms", () => {
  it("folds Arabic presentation forms to letters and nothing else", () => {
    expect(foldPresentationForms("ﻻ ﺑﻴﺖ")).toBe("لا بيت");
    expect(foldPresentationForms("\uFEF7")).toBe("لأ");
    expect(foldPresentationForms("بَيْتٌ")).toBe("بَيْتٌ");
    expect(foldPresentationForms("\uFB01 １ ²")).toBe("\uFB01 １ ²"); // Latin ligature, full-width digit, superscript kept
  });

  it("folds an isolated mark form to the mark alone, without NFKC's space", () => {
    expect(foldPresentationForms("ب\uFE76")).toBe("بَ");
  });
});

describe("buildLines", () => {
  it("reads a right-to-left line in logical order with its spaces", () => {
    const [line] = buildLines(printRtl(["قال", "الباحث", "إن"]));
    expect(line.text).toBe("قال الباحث إن");
    expect(line.rtl).toBe(true);
  });

  it("folds glyph-by-glyph presentation forms into words", () => {
    // "بيت" printed as three glyph runs, left to right: ﺖ ﻴ ﺑ
    const [line] = buildLines([glyph("ﺖ", 100, 5), glyph("ﻴ", 105, 4), glyph("ﺑ", 109, 4)]);
    expect(line.text).toBe("بيت");
  });

  it("keeps numbers, percentages and ranges as written inside Arabic text", () => {
    // As Chromium prints "بنسبة 12% خلال": visually خلال ␠ % 12 ␠ بنسبة
    const percent = buildLines([glyph("خلال", 100, 20), space(120), glyph("%", 123, 8, { rtl: false }), glyph("12", 131, 10, { rtl: false }), space(141), glyph("بنسبة", 144, 25)]);
    expect(percent[0].text).toBe("بنسبة 12% خلال");
    // "للفترة 2024-2026،": visually ، 2026 - 2024 ␠ للفترة
    const range = buildLines([glyph("،", 96, 3), glyph("2026", 100, 20, { rtl: false }), glyph("-", 120, 4, { rtl: false }), glyph("2024", 124, 20, { rtl: false }), space(144), glyph("للفترة", 147, 30)]);
    expect(range[0].text).toBe("للفترة 2024-2026،");
  });

  it("reads a line holding only a number in the page's direction", () => {
    // The end of an Arabic paragraph, "2026-2030.", alone on its line: visually .2030-2026
    const runs = [...printRtl(["فقرة", "عربية"], { y: 720 }), glyph(".2030", 300, 22, { rtl: false }), glyph("-", 322, 3, { rtl: false }), glyph("2026", 325, 20, { rtl: false })];
    const lines = buildLines(runs);
    expect(lines.map((line) => line.text)).toEqual(["فقرة عربية", "2026-2030."]);
  });

  it("mirrors brackets printed inside right-to-left text", () => {
    // "(رياليست)" printed right to left: the glyph on the right is coded "(" but drawn mirrored,
    // so the text layer says ")" there and "(" on the left
    const [line] = buildLines([glyph("(", 100, 3, { rtl: false }), glyph("رياليست", 103, 30), glyph(")", 133, 3, { rtl: false })]);
    expect(line.text).toBe("(رياليست)");
  });

  it("reads a run drawn leftwards (an OCR text layer) without turning it twice or mirroring its brackets", () => {
    // Tesseract writes "(رياليست عربي)" in logical order with a negative scale; pdf.js turns it
    // around as if it were visual, so the run arrives as its visual left-to-right order.
    const [line] = buildLines([glyph(")يبرع تسيلاير(", 100, 70, { rtl: false, drawnLeftwards: true })]);
    expect(line.text).toBe("(رياليست عربي)");
  });

  it("keeps a Latin word inside Arabic text in its own order", () => {
    const [line] = buildLines([glyph("لقياس", 100, 25), space(125), glyph("GPS", 128, 15, { rtl: false }), space(143), glyph("نظام", 146, 20)]);
    expect(line.text).toBe("نظام GPS لقياس");
  });

  it("puts a diacritic on the letter it is printed over", () => {
    // "يُعَدّ": glyphs د ع ي left to right, each mark a zero-width run raised above its letter
    const runs = [glyph("ﺪ", 100, 5), glyph("ّ", 101.8, 0, { y: 701.7, rtl: false }), glyph("ﻌ", 105, 5), glyph("َ", 106.4, 0, { y: 701.4, rtl: false }), glyph("ﻳ", 110, 4), glyph("ُ", 111.4, 0, { y: 701, rtl: false })];
    expect(buildLines(runs).map((line) => line.text)).toEqual(["يُعَدّ"]);
  });

  it("takes spaces from gaps, and ignores pdf.js' zero-width space runs", () => {
    const [line] = buildLines([glyph("كلمة", 100, 20), glyph("ثانية", 125, 25), { text: " ", x: 150, y: 700, width: 0, size: 0 }, glyph("ﺖ", 150, 5), glyph("ﺑ", 155, 4)]);
    expect(line.text).toBe("بتثانية كلمة"); // no gap before ﺖ: the same word
  });

  it("splits rows at the gutter of two columns, but not at a wide justified space", () => {
    const rows = [700, 685, 670, 655].flatMap((y) => [...printRtl(["يسار", "العمود"], { right: 200, y }), ...printRtl(["يمين", "العمود"], { right: 500, y })]);
    expect(buildLines(rows).map((line) => line.text)).toEqual(Array.from({ length: 4 }, () => ["يسار العمود", "يمين العمود"]).flat());
    const justified = [700, 685, 670, 655].flatMap((y, i) => printRtl(i === 1 ? ["كلمة", "بعيدة"] : ["سطر", "عادي", "من", "الكلمات", "الكثيرة", "هنا"], { y, spaceWidth: i === 1 ? 120 : 3 }));
    expect(buildLines(justified).map((line) => line.text)[1]).toBe("كلمة بعيدة");
  });

  it("reads a left-to-right line as printed", () => {
    const [line] = buildLines([glyph("Hello", 100, 25, { rtl: false }), space(125), glyph("world", 128, 25, { rtl: false })]);
    expect(line).toMatchObject({ text: "Hello world", rtl: false });
  });

  it("gives back any Arabic words it is shown, printed right to left (property)", () => {
    const letter = fc.constantFrom(..."ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئة");
    const word = fc.array(letter, { minLength: 1, maxLength: 9 }).map((letters) => letters.join(""));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), fc.integer({ min: 3, max: 8 }), (words, charWidth) => {
        const lines = buildLines(printRtl(words, { charWidth }));
        expect(lines.map((line) => line.text)).toEqual([words.join(" ")]);
      }),
    );
  });
});

// LibreOffice's export (as dumped from /work/usertest's normans.pdf, LibreOffice 7.4): one pdf.js
// run per word group, its string reversed character by character by pdf.js; the glyphs, as
// pdf-glyphs.ts places them from the operator list, cut it up again.
describe("buildLines on LibreOffice's word runs, cut into glyphs", () => {
  const SIZE_LO = 12;
  /** Glyphs left to right from x, each `width` wide unless given as [text, width]. */
  function drawn(x: number, glyphs: (string | [string, number])[], width = 5): PlacedGlyph[] {
    return glyphs.map((entry) => {
      const [text, w] = typeof entry === "string" ? [entry, width] : entry;
      const placed = { text, x, y: 700, width: w, size: SIZE_LO };
      x += w;
      return placed;
    });
  }
  /** pdf.js' run over glyphs: their text joined left to right, then reversed character by character. */
  const pdfjsRun = (glyphs: PlacedGlyph[], text = [...glyphs.map((g) => g.text).join("")].reverse().join("")): TextRun => ({
    text,
    x: glyphs[0].x,
    y: 700,
    width: glyphs[glyphs.length - 1].x + glyphs[glyphs.length - 1].width - glyphs[0].x,
    size: SIZE_LO,
    rtl: true,
  });
  const ltr = (text: string, x: number, width: number): TextRun => ({ text, x, y: 700, width, size: text.trim() ? SIZE_LO : 0 });

  it("keeps a lam-alef ligature's letters in order (الأوائل, not األوائل)", () => {
    const first = drawn(100, ["ل", "ئ", "ا", "و", ["لأ", 7], "ا"]); // الأوائل
    const second = drawn(150, ["ا", "ي", "ر", "ب", ["لا", 7], "ا", "ك"]); // كالابريا
    const runs = [pdfjsRun(second), pdfjsRun(first)];
    expect(runs.map((run) => run.text)).toEqual(["كاالبريا", "األوائل"]); // what pdf.js gives
    const [line] = buildLines(splitRightToLeftRuns(runs, [...second, ...first]));
    expect(line.text).toBe("كالابريا الأوائل");
  });

  it("keeps a full stop drawn apart and a tanween drawn raised with their word (تقريباً. تضمن)", () => {
    const period = { text: ".", x: 115.4, y: 700, width: 3.2, size: SIZE_LO };
    const next = drawn(96, ["ن", "م", "ض", "ت"]); // تضمن, ending at 116 - a gap
    next.forEach((glyph) => (glyph.x -= 5));
    const mark = { text: "\u064B", x: 117.3, y: 702.6, width: 0, size: SIZE_LO };
    const word = drawn(118.6, ["ا", "ب", "ي", "ر", "ق", "ت"]); // تقريبا
    const glyphs = [period, ...next, mark, ...word];
    // pdf.js: the full stop alone, the rest one run with a space where the full stop sits.
    const runs = [ltr(".", 115.4, 3.2), pdfjsRun([...next, ...word], "تقريبا \u064Bتضمن")];
    expect(buildLines(runs)[0].text).not.toBe("تقريباً. تضمن");
    const [line] = buildLines(splitRightToLeftRuns(runs, glyphs));
    expect(line.text).toBe("تقريباً. تضمن");
  });

  it("mirrors no bracket the text layer names by its character ((روموا), not )روموا()", () => {
    const after = drawn(100, ["ل", "و", "ح"]); // حول
    const inside = drawn(124.5, ["ا", "و", "م", "و", "ر"]); // روموا
    const before = drawn(156, ["ق", "ر", "ش", "ل", "ا"]); // الشرق
    // As LibreOffice draws them: ")" on the left, "(" on the right, and a space run over the word.
    const runs = [ltr(")", 120, 4), ltr(" ", 124.4, 23.2), ltr("(", 149.6, 4), pdfjsRun(after), pdfjsRun(inside), pdfjsRun(before)];
    const [line] = buildLines(splitRightToLeftRuns(runs, [...after, { text: ")", x: 120, y: 700, width: 4, size: SIZE_LO }, ...inside, { text: "(", x: 149.6, y: 700, width: 4, size: SIZE_LO }, ...before]));
    expect(line.text).toBe("الشرق (روموا) حول");
  });

  it("reads a line mostly of Latin inside an Arabic page right to left", () => {
    // `" dux et magister Italiae comesque … Calabriae" ("دوق …` cut at a line end: Latin on the right.
    const arabic = drawn(57, ["ق", "و", "د"]);
    const runs = [pdfjsRun(arabic), ltr('"( "', 72, 16), ltr("comesque Normannorum totius Apuliae", 88, 200)];
    // The page around it is Arabic: the next line.
    const nextLine = { text: "وسيد إيطاليا وكونت النورمان في جميع أرجاء أبوليا وكالابريا", x: 57, y: 684, width: 231, size: SIZE_LO, rtl: true };
    const [line] = buildLines(splitRightToLeftRuns([...runs, nextLine], arabic));
    expect(line.text).toBe('comesque Normannorum totius Apuliae" ("دوق');
  });
});
