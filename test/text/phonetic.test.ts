import { describe, expect, it } from "vitest";
import { arabicKey, createPhoneticIndex, latinKey } from "../../src/text/phonetic";
import { normalizeArabic } from "../../src/text/normalize";

describe("phonetic keys", () => {
  it.each([
    // Latin and Arabic spellings of one name reduce to one consonant skeleton.
    ["Grushko", "جروشكو"], ["Volfovich", "فولفوفيتش"], ["Lukashenko", "لوكاشينكو"], ["Baltic", "البلطيق"],
    ["Poland", "بولندا"], ["Kalashnikov", "كلاشينكوف"], ["Minsk", "مينسك"], ["Putin", "بوتين"],
  ])("%s sounds like %s", (latin, arabic) => {
    expect(latinKey(latin)).toBe(arabicKey(normalizeArabic(arabic)));
  });

  it("reads c as s only before e, i, y", () => {
    expect(latinKey("Cyprus")).toBe("SBRS");
    expect(latinKey("Baltic")).toBe("BLTK");
  });
});

describe("createPhoneticIndex", () => {
  const index = createPhoneticIndex(["جروشكو", "لازفستيا", "امبرازيفيتش", "الحدود", "من"].map(normalizeArabic));

  it("finds names by sound, also when the corpus only has them with a proclitic", () => {
    expect(index.find("grushko")).toEqual(["جروشكو"]);
    expect(index.find("izvestia")).toEqual(["لازفستيا"]);
  });

  it("finds names whose first syllable is written like the article (أليكسي: Alexei, ألكسندر: Александр)", () => {
    const names = createPhoneticIndex(["أليكسي", "ألكسندر", "البلطيق"].map(normalizeArabic));
    expect(names.find("Alexei")).toEqual([normalizeArabic("أليكسي")]);
    expect(names.find("Alexeï")).toEqual([normalizeArabic("أليكسي")]);
    expect(names.find("Александр")).toEqual([normalizeArabic("ألكسندر")]);
    expect(names.find("Baltic")).toEqual([normalizeArabic("البلطيق")]); // the article still drops for ordinary words
  });

  it("allows one edit only for long skeletons, and ignores short ones", () => {
    expect(index.find("ambrazevitch")).toEqual(["امبرازيفيتش"]);
    expect(index.find("mn")).toEqual([]);
    expect(index.find("hadud")).toEqual([]); // H-D-D collapses to HD: too short a skeleton to trust
  });
});
