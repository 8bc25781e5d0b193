// The Arabic folding the lexicon data is stored in. It is kept here, separate from the runtime
// normalizer, so the build script and the lookups agree on one definition that the data was
// generated with; if the runtime's folding changes, change this too and rebuild the data.

const TASHKEEL_AND_TATWEEL = /[\u064b-\u065f\u0670\u0640]/g;
// Invisible format characters (zero-width joiners, bidi marks, BOM) that the source files contain
// inside words and that would otherwise split or hide them.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u00ad\u061c\ufeff]/g;
const LETTER_FOLDS: Record<string, string> = {
  "أ": "ا",
  "إ": "ا",
  "آ": "ا",
  "ٱ": "ا",
  "ى": "ي",
  "ة": "ه",
  "ؤ": "و",
  "ئ": "ي",
};
const FOLDED_LETTERS = /[أإآٱىةؤئ]/g;

/** NFKC (presentation forms such as ﻻ), lowercase Latin, drop tashkeel and tatweel, fold hamza seats, ى and ة. */
export function foldArabic(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(INVISIBLE, "")
    .replace(TASHKEEL_AND_TATWEEL, "")
    .replace(FOLDED_LETTERS, (letter) => LETTER_FOLDS[letter]);
}
