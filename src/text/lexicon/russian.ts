// Russian words are inflected (ядерный, ядерного, ядерным …) while ru-ar.json lists dictionary
// forms; both sides are reduced to a Snowball stem so a question's inflected word finds its lemma.

import { stemmer as snowballRussian } from "@orama/stemmers/russian";

/** Lowercase, ё written е (most people type е), NFC. */
export function foldRussian(word: string): string {
  return word.normalize("NFC").toLowerCase().replace(/ё/g, "е");
}

/** The Snowball stem of a folded Russian word ("сотрудничества" → сотрудничеств). */
export function russianStem(word: string): string {
  return snowballRussian(foldRussian(word));
}
