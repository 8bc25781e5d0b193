import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { arabicSynonyms, lexiconInfo, translateEnglish } from "../../../src/text/lexicon/index";
import { englishLemmaCandidates } from "../../../src/text/lexicon/english-lemma";

// Every expectation below was checked against the generated data: FreeDict's translation of the
// word, folded (tashkeel and shadda removed, ة → ه, أ/إ → ا).
describe("translateEnglish", () => {
  it.each([
    ["security", "الامن"],
    ["border", "الحدود"],
    ["nuclear", "نووي"],
    ["weapons", "الاسلحه"],
    ["weapon", "السلاح"],
    ["agreement", "الاتفاقيه"],
    ["secretary", "السكرتير"],
    ["council", "المجلس"],
    ["country", "البلاد"],
    ["countries", "البلدان"],
    ["approve", "وافق"],
    ["concept", "المفهوم"],
    ["cooperation", "التعاون"],
    ["minister", "الوزير"],
    ["defense", "الدفاع"],
    ["russia", "روسيا"],
    ["poland", "بولندا"],
  ])("%s → contains %s", (english, arabic) => {
    expect(translateEnglish(english)).toContain(arabic);
  });

  it("includes words inverted from the Arabic-English dictionary and splits multi-word translations", () => {
    expect(translateEnglish("state")).toEqual(expect.arrayContaining(["الحاله", "الدوله"]));
    expect(translateEnglish("belarus")).toEqual(["روسيا", "البيضاء"]);
    expect(translateEnglish("december")).toEqual(expect.arrayContaining(["ديسمبر", "كانون"]));
  });

  it("ignores case and surrounding space", () => {
    expect(translateEnglish("  Security ")).toEqual(translateEnglish("security"));
  });

  it("falls back to a base form when the inflected form is not in the dictionary", () => {
    expect(translateEnglish("snowstorms")).toEqual(translateEnglish("snowstorm"));
    expect(translateEnglish("snowstorms")).toContain("العاصفه");
    expect(translateEnglish("brokered")).toEqual(translateEnglish("broker"));
    expect(translateEnglish("brokered").length).toBeGreaterThan(0);
  });

  it("returns [] for unknown words, function-word-only translations and empty input", () => {
    expect(translateEnglish("qwertyuiop")).toEqual([]);
    expect(translateEnglish("who")).toEqual([]); // من only: a function word
    expect(translateEnglish("")).toEqual([]);
  });

  it("returns a copy the caller may change", () => {
    translateEnglish("security").push("x");
    expect(translateEnglish("security")).not.toContain("x");
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

describe("arabicSynonyms", () => {
  it("finds synonyms from the thesaurus, folded", () => {
    expect(arabicSynonyms("تعاون")).toEqual(expect.arrayContaining(["تازر", "تعاضد", "تكاتف"]));
    expect(arabicSynonyms("اتفاق")).toContain("تعاهد");
    expect(arabicSynonyms("تهديد")).toEqual(expect.arrayContaining(["تخويف", "انذار"]));
  });

  it("folds its input and tries the word with the article removed or added", () => {
    expect(arabicSynonyms("تَهْدِيد")).toEqual(arabicSynonyms("تهديد"));
    expect(arabicSynonyms("التعاون")).toEqual(expect.arrayContaining(arabicSynonyms("تعاون")));
  });

  it("is symmetric where the thesaurus lists a word only on one side", () => {
    expect(arabicSynonyms("تخويف")).toContain("تهديد");
  });

  it("returns [] for unknown words and empty input", () => {
    expect(arabicSynonyms("قلمكتابزز")).toEqual([]);
    expect(arabicSynonyms("")).toEqual([]);
  });
});

describe("lexicon data", () => {
  const size = (name: string) => statSync(fileURLToPath(new URL(`../../../src/text/lexicon/${name}`, import.meta.url))).size;

  it("stays compact enough to bundle", () => {
    expect(size("en-ar.json")).toBeLessThan(2 * 1024 * 1024);
    expect(size("ar-synonyms.json")).toBeLessThan(512 * 1024);
  });

  it("says where it came from", () => {
    expect(lexiconInfo.enArEntries).toBeGreaterThan(50_000);
    expect(lexiconInfo.arSynonymEntries).toBeGreaterThan(5_000);
    expect(lexiconInfo.sources.join(" ")).toMatch(/dict-freedict-eng-ara .*dict-freedict-ara-eng .*mythes-ar /);
  });
});
