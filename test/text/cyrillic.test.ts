import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasCyrillic, transliterateCyrillic } from "../../src/text/cyrillic";
import { normalizeArabic } from "../../src/text/normalize";
import { arabicKey, createPhoneticIndex, latinKey } from "../../src/text/phonetic";

describe("transliterateCyrillic", () => {
  it.each([
    ["Вольфович", "volfovich"],
    ["Лукашенко", "lukashenko"],
    ["Грушко", "grushko"],
    ["Александр", "aleksandr"],
    ["Щёкин", "shchyokin"],
    ["Хабаровск", "khabarovsk"],
    ["Цой", "tsoy"],
    ["Юрий", "yuriy"],
    ["Рыжиков", "ryzhikov"],
    ["объём", "obyom"],
  ])("%s → %s", (cyrillic, latin) => {
    expect(transliterateCyrillic(cyrillic)).toBe(latin);
  });

  it("keeps what is not Cyrillic, lowercased", () => {
    expect(transliterateCyrillic("NATO-2025")).toBe("nato-2025");
  });

  it("leaves no Cyrillic letter behind", () => {
    const letter = fc.constantFrom(..."абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ");
    fc.assert(
      fc.property(fc.array(letter, { minLength: 1, maxLength: 20 }), (letters) => {
        const latin = transliterateCyrillic(letters.join(""));
        expect(hasCyrillic(latin)).toBe(false);
        expect(latin).toMatch(/^[a-z]*$/);
      }),
    );
  });
});

describe("Cyrillic names by sound", () => {
  it.each([
    ["Вольфович", "فولفوفيتش"],
    ["Лукашенко", "لوكاشينكو"],
    ["Грушко", "جروشكو"],
    ["Рябков", "ريابكوف"],
    ["Путин", "بوتين"],
    ["Минск", "مينسك"],
    ["Калашников", "كلاشينكوف"],
  ])("%s has the skeleton of %s", (cyrillic, arabic) => {
    expect(latinKey(cyrillic)).toBe(arabicKey(normalizeArabic(arabic)));
  });

  it("gives a Cyrillic name the skeleton of its Latin spelling", () => {
    expect(latinKey("Вольфович")).toBe(latinKey("Volfovich"));
    expect(latinKey("Лукашенко")).toBe(latinKey("Lukashenko"));
  });

  it("finds the corpus spelling of a Cyrillic name", () => {
    const index = createPhoneticIndex(["فولفوفيتش", "لوكاشينكو", "ألكسندر", "الحدود", "التعاون"].map(normalizeArabic));
    expect(index.find("Вольфович")).toEqual(["فولفوفيتش"]);
    // ال at the start reads as the article, so Александр is found one edit away.
    expect(index.find("Александр")).toEqual(["الكسندر"]);
    expect(index.find("лукашенко")).toEqual(["لوكاشينكو"]);
    expect(index.find("сотрудничество")).toEqual([]);
  });
});
