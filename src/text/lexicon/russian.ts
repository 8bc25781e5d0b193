// Russian words are inflected (ядерный, ядерного, ядерным …) while ru-ar.json lists dictionary
// forms. Lookups guess the dictionary form from the ending first (like pivot-lemma.ts does for
// French, Spanish and German), then fall back to a Snowball stem shared by both sides.

import { stemmer as snowballRussian } from "@orama/stemmers/russian";

const SHORTEST_STEM = 3;

type Rule = readonly [ending: string, ...lemmaEndings: string[]];

// Each rule: if the word ends with `ending`, try it with each lemma ending instead. Longer endings
// come first; over-generation is fine, only forms the dictionary has are used, in this order.
const RULES: readonly Rule[] = [
  // adjectives: ядерного, ядерной, новая, новые → ядерный, новый (-ий, -ой for soft and stressed stems)
  ["ого", "ый", "ий", "ой"], ["его", "ий", "ый"], ["ому", "ый", "ий", "ой"], ["ему", "ий", "ый"],
  ["ыми", "ый"], ["ими", "ий", "ый"], ["ым", "ый"], ["им", "ий", "ый"], ["ых", "ый"], ["их", "ий", "ый"],
  ["ая", "ый", "ий", "ой"], ["яя", "ий"], ["ое", "ый", "ой"], ["ее", "ий"], ["ые", "ый"], ["ие", "ий"],
  ["ую", "ый", "ий", "ой"], ["юю", "ий"], ["ой", "ый", "а", ""], ["ей", "ий", "я", "ь", ""],
  // nouns: сотрудничества, области, странами, угрозы, оружия, учениях → сотрудничество, область, …
  ["ами", "а", "", "о", "ы"], ["ями", "я", "ь", "е"], ["ах", "а", "", "о"], ["ях", "я", "ь", "е", "и"],
  ["ам", "а", "", "о"], ["ям", "я", "ь", "е"], ["ом", "", "о"], ["ем", "е", "ь", ""], ["ов", "", "ы"], ["ев", "й", "ь"],
  ["ии", "ия", "ие"], ["ию", "ия", "ие"], ["ия", "ие"],
  ["а", "", "о"], ["я", "е", "ь", "й"], ["ы", "а", ""], ["и", "ь", "а", "я", "е", "й"], ["у", "", "а", "о"],
  ["ю", "я", "ь", "е"], ["е", "", "а", "о", "я", "ь"],
  // verbs: касается, подписали, заявил → касаться, подписать, заявить
  ["ется", "ться"], ["ится", "иться"], ["ются", "ться"], ["ятся", "иться"], ["утся", "ться"], ["атся", "аться"],
  ["ался", "аться"], ["алась", "аться"], ["ались", "аться"], ["ился", "иться"], ["илась", "иться"], ["ились", "иться"],
  ["ает", "ать"], ["яет", "ять"], ["ует", "овать"], ["ит", "ить"], ["ют", "ть"], ["ат", "ать"], ["ят", "ить", "ять"],
  ["ал", "ать"], ["ала", "ать"], ["ало", "ать"], ["али", "ать"], ["ил", "ить"], ["ила", "ить"], ["или", "ить"],
  ["ял", "ять"], ["яли", "ять"], ["ен", "ить"], ["ена", "ить"], ["ано", "ать"],
];

/** Lowercase, ё written е (most people type е), NFC. */
export function foldRussian(word: string): string {
  return word.normalize("NFC").toLowerCase().replace(/ё/g, "е");
}

/** The Snowball stem of a Russian word ("сотрудничества" → сотрудничеств). */
export function russianStem(word: string): string {
  return snowballRussian(foldRussian(word));
}

/** Possible dictionary forms of a folded Russian word, most likely first; never the word itself. */
export function russianLemmaCandidates(word: string): string[] {
  const candidates: string[] = [];
  for (const [ending, ...lemmaEndings] of RULES) {
    if (!word.endsWith(ending)) continue;
    const stem = word.slice(0, word.length - ending.length);
    if (stem.length < SHORTEST_STEM) continue;
    for (const lemmaEnding of lemmaEndings) {
      const lemma = stem + lemmaEnding;
      if (lemma !== word && !candidates.includes(lemma)) candidates.push(lemma);
    }
  }
  return candidates;
}
