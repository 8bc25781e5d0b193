// What a question names: the words a document must mention to answer it (retrieve/entities.ts
// checks them), and the Arabic names a table gives for some of them (text/cldr-names.ts), which
// join the query as ranking-only variants (retrieve/query.ts).
import type { NameMatch } from "../text/cldr-names";

/**
 * A number of three digits or more (a year, a count; not a decade); a country or territory in any
 * language (the CLDR table's); a place named beside its kind's noun in any language (مدينة نيوم,
 * Cairo University, Universität Kairo); a person an Arabic question names after a title
 * (وزير الإسكان أحمد زكي); or another name: a capitalised Latin or Cyrillic word that
 * does not begin the sentence.
 */
export type EntityKind = "number" | "region" | "place" | "person" | "name";

export interface NamedWord {
  entity?: EntityKind;
  /** Words of one name share it ("House of Commons", "سيرغي لافروف"): the name is mentioned when any of them is. */
  nameSpan?: number;
  /** The table's Arabic names for the word (countries, with their adjective; months). */
  arabic?: string[];
  /** How to name the entity to the reader where the word carries more than the name (وكازاخستان → كازاخستان). */
  display?: string;
}

export interface NamedWordOptions {
  /** The analyzer's words of a text (normalised, lowercase). */
  words: (text: string) => string[];
  /** A word's terms; none for a stop word. */
  analyze: (text: string) => string[];
  /** Names a table knows, found in a question's words (text/cldr-names.ts). */
  findNames?: (words: readonly string[], language: string) => NameMatch[];
}

const ARABIC_LETTER = /[\u0600-\u06FF]/;
// A run of capitalised words, joined by the little words names hold ("House of Commons", "Valle de Arán").
const CAPITALISED_RUN = /\p{Lu}[\p{Ll}\p{M}]+(?:(?:[\s-]+(?:of|the|de|del|la|los|las|el|von|der|und|y|and|о|и))*[\s-]+\p{Lu}[\p{Ll}\p{M}]+)*/gu;
const CAPITALISED_WORD = /\p{Lu}[\p{Ll}\p{M}]+/gu;
const CAPITALISED_PAIR = /(\p{Lu}[\p{Ll}\p{M}]+)[\s-]+(?=(\p{Lu}[\p{Ll}\p{M}]+))/gu;
// Where a sentence begins, a capital tells no name ("Какими типами школ…", "Bajo el plan…").
const SENTENCE_START = /(?:^|[.!?:;]["»”)]?\s+)["«“¿¡(]*$/u;
// Three digits or more: a year or a count the answer must hold (a smaller one is often written out,
// "70" in "los años 70" is a decade). Not part of a digit group (1,000), not a decade (1970s, 1970er, 1970-х).
const NUMBER_IN_TEXT = /(?<!\p{Nd}[.,]?|(?:decade|década|Jahrzehnt|десятилети\p{L}*)\s+(?:of\s+|de\s+)?(?:the\s+|los\s+)?)\p{Nd}{3,}(?![.,]?\p{Nd})(?!['’]?-?\p{L})/giu;
// Russian and Spanish capitalise only the first word of a title (Палатой общин, Asamblea escocesa):
// a capitalised word alone there names something with the word after it.
const TITLE_CASE_FIRST_WORD_ONLY = new Set(["ru", "es"]);
// Arabic has no capitals, but a place's name follows the noun for its kind, in a construct without
// the article: مدينة نيوم, جامعة بغداد, جامعتي بيرزيت (normalised, any one-letter proclitic off)…
const ARABIC_PLACE_NOUNS = new Set(["مدينه", "جامعه", "جامعتي", "محافظه", "ولايه", "قريه", "جزيره", "مطار", "ميناء"]);
// …unless an adjective follows instead (مدينة كبيرة, جامعة حكومية): the common ones, and any
// indefinite relative adjective (ساحلية, إيطالية), which a name seldom is.
const ARABIC_COMMON_ADJECTIVES = new Set(["كبيره", "كبري", "صغيره", "جديده", "قديمه", "حديثه", "خاصه", "عامه", "واحده", "اخري", "اولي", "ثانيه", "ثالثه", "اخيره", "مهمه", "مختلفه", "ضخمه"]);
const isArabicAdjective = (word: string) => ARABIC_COMMON_ADJECTIVES.has(word) || (word.endsWith("يه") && !word.startsWith("ال"));
// A person's name follows their title, after the office's own definite words (وزير الإسكان أحمد زكي,
// الدكتورة سلمى العمري, الرئيس الروسي فلاديمير بوتين): its words without the article, and a family name after them.
const ARABIC_PERSON_TITLES = new Set(["الرءيس", "رءيس", "الوزير", "وزير", "وزيره", "الدكتور", "الدكتوره", "السيد", "السيده", "الشيخ", "الامير", "الملك", "المهندس", "السفير", "اللواء", "العقيد", "المدير", "مدير", "مديره", "الجنرال"]);
const isArabicKindNoun = (nouns: ReadonlySet<string>, word: string, proclitics: RegExp) => nouns.has(word) || nouns.has(word.replace(proclitics, ""));
// The same nouns in the other languages: a capitalised name beside one is a place (Cairo University,
// University of Jordan, Universität Kairo, Universidad de Oxford, город Каир, Багдадского
// университета), not the noun itself. Russian by the noun's stem, as it declines.
const PLACE_NOUNS: Record<string, readonly string[]> = {
  en: ["university", "city", "province", "island", "airport", "port", "village", "town"],
  de: ["universität", "stadt", "provinz", "insel", "flughafen", "hafen", "dorf"],
  es: ["universidad", "ciudad", "provincia", "isla", "aeropuerto", "puerto", "pueblo"],
  fr: ["université", "ville", "province", "île", "aéroport", "port", "village"],
  ru: ["университет", "город", "провинци", "остров", "аэропорт", "порт", "деревн"],
};
const isPlaceNoun = (word: string | undefined, language: string) =>
  word !== undefined && (PLACE_NOUNS[language] ?? []).some((noun) => (language === "ru" ? word.startsWith(noun) : word === noun));
const GERMAN_PLACE = new RegExp(`(?:${PLACE_NOUNS.de.join("|")})\\s+(\\p{Lu}[\\p{Ll}\\p{M}]+)`, "giu");
// The little words between a place's noun and its name (University of Jordan, Universidad de Oxford).
const OF = new Set(["of", "de", "del", "la", "the"]);

/** A question's text and language → what each of its words names, by the analyzer's words. */
export function createNamedWordFinder(options: NamedWordOptions) {
  const { words, analyze, findNames = () => [] } = options;

  return function namedWords(text: string, language: string): Map<string, NamedWord> {
    const questionWords = words(text);
    const named = new Map<string, NamedWord>();
    let span = 0;
    const mark = (word: string, entity: EntityKind, nameSpan = ++span) => {
      if (!named.get(word)?.entity) named.set(word, { ...named.get(word), entity, nameSpan });
    };

    // A country's name that continues a longer name is not the country: New Jersey, Northern Ireland.
    // (Two capitalised words side by side, not joined by "and" or "of": Belarus and China are two;
    // nor in German, which capitalises every noun: Universität Jordanien names Jordan.)
    const runPairs = language === "de" ? new Set<string>() : new Set(Array.from(text.matchAll(CAPITALISED_PAIR), (m) => `${words(m[1])[0]} ${words(m[2])[0]}`));
    // A city is one where its name is written as a name: capitalised (the table's words are lowercase).
    const capitalisedWords = new Set(Array.from(text.matchAll(CAPITALISED_WORD), (m) => words(m[0])[0]));
    for (const match of findNames(questionWords, language)) {
      if (match.kind === "region" && match.from > 0 && runPairs.has(`${questionWords[match.from - 1]} ${questionWords[match.from]}`)) continue;
      if (match.kind === "city" && !questionWords.slice(match.from, match.to).some((word) => capitalisedWords.has(word))) continue;
      span++;
      for (const word of questionWords.slice(match.from, match.to)) {
        if (named.has(word)) continue;
        if (match.kind === "month" || match.adjective) named.set(word, { arabic: match.arabic }); // a date, an adjective: not a name to look for
        else named.set(word, { entity: match.kind === "city" ? "place" : "region", nameSpan: span, arabic: match.arabic, ...(ARABIC_LETTER.test(word) && { display: match.arabic[0] }) });
      }
    }
    for (const match of text.matchAll(NUMBER_IN_TEXT)) {
      const [number] = words(match[0]);
      named.set(number, { ...named.get(number), entity: "number", nameSpan: undefined });
    }
    if (language === "ar") {
      questionWords.forEach((word, i) => {
        const next = questionWords[i + 1];
        if (next !== undefined && isArabicKindNoun(ARABIC_PLACE_NOUNS, word, /^[وفبلك]/) && analyze(next).length > 0 && !isArabicAdjective(next)) mark(next, "place");
        if (isArabicKindNoun(ARABIC_PERSON_TITLES, word, /^[وفبل]/)) {
          // One person, one span: a document may give the family name alone (لافروف for سيرغي لافروف).
          const person = ++span;
          for (const part of personAfterTitle(questionWords, i + 1, named)) mark(part, "person", person);
        }
      });
    }
    if (language === "de") {
      // German capitalises every noun, so a capital tells no name there, but one after a place's noun is its name (Universität Kairo).
      for (const match of text.matchAll(GERMAN_PLACE)) {
        const [name] = words(match[1]);
        if (name !== undefined && !named.has(name)) mark(name, "place");
      }
    } else {
      // (An Arabic question's Latin names count.)
      for (const run of text.matchAll(CAPITALISED_RUN)) {
        const runSpan = ++span;
        const runWords = [...run[0].matchAll(CAPITALISED_WORD)].filter((m) => m.index! > 0 || !SENTENCE_START.test(text.slice(0, run.index)));
        const names = runWords.flatMap((m) => words(m[0])).filter((word) => !named.has(word));
        const preceding = words(text.slice(0, run.index));
        const [before, beforeOf] = [preceding.at(-1), preceding.at(-2)];
        const after = words(text.slice(run.index! + run[0].length)).find((word) => analyze(word).length > 0);
        // Cairo University, University of Jordan, city of Fresno, Багдадского университета.
        const place = words(run[0]).some((word) => isPlaceNoun(word, language)) || isPlaceNoun(before, language) || (OF.has(before ?? "") && isPlaceNoun(beforeOf, language)) || isPlaceNoun(after, language);
        if (place) {
          for (const word of names.filter((w) => !isPlaceNoun(w, language) && !OF.has(w))) mark(word, "place", runSpan);
          continue;
        }
        // Russian and Spanish capitalise a title's first word only: the word after one capitalised word belongs to it.
        if (names.length === 1 && TITLE_CASE_FIRST_WORD_ONLY.has(language) && after !== undefined && !named.has(after)) names.push(after);
        for (const word of names) mark(word, "name", runSpan);
      }
    }
    return named;
  };

  /** The name after a title: past up to two of the office's definite words, up to three words, ending at one with the article or before a country. */
  function personAfterTitle(questionWords: readonly string[], from: number, named: ReadonlyMap<string, NamedWord>): string[] {
    let j = from;
    for (let skipped = 0; skipped < 2 && questionWords[j]?.startsWith("ال"); skipped++) j++; // the office: وزير الإسكان
    const name: string[] = [];
    for (; j < questionWords.length && name.length < 3; j++) {
      const next = questionWords[j];
      if (analyze(next).length === 0 || ARABIC_PERSON_TITLES.has(next) || named.get(next)?.entity === "region") break; // رئيس مصر
      if (next.startsWith("ال") && name.length === 0) break;
      name.push(next);
      if (next.startsWith("ال")) break; // a family name ends it: سلمى العمري
    }
    return name;
  }
}
