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

// Arabic letters that stand for two Latin sounds in borrowed names: ث is th (Luther / لوثر, Smith /
// سميث) as often as s, and ز the voiced s of a plural (Panthers / بانثرز).
const ARABIC_SECOND_READINGS: Record<string, string> = { ث: "T", ز: "S" };
const MAX_READINGS = 8;

/** The skeletons a word may have in the other script: its own, and with ch written ش (Chicago / شيكاغو) rather than تش. */
function withSoftCh(keys: readonly string[]): string[] {
  return [...new Set(keys.flatMap((key) => [key, collapse(key.replace(/TŠ/gu, "Š"))]))];
}

/** Every skeleton of a Latin-script or Cyrillic word (latinKey's, and with ch read as sh). */
export function latinKeys(word: string): string[] {
  return withSoftCh([latinKey(word)]);
}

/** Every skeleton of a normalised Arabic word: arabicKey's, and with ث and ز read their other way. */
export function arabicKeys(word: string, { keepArticle = false } = {}): string[] {
  let readings = [""];
  for (const c of keepArticle ? word : word.replace(ARABIC_ARTICLE, "")) {
    const first = ARABIC_LETTERS[c];
    if (!first) continue;
    const second = ARABIC_SECOND_READINGS[c];
    readings = second && readings.length < MAX_READINGS ? readings.flatMap((r) => [r + first, r + second]) : readings.map((r) => r + first);
  }
  const finished = readings.map((key) => collapse(key.endsWith("H") && word.endsWith("ه") ? key.slice(0, -1) : key));
  return withSoftCh([...new Set(finished)]);
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
    for (const key of arabicKeys(word)) add(key, word);
    if (word.startsWith("ال")) for (const key of arabicKeys(word, { keepArticle: true })) add(key, word);
    // A name may occur only with a proclitic attached (لإزفستيا), so index it without one too.
    if (ONE_LETTER_PROCLITIC.test(word) && word.length >= 5) for (const key of arabicKeys(word.slice(1))) add(key, word);
  }
  // One edit apart, two skeletons differ in length by one at most: only those lengths are scanned.
  const keysByLength = new Map<number, string[]>();
  for (const key of byKey.keys()) {
    const sameLength = keysByLength.get(key.length);
    if (sameLength) sameLength.push(key);
    else keysByLength.set(key.length, [key]);
  }
  return {
    find(latinWord: string): string[] {
      const wordKeys = latinKeys(latinWord).filter((key) => key.length >= minKey);
      const exact = new Set(wordKeys.flatMap((key) => [...(byKey.get(key) ?? [])]));
      if (exact.size > 0) return [...exact];
      const long = wordKeys.filter((key) => key.length >= fuzzyFrom);
      if (long.length === 0) return [];
      const near = long.flatMap((key) => [key.length - 1, key.length, key.length + 1].flatMap((length) => (keysByLength.get(length) ?? []).filter((k) => withinOneEdit(k, key))));
      return [...new Set(near.flatMap((k) => [...byKey.get(k)!]))];
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
