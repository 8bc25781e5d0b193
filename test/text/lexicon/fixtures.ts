// Small lexicons written for the tests, in the format `npm run lexicons` writes. The real lexicons
// are GPL data a user builds on their own machine, so no test may depend on them; these entries
// only mimic their shape (folded Arabic, values best first, keys sorted).
import { createLexicons, type LexiconFile, type LexiconName } from "../../../src/text/lexicon";

export function fixtureFile(entries: Record<string, string[]>, licence = "test-fixture"): LexiconFile {
  return {
    format: "test fixture",
    licence,
    sources: ["written for the tests"],
    entries: Object.keys(entries)
      .sort()
      .map((key) => `${key}\t${entries[key].join(" ")}`),
  };
}

export const FIXTURE_FILES: Record<LexiconName, LexiconFile> = {
  "en-ar": fixtureFile({
    border: ["الحدود", "الحد"],
    country: ["البلاد", "الدوله"],
    escalate: ["تصعيد", "صعد"],
    security: ["الامن", "السلامه"],
    sign: ["وقع", "التوقيع"],
    weapon: ["السلاح"],
  }),
  "ar-synonyms": fixtureFile({
    تعاون: ["تازر", "تعاضد"],
    تهديد: ["تخويف", "انذار"],
  }),
  "fr-ar": fixtureFile({
    arme: ["السلاح"],
    frontière: ["الحدود"],
    peche: ["الصيد"],
    pêche: ["الخوخ"],
    signe: ["العلامه"],
    signer: ["وقع"],
    sécurité: ["الامن"],
  }),
  "de-ar": fixtureFile({
    grenze: ["الحدود", "الحد"],
    politik: ["السياسه"],
    sicherheit: ["الامن"],
    garantie: ["الضمان"],
  }),
  "es-ar": fixtureFile({
    arma: ["السلاح"],
    país: ["البلاد"],
  }),
  "ru-ar": fixtureFile({
    безопасность: ["الامن"],
    оружие: ["السلاح"],
    страна: ["البلاد"],
    странный: ["غريب"],
    сотрудничество: ["التعاون"],
    документ: ["الوثيقه"],
    ядерный: ["نووي"],
  }),
};

/** All six fixture lexicons, as the Node loader would give them. */
export const fixtureLexicons = () => createLexicons(FIXTURE_FILES);
