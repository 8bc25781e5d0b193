import { describe, expect, it } from "vitest";
import { foldLatin, pivotLemmaCandidates } from "../../../src/text/lexicon/pivot-lemma";
import { fixtureLexicons } from "./fixtures";

// French, German and Spanish lookups over the fixture lexicons (./fixtures.ts).
const { translateToArabic } = fixtureLexicons();

describe("translateToArabic for French, German and Spanish", () => {
  it.each([
    ["fr", "frontière", "الحدود"],
    ["fr", "sécurité", "الامن"],
    ["de", "Grenze", "الحدود"],
    ["de", "Sicherheit", "الامن"],
    ["es", "país", "البلاد"],
  ])("%s %s → contains %s", (language, word, arabic) => {
    expect(translateToArabic(word, language)).toContain(arabic);
  });

  it("forgives missing accents and case", () => {
    expect(translateToArabic("securite", "fr")).toEqual(translateToArabic("sécurité", "fr"));
    expect(translateToArabic("FRONTIERE", "fr")).toEqual(translateToArabic("frontière", "fr"));
    expect(translateToArabic("paises", "es")).toEqual(translateToArabic("país", "es"));
    expect(translateToArabic(" GRENZE ", "de")).toEqual(translateToArabic("grenze", "de"));
  });

  it("prefers a base form spelt as given over an accent-folded different word", () => {
    // signé is signer's participle; folding it first would find signe (a sign, a mark).
    expect(translateToArabic("signé", "fr")).toEqual(["وقع"]);
  });

  it("lets an unaccented key win over accented ones folding onto it", () => {
    // pèche is in neither spelling: folded, it meets peche (fishing) and pêche (peach); peche comes first.
    expect(translateToArabic("pèche", "fr")).toEqual(["الصيد"]);
  });

  it("falls back to base forms of inflected words", () => {
    expect(translateToArabic("armes", "fr")).toEqual(["السلاح"]);
    expect(translateToArabic("armas", "es")).toEqual(["السلاح"]);
  });

  it("splits German compounds missing from the dictionary, linking elements removed", () => {
    const grenzpolitik = translateToArabic("Grenzpolitik", "de");
    expect(grenzpolitik[0]).toBe(translateToArabic("Politik", "de")[0]);
    expect(grenzpolitik).toContain("الحدود");
    const guarantees = translateToArabic("Sicherheitsgarantien", "de");
    expect(guarantees).toEqual(["الضمان", "الامن"]);
    expect(translateToArabic("Grenzpolitik", "fr")).toEqual([]); // only German is split
  });

  it("returns [] for unknown words and empty input", () => {
    expect(translateToArabic("qwertyuiop", "fr")).toEqual([]);
    expect(translateToArabic("", "de")).toEqual([]);
    expect(translateToArabic("frontière", "it")).toEqual([]);
  });

  it("returns a copy the caller may change", () => {
    translateToArabic("sécurité", "fr").push("x");
    expect(translateToArabic("sécurité", "fr")).not.toContain("x");
  });
});

describe("pivotLemmaCandidates", () => {
  it("guesses French, Spanish and German base forms", () => {
    expect(pivotLemmaCandidates("armes", "fr")[0]).toBe("arme");
    expect(pivotLemmaCandidates("réseaux", "fr")).toContain("réseau");
    expect(pivotLemmaCandidates("généraux", "fr")[0]).toBe("général");
    expect(pivotLemmaCandidates("signé", "fr")).toContain("signer");
    expect(pivotLemmaCandidates("représentés", "fr")).toContain("représenter");
    expect(pivotLemmaCandidates("polonaise", "fr")).toContain("polonais");
    expect(pivotLemmaCandidates("países", "es")[0]).toBe("país");
    expect(pivotLemmaCandidates("firmado", "es")).toContain("firmar");
    expect(pivotLemmaCandidates("grenzen", "de")).toContain("grenze");
    expect(pivotLemmaCandidates("verabschiedet", "de")).toContain("verabschieden");
    expect(pivotLemmaCandidates("gesichert", "de")).toContain("sichern");
  });

  it("never returns the word itself or stems shorter than three letters, and knows no other language", () => {
    expect(pivotLemmaCandidates("pays", "fr")).not.toContain("pays");
    expect(pivotLemmaCandidates("les", "fr")).toEqual([]);
    expect(pivotLemmaCandidates("armes", "ru")).toEqual([]);
  });
});

describe("foldLatin", () => {
  it("drops accents and unfolds ligatures", () => {
    expect(foldLatin("Sécurité")).toBe("securite");
    expect(foldLatin("Verträge")).toBe("vertrage");
    expect(foldLatin("Straße")).toBe("strasse");
    expect(foldLatin("cœur")).toBe("coeur");
    expect(foldLatin("país")).toBe("pais");
  });
});
