import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countScripts } from "../../src/corpus/script-counts";

/** The counting countScripts replaced: one match per code point. */
function byRegexps(text: string) {
  return { letters: text.match(/\p{L}/gu)?.length ?? 0, arabic: text.match(/\p{Script=Arabic}/gu)?.length ?? 0 };
}

const pick = (codePoints: number[]) => fc.constantFrom(...codePoints.map((c) => String.fromCodePoint(c)));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const unit = fc.oneof(
  pick(range(0x0600, 0x06ff)), // Arabic: letters, digits, signs, tashkeel (Inherited script)
  pick(range(0x0750, 0x077f)), // Arabic Supplement
  pick(range(0xfb50, 0xfdff)), // presentation forms, ﷺ
  pick(range(0x0041, 0x007a)), // Latin letters and ASCII signs
  pick(range(0x0400, 0x04ff)), // Cyrillic
  pick(range(0x0030, 0x0039)), // digits
  pick(range(0x0300, 0x036f)), // combining marks
  pick([0x20, 0x0a, 0x200f, 0x061c, 0x00a0]), // blanks and direction marks
  pick([0x1f600, 0x1f44d, 0x1f3fd, 0x1ee00, 0x1ee21, 0x10e60, 0x10e7e, 0x20000, 0x1d400]), // outside the BMP: emoji, Arabic mathematical letters, Rumi numerals, CJK, maths
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), // lone surrogates, also next to real pairs
  fc.integer({ min: 0, max: 0x10ffff }).map((c) => (c >= 0xd800 && c <= 0xdfff ? String.fromCharCode(c) : String.fromCodePoint(c))),
);

describe("countScripts", () => {
  it("counts every BMP code unit as the regexps do", () => {
    for (let c = 0; c < 0x10000; c++) {
      const text = String.fromCharCode(c);
      expect(countScripts(text), `U+${c.toString(16)}`).toEqual(byRegexps(text));
    }
  });

  it("counts every code point of the astral Arabic blocks as the regexps do", () => {
    for (const c of [...range(0x10e60, 0x10e7f), ...range(0x1ee00, 0x1eeff)]) {
      const text = String.fromCodePoint(c);
      expect(countScripts(text), `U+${c.toString(16)}`).toEqual(byRegexps(text));
    }
  });

  it("counts random mixed text as the regexps do", () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }), (units) => {
        const text = units.join("");
        expect(countScripts(text)).toEqual(byRegexps(text));
      }),
      { numRuns: 2000 },
    );
  });
});
