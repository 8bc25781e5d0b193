import { describe, expect, it } from "vitest";
import { arabicKey, arabicKeys, createPhoneticIndex, latinKey, latinKeys } from "../../src/text/phonetic";
import { normalizeArabic } from "../../src/text/normalize";

describe("phonetic keys", () => {
  it.each([
    // Latin and Arabic spellings of one name reduce to one consonant skeleton.
    ["Grushko", "جروشكو"], ["Volfovich", "فولفوفيتش"], ["Lukashenko", "لوكاشينكو"], ["Baltic", "البلطيق"],
    ["Poland", "بولندا"], ["Kalashnikov", "كلاشينكوف"], ["Minsk", "مينسك"], ["Putin", "بوتين"],
  ])("%s sounds like %s", (latin, arabic) => {
    expect(latinKey(latin)).toBe(arabicKey(normalizeArabic(arabic)));
  });

  it.each([
    // ث is th as often as s, ز the voiced s of a plural, and ch may be written ش as well as تش.
    ["Luther", "لوثر"], ["Лютер", "لوثر"], ["Smith", "سميث"], ["Panthers", "بانثرز"], ["Пэнтерс", "بانثرز"],
    ["Chicago", "شيكاغو"], ["Churchill", "تشرشل"], ["Thatcher", "تاتشر"], ["Othman", "عثمان"],
  ])("%s shares a skeleton with %s when each letter may be read either way", (latin, arabic) => {
    const arabicSkeletons = arabicKeys(normalizeArabic(arabic));
    expect(latinKeys(latin).some((key) => arabicSkeletons.includes(key))).toBe(true);
  });

  it("gives each word its own skeleton first, and a few at most", () => {
    for (const word of ["بانثرز", "ثثثثثثثثثثثث", "مينسك"].map(normalizeArabic)) {
      const keys = arabicKeys(word);
      expect(keys[0]).toBe(arabicKey(word));
      expect(keys.length).toBeLessThanOrEqual(16);
    }
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

  it("finds a name whichever way its ث, ز or ch is read", () => {
    const names = createPhoneticIndex(["لوثر", "بانثرز", "شيكاغو", "ثابت"].map(normalizeArabic));
    expect(names.find("Luther")).toEqual(["لوثر"]);
    expect(names.find("Пэнтерс")).toEqual(["بانثرز"]);
    expect(names.find("Chicago")).toEqual(["شيكاغو"]);
  });

  it("allows one edit only for long skeletons, and ignores short ones", () => {
    expect(index.find("ambrazevitch")).toEqual(["امبرازيفيتش"]);
    expect(index.find("mn")).toEqual([]);
    expect(index.find("hadud")).toEqual([]); // H-D-D collapses to HD: too short a skeleton to trust
  });
});
