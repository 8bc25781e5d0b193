// Glyphs placed from a pdf.js operator list, and right-to-left runs cut into them (pdf-glyphs.ts).
import fc from "fast-check";
import { OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { attachMarks, placeGlyphs, splitRightToLeftRuns, type PlacedGlyph } from "../../../src/corpus/formats/pdf-glyphs";
import { buildLines, type TextRun } from "../../../src/corpus/formats/pdf-lines";

const glyph = (unicode: string, width: number) => ({ unicode, width, isSpace: unicode === " " });

describe("placeGlyphs", () => {
  it("follows the text matrix, TJ offsets and the CTM", () => {
    const fn = [OPS.save, OPS.transform, OPS.beginText, OPS.setFont, OPS.setTextMatrix, OPS.showText, OPS.moveText, OPS.showText, OPS.restore];
    const args = [null, [2, 0, 0, 2, 10, 0], null, ["f1", 12], [[1, 0, 0, 1, 50, 300]], [[glyph("ا", 300), -500, glyph("لأ", 570)]], [0, -20], [[glyph("ب", 250)]], null];
    const placed = placeGlyphs(fn, args, OPS);
    expect(placed.map((g) => g.text)).toEqual(["ا", "لأ", "ب"]);
    // x = 2 × (50 + advances) + 10; widths scaled by the CTM too.
    expect(placed[0]).toMatchObject({ x: 110, y: 600, size: 24 });
    expect(placed[0].width).toBeCloseTo(7.2);
    expect(placed[1].x).toBeCloseTo(110 + 7.2 + 12); // a TJ of -500 moves half the size right
    expect(placed[1].width).toBeCloseTo(13.68);
    expect(placed[2]).toMatchObject({ x: 110, y: 560 }); // the line start moved down by 20
  });
});

describe("attachMarks", () => {
  const at = (text: string, x: number, width: number): PlacedGlyph => ({ text, x, y: 0, width, size: 10 });

  it("joins a mark to the letter drawn after it and a kashida to the letter before", () => {
    const out = attachMarks([at("ت", 0, 4), at("\u064B", 5, 0), at("ا", 6, 3), at("\u0002", 9, 4), at("ب", 13, 3)]);
    expect(out.map((g) => g.text)).toEqual(["ت", "ا\u064B", "ب"]);
    expect(out[1].width).toBe(7); // the alef now reaches over the kashida: no gap read as a space
  });
});

describe("splitRightToLeftRuns", () => {
  it("keeps a run whose glyphs it cannot find as pdf.js gave it", () => {
    const run: TextRun = { text: "كتاب", x: 10, y: 0, width: 20, size: 10, rtl: true };
    expect(splitRightToLeftRuns([run], [{ text: "ز", x: 10, y: 0, width: 20, size: 10 }])).toEqual([run]);
  });

  // Any Arabic line, its lam-alefs drawn as one glyph whose text is the two letters, printed as
  // LibreOffice does (glyphs left to right, one pdf.js run reversed character by character), is
  // read back in logical order.
  const letter = fc.constantFrom(..."بتثجحخدذرزسشصضطظعغفقكمنهوي");
  const alef = fc.constantFrom("ا", "أ", "إ", "آ");
  const cluster = fc.oneof({ arbitrary: letter, weight: 4 }, { arbitrary: alef.map((a) => `ل${a}`), weight: 1 });
  const word = fc.array(cluster, { minLength: 1, maxLength: 6 });
  it("reads LibreOffice-style runs back in logical order, ligatures included", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
        const glyphs: PlacedGlyph[] = [];
        let x = 500;
        for (const clusters of words) {
          for (const text of clusters) {
            x -= 5;
            glyphs.push({ text, x, y: 700, width: 5, size: 10 });
          }
          x -= 4; // the word gap
        }
        glyphs.sort((a, b) => a.x - b.x);
        const drawnText = glyphs.map((g) => g.text).join("");
        const run: TextRun = { text: [...drawnText].reverse().join(""), x: glyphs[0].x, y: 700, width: 500 - glyphs[0].x, size: 10, rtl: true };
        const [line] = buildLines(splitRightToLeftRuns([run], glyphs));
        expect(line.text).toBe(words.map((clusters) => clusters.join("")).join(" "));
      }),
    );
  });
});
