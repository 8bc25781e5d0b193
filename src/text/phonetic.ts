// Names cross scripts by sound, not by dictionary: "Grushko" is written جروشكو, "Volfovich"
// فولفوفيتش. Both scripts are reduced to the same consonant skeleton (vowels and long-vowel
// letters dropped, similar sounds merged), so a Latin-script name finds its Arabic spelling in
// the corpus vocabulary without a transliteration table per name. Cyrillic words are spelt in
// Latin letters first (src/text/cyrillic.ts), so Russian questions' names match the same way.

import { transliterateCyrillic } from "./cyrillic";

const LATIN_DIGRAPHS: [string, string][] = [
  ["sch", "Š"], ["tch", "TŠ"], ["ch", "TŠ"], ["sh", "Š"], ["zh", "G"], ["kh", "H"], ["gh", "G"],
  ["ph", "F"], ["th", "T"], ["ts", "TS"], ["ck", "K"], ["qu", "K"], ["dj", "G"], ["dzh", "G"],
];
const LATIN_LETTERS: Record<string, string> = {
  b: "B", p: "B", t: "T", d: "D", s: "S", z: "Z", k: "K", q: "K", g: "G", j: "G", f: "F", v: "F",
  l: "L", m: "M", n: "N", r: "R", h: "H", x: "KS",
};
const ARABIC_LETTERS: Record<string, string> = {
  ب: "B", ت: "T", ط: "T", ث: "S", س: "S", ص: "S", ج: "G", غ: "G", ح: "H", خ: "H", ه: "H", د: "D", ض: "D",
  ذ: "Z", ز: "Z", ظ: "Z", ر: "R", ش: "Š", ف: "F", ق: "K", ك: "K", ل: "L", م: "M", ن: "N",
};
const ARABIC_ARTICLE = /^(ال|وال|بال|لل)/;
const ONE_LETTER_PROCLITIC = /^[وفبلك]/;

/** Consonant skeleton of a Latin-script or Cyrillic word ("grushko" → "GRŠK", "Грушко" → "GRŠK"). */
export function latinKey(word: string): string {
  const w = transliterateCyrillic(word).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  let key = "";
  for (let i = 0; i < w.length; ) {
    const digraph = LATIN_DIGRAPHS.find(([latin]) => w.startsWith(latin, i));
    if (digraph) {
      key += digraph[1];
      i += digraph[0].length;
      continue;
    }
    const c = w[i];
    // c sounds s before e, i, y (Cyprus, Vincent) and k elsewhere.
    const next = w[i + 1];
    key += c === "c" ? (next !== undefined && "eiy".includes(next) ? "S" : "K") : (LATIN_LETTERS[c] ?? "");
    i++;
  }
  return collapse(key);
}

/**
 * Consonant skeleton of a normalised Arabic word, article removed ("البلطيق" → "BLTK"), or kept
 * for names whose ال is their own first syllable (أليكسي, ألكسندر: Alexei, Aleksandr).
 */
export function arabicKey(word: string, { keepArticle = false } = {}): string {
  let key = "";
  for (const c of keepArticle ? word : word.replace(ARABIC_ARTICLE, "")) key += ARABIC_LETTERS[c] ?? "";
  // A final ه is most often ة (normalised), a vowel ending in transliteration: Moskva = موسكوا/موسكوه.
  return collapse(key.endsWith("H") && word.endsWith("ه") ? key.slice(0, -1) : key);
}

/** Doubled consonants are written once in the other script (Minsk / مينسك, Kalashnikov). */
function collapse(key: string): string {
  return key.replace(/(.)\1+/gu, "$1");
}

/**
 * An index of a vocabulary by skeleton: `find(latinWord)` gives the vocabulary words that sound
 * like it — same skeleton, or one edit away for skeletons of five or more consonants.
 */
export function createPhoneticIndex(vocabulary: Iterable<string>, options: { minKey?: number; fuzzyFrom?: number } = {}) {
  const { minKey = 3, fuzzyFrom = 5 } = options;
  const byKey = new Map<string, Set<string>>();
  const add = (key: string, word: string) => {
    if (key.length < minKey) return;
    let words = byKey.get(key);
    if (!words) byKey.set(key, (words = new Set()));
    words.add(word);
  };
  for (const word of vocabulary) {
    add(arabicKey(word), word);
    if (word.startsWith("ال")) add(arabicKey(word, { keepArticle: true }), word);
    // A name may occur only with a proclitic attached (لإزفستيا), so index it without one too.
    if (ONE_LETTER_PROCLITIC.test(word) && word.length >= 5) add(arabicKey(word.slice(1)), word);
  }
  const keys = [...byKey.keys()];
  return {
    find(latinWord: string): string[] {
      const key = latinKey(latinWord);
      if (key.length < minKey) return [];
      const exact = byKey.get(key);
      if (exact) return [...exact];
      if (key.length < fuzzyFrom) return [];
      return keys.filter((k) => Math.abs(k.length - key.length) <= 1 && withinOneEdit(k, key)).flatMap((k) => [...byKey.get(k)!]);
    },
  };
}

function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length > b.length) [a, b] = [b, a];
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.slice(i) === b.slice(i + 1);
}
