import { describe, expect, it } from "vitest";
import { createLexicons, isLexiconFile, noLexicons } from "../../../src/text/lexicon/index";
import { englishLemmaCandidates } from "../../../src/text/lexicon/english-lemma";
import { FIXTURE_FILES, fixtureFile, fixtureLexicons } from "./fixtures";

// The lookups over small fixture lexicons (./fixtures.ts): the real ones are optional GPL data.
const lexicons = fixtureLexicons();
const english = (word: string) => lexicons.translateToArabic(word, "en");

describe("English → Arabic", () => {
  it("finds a word's translations, best first", () => {
    expect(english("border")).toEqual(["الحدود", "الحد"]);
    expect(english("weapon")).toEqual(["السلاح"]);
  });

  it("ignores case and surrounding space", () => {
    expect(english("  Security ")).toEqual(english("security"));
  });

  it("falls back to a base form when the inflected form is not in the dictionary", () => {
    expect(english("countries")).toEqual(english("country"));
    expect(english("escalating")).toEqual(english("escalate"));
    expect(english("weapons")).toEqual(["السلاح"]);
    expect(english("signed")).toEqual(english("sign"));
  });

  it("returns [] for unknown words and empty input", () => {
    expect(english("qwertyuiop")).toEqual([]);
    expect(english("")).toEqual([]);
  });

  it("returns a copy the caller may change", () => {
    english("security").push("x");
    expect(english("security")).not.toContain("x");
  });
});

describe("englishLemmaCandidates", () => {
  it("guesses base forms in order of likelihood", () => {
    expect(englishLemmaCandidates("countries")[0]).toBe("country");
    expect(englishLemmaCandidates("weapons")).toContain("weapon");
    expect(englishLemmaCandidates("boxes")).toContain("box");
    expect(englishLemmaCandidates("approved").indexOf("approve")).toBeLessThan(englishLemmaCandidates("approved").indexOf("approv"));
    expect(englishLemmaCandidates("signed")).toContain("sign");
    expect(englishLemmaCandidates("stopped")).toContain("stop");
    expect(englishLemmaCandidates("escalating")[0]).toBe("escalate");
    expect(englishLemmaCandidates("running")).toContain("run");
    expect(englishLemmaCandidates("militarily")).toContain("military");
    expect(englishLemmaCandidates("officially")).toContain("official");
    expect(englishLemmaCandidates("went")).toEqual(["go"]);
    expect(englishLemmaCandidates("children")).toContain("child");
  });

  it("never returns the word itself, too-short stems, or glas for glass", () => {
    expect(englishLemmaCandidates("glass")).not.toContain("glas");
    expect(englishLemmaCandidates("sing")).toEqual([]);
    expect(englishLemmaCandidates("security")).toEqual([]);
  });
});

describe("Arabic synonyms", () => {
  it("finds a word's synonyms, best first", () => {
    expect(lexicons.arabicSynonyms("تعاون")).toEqual(["تازر", "تعاضد"]);
  });

  it("folds its input and tries the word with the article removed or added", () => {
    expect(lexicons.arabicSynonyms("تَهْدِيد")).toEqual(lexicons.arabicSynonyms("تهديد"));
    expect(lexicons.arabicSynonyms("التعاون")).toEqual(["تازر", "تعاضد"]);
  });

  it("returns [] for unknown words and empty input", () => {
    expect(lexicons.arabicSynonyms("قلمكتابزز")).toEqual([]);
    expect(lexicons.arabicSynonyms("")).toEqual([]);
  });
});

describe("createLexicons", () => {
  it("reports each loaded lexicon with its size and licence, in a fixed order", () => {
    const loaded = createLexicons({ "ru-ar": FIXTURE_FILES["ru-ar"], "en-ar": fixtureFile({ border: ["الحدود"] }, "GPL-2+") }).loaded;
    expect(loaded).toEqual([
      { name: "en-ar", purpose: "English → Arabic", entries: 1, licence: "GPL-2+", sources: ["written for the tests"] },
      { name: "ru-ar", purpose: "Russian → Arabic", entries: 7, licence: "test-fixture", sources: ["written for the tests"] },
    ]);
  });

  it("serves only what is loaded: a missing file disables its language alone", () => {
    const englishOnly = createLexicons({ "en-ar": FIXTURE_FILES["en-ar"] });
    expect(englishOnly.translateToArabic("border", "en")).toEqual(["الحدود", "الحد"]);
    expect(englishOnly.translateToArabic("frontière", "fr")).toEqual([]);
    expect(englishOnly.translateToArabic("оружие", "ru")).toEqual([]);
    expect(englishOnly.arabicSynonyms("تعاون")).toEqual([]);
  });

  it("knows no other languages", () => {
    expect(lexicons.translateToArabic("border", "it")).toEqual([]);
    expect(lexicons.translateToArabic("border", "und")).toEqual([]);
  });
});

describe("noLexicons, the default", () => {
  it("translates nothing, has no synonyms and reports nothing loaded", () => {
    expect(noLexicons.translateToArabic("border", "en")).toEqual([]);
    expect(noLexicons.arabicSynonyms("تعاون")).toEqual([]);
    expect(noLexicons.loaded).toEqual([]);
  });
});

describe("isLexiconFile", () => {
  it("accepts the built format and rejects anything else", () => {
    expect(isLexiconFile(FIXTURE_FILES["en-ar"])).toBe(true);
    expect(isLexiconFile({ sources: [], entries: ["a\tb"] })).toBe(false); // no licence
    expect(isLexiconFile({ licence: "x", sources: [], entries: ["no tab"] })).toBe(false);
    expect(isLexiconFile({ licence: "x", sources: "pkg", entries: [] })).toBe(false);
    expect(isLexiconFile(null)).toBe(false);
    expect(isLexiconFile([])).toBe(false);
  });
});
