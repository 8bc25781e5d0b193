// Guesses at the dictionary forms of inflected French, Spanish and German words, for when the
// pivot dictionary lacks the inflected form itself. Like englishLemmaCandidates, the guesses are
// over-generated on purpose ("signées" → signée, signé, signer): only the ones the dictionary
// contains are used, in the order given here. Accents are left alone: lookups also try the
// accent-folded form, so "paises" finds país.

const SHORTEST_STEM = 3;

type Rule = readonly [suffix: string, ...replacements: string[]];

// Each rule: if the word ends with `suffix`, try it with the suffix replaced by each replacement.
const RULES: Record<string, readonly Rule[]> = {
  fr: [
    ["aux", "al"], // nucléaux → nucléal, généraux → général
    ["s", ""], // armes → arme
    ["x", ""], // réseaux → réseau
    ["ées", "er"], // déployées → déployer
    ["és", "er"], // représentés → représenter
    ["ée", "er"],
    ["é", "er"], // signé → signer
    ["ies", "ir"],
    ["is", "ir"], // réunis → réunir
    ["ie", "ir"],
    ["es", ""],
    ["e", ""], // polonaise → polonais
    ["euse", "eur"],
    ["ive", "if"],
    ["elle", "el"],
    ["enne", "en"],
    ["ent", "er"], // signent → signer
    ["ez", "er"],
    ["ons", "er"],
    ["ait", "er"],
    ["aient", "er"],
  ],
  es: [
    ["ces", "z"], // veces → vez
    ["es", ""], // países → país
    ["s", ""],
    ["a", "o"], // polaca → polaco
    ["as", "o"],
    ["ado", "ar"], // firmado → firmar
    ["ada", "ar"],
    ["ados", "ar"],
    ["adas", "ar"],
    ["ido", "er", "ir"], // desplegado, reunido → reunir
    ["ida", "er", "ir"],
    ["idos", "er", "ir"],
    ["idas", "er", "ir"],
    ["an", "ar"], // firman → firmar
    ["en", "er", "ir"],
    ["ó", "ar"], // firmó → firmar
    ["ió", "er", "ir"],
  ],
  de: [
    ["en", ""], // Grenzen → Grenz (then folded or further guesses), Staaten → Staat
    ["en", "e"],
    ["n", ""], // Grenzen → Grenze
    ["e", ""], // Verträge → Verträg
    ["er", ""], // Länder → Länd → (folded) Land
    ["es", ""],
    ["s", ""], // Konzepts → Konzept
    ["et", "en"], // unterzeichnet → unterzeichnen
    ["t", "en", "n"], // verabschiedet → verabschieden
    ["te", "en", "n"],
    ["ten", "en", "n"],
  ],
};

/** Possible base forms of a lowercase word of `language`, most likely first; never the word itself. */
export function pivotLemmaCandidates(word: string, language: string): string[] {
  const candidates: string[] = [];
  const add = (stem: string) => {
    if (stem.length >= SHORTEST_STEM && stem !== word && !candidates.includes(stem)) candidates.push(stem);
  };
  for (const [suffix, ...replacements] of RULES[language] ?? []) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    for (const replacement of replacements) add(stem + replacement);
  }
  // German past participles: ge…t / ge…en around the stem (gesichert → sichern, gegeben → geben).
  if (language === "de" && word.startsWith("ge") && word.length > 5) {
    const rest = word.slice(2);
    if (rest.endsWith("t")) {
      add(rest.slice(0, -1) + "en");
      add(rest.slice(0, -1) + "n");
    }
    if (rest.endsWith("en")) add(rest);
  }
  return candidates;
}

/** Lowercase, accents and ligatures folded ("sécurité" → securite, "Straße" → strasse), for lookups that forgive accents. */
export function foldLatin(word: string): string {
  return word
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae");
}
