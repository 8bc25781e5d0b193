// Russian names cross into Arabic by sound, like Latin-script ones: spelt in Latin letters first
// (a BGN/PCGN-like table, without its diacritics), they go through the same phonetic skeleton
// (Вольфович → volfovich → فولفوفيتش, Лукашенко → lukashenko → لوكاشينكو).

const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "yo", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l",
  м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh",
  щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
  // Ukrainian and Belarusian letters that turn up in names (Зеленський, Лукашэнка).
  і: "i", ї: "yi", є: "ye", ґ: "g", ў: "w",
};

const CYRILLIC_LETTER = /\p{Script=Cyrillic}/u;

/** Whether a word has any Cyrillic letter. */
export function hasCyrillic(word: string): boolean {
  return CYRILLIC_LETTER.test(word);
}

/** Lowercase Latin spelling of a word's Cyrillic letters; other characters are kept (lowercased). */
export function transliterateCyrillic(word: string): string {
  let latin = "";
  for (const c of word.toLowerCase()) latin += CYRILLIC_TO_LATIN[c] ?? c;
  return latin;
}
