import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lexiconInfo, translateEnglish, translateToArabic } from "../../../src/text/lexicon/index";
import { foldLatin, pivotLemmaCandidates } from "../../../src/text/lexicon/pivot-lemma";

// Every expectation below was checked against the generated data (FreeDict X→English glosses,
// then en-ar.json), not chosen by hand.
describe("translateToArabic", () => {
  it.each([
    ["fr", "frontière", "الحدود"],
    ["fr", "accord", "الاتفاق"],
    ["fr", "sécurité", "الامن"],
    ["fr", "pays", "البلاد"],
    ["fr", "arme", "السلاح"],
    ["fr", "nucléaire", "نووي"],
    ["fr", "secrétaire", "السكرتير"],
    ["fr", "mai", "مايو"],
    ["de", "Grenze", "الحدود"],
    ["de", "Sicherheit", "الامن"],
    ["de", "Vertrag", "المعاهده"],
    ["de", "Konzept", "المفهوم"],
    ["de", "Verträge", "المعاهدات"],
    ["es", "frontera", "الحدود"],
    ["es", "seguridad", "الامن"],
    ["es", "acuerdo", "الاتفاق"],
    ["es", "países", "البلاد"],
  ])("%s %s → contains %s", (language, word, arabic) => {
    expect(translateToArabic(word, language)).toContain(arabic);
  });

  it("uses the English dictionary for English, as translateEnglish does", () => {
    expect(translateToArabic("countries", "en")).toEqual(translateEnglish("countries"));
    expect(translateToArabic("border", "en")).toContain("الحدود");
  });

  it("forgives missing accents and case", () => {
    expect(translateToArabic("securite", "fr")).toEqual(translateToArabic("sécurité", "fr"));
    expect(translateToArabic("FRONTIERE", "fr")).toEqual(translateToArabic("frontière", "fr"));
    expect(translateToArabic("paises", "es")).toEqual(translateToArabic("país", "es"));
    expect(translateToArabic(" GRENZE ", "de")).toEqual(translateToArabic("grenze", "de"));
  });

  it("prefers a base form spelt as given over an accent-folded different word", () => {
    // signé is signer's participle; folding it first would find signe (a sign, a mark).
    expect(translateToArabic("signé", "fr")).toEqual(translateToArabic("signer", "fr"));
  });

  it("falls back to base forms of inflected words", () => {
    expect(translateToArabic("armes", "fr")).toEqual(translateToArabic("arme", "fr"));
    expect(translateToArabic("nucléaires", "fr")).toEqual(translateToArabic("nucléaire", "fr"));
    expect(translateToArabic("déployées", "fr")).toEqual(translateToArabic("déployer", "fr"));
    expect(translateToArabic("déployées", "fr").length).toBeGreaterThan(0);
    expect(translateToArabic("armas", "es")).toEqual(translateToArabic("arma", "es"));
    expect(translateToArabic("armas", "es")).toContain("السلاح");
  });

  it("splits German compounds missing from the dictionary, linking elements removed", () => {
    const grenzpolitik = translateToArabic("Grenzpolitik", "de");
    expect(grenzpolitik[0]).toBe(translateToArabic("Politik", "de")[0]);
    expect(grenzpolitik).toContain("الحدود");
    const guarantees = translateToArabic("Sicherheitsgarantien", "de");
    expect(guarantees).toContain("الامن");
    expect(guarantees.length).toBeLessThanOrEqual(4);
  });

  it("drops function words: their first sense is an English function word", () => {
    expect(translateToArabic("quand", "fr")).toEqual([]);
    expect(translateToArabic("qui", "fr")).toEqual([]);
    expect(translateToArabic("wann", "de")).toEqual([]);
    expect(translateToArabic("der", "de")).toEqual([]);
    expect(translateToArabic("para", "es")).toEqual([]);
  });

  it("returns [] for unknown words, empty input and languages without a dictionary", () => {
    expect(translateToArabic("qwertyuiop", "fr")).toEqual([]);
    expect(translateToArabic("", "de")).toEqual([]);
    expect(translateToArabic("граница", "uk")).toEqual([]);
    expect(translateToArabic("border", "und")).toEqual([]);
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

describe("pivot data", () => {
  const size = (name: string) => statSync(fileURLToPath(new URL(`../../../src/text/lexicon/${name}`, import.meta.url))).size;

  it("stays under 1.5 MB for the three languages together", () => {
    const total = size("fr-ar.json") + size("de-ar.json") + size("es-ar.json");
    expect(total).toBeLessThan(1.5 * 1000 * 1000);
    expect(size("de-ar.json")).toBeLessThan(1000 * 1000);
  });

  it("says how big it is and where it came from", () => {
    expect(lexiconInfo.pivotEntries.fr).toBeGreaterThan(5_000);
    expect(lexiconInfo.pivotEntries.de).toBeGreaterThan(10_000);
    expect(lexiconInfo.pivotEntries.es).toBeGreaterThan(3_000);
    expect(lexiconInfo.languages).toEqual(["en", "fr", "de", "es", "ru"]);
    const sources = lexiconInfo.sources.join(" ");
    for (const pkg of ["dict-freedict-fra-eng", "dict-freedict-deu-eng", "dict-freedict-spa-eng"]) expect(sources).toContain(pkg);
  });
});
