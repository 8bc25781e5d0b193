// Turns a question into weighted term groups: one group per content word of the question,
// holding the word's own stems and its expansions (synonyms, translations) at lower weights.
// A group counts as matched when any of its variants occurs, so an expansion can stand in
// for the word but never count twice.
import type { HistoryTurn } from "../types";
import type { NameMatch } from "../text/cldr-names";
import type { BridgedEntry } from "./bridge";

export interface TermVariant {
  term: string;
  weight: number;
  /** For a variant only the model's bridge found (retrieve/bridge.ts): its cosine to the question's word. */
  similarity?: number;
  /**
   * Found by the bridge or the name table (text/cldr-names.ts), not from the question's own words,
   * the synonyms or the dictionaries: it helps rank sentences but is no evidence that the sources
   * answer the question, so "What is the GDP of Russia?" does not look more answerable for روسيا.
   */
  rankingOnly?: true;
  /** A looser conflation than a stem (a root): it may stand in for the word in ranking, but names nothing (نيوم's root is يوم's). */
  loose?: true;
}

export interface TermGroup {
  /** The question's word as normalised, for explanations and debugging. */
  word: string;
  variants: TermVariant[];
  /** Groups from earlier turns help ranking but do not count towards answerability. */
  fromHistory: boolean;
  /**
   * The word names something the answer's document must mention (retrieve/entities.ts): a number
   * of three digits or more (a year, a count; not a decade), a country or territory in any
   * language (a table's name: text/cldr-names.ts), a place or a person an Arabic question names
   * after its kind or title (مدينة نيوم, وزير الإسكان أحمد زكي), or another name: a capitalised
   * word in Latin or Cyrillic script that does not begin the sentence.
   */
  entity?: "number" | "region" | "place" | "person" | "name";
  /** Words of one multi-word name share it ("House of Commons", "Соединенных Штатов"): the name is mentioned when any of them is. */
  nameSpan?: number;
  /** How to name the entity to the reader, where the question's word carries more than the name (وكازاخستان → كازاخستان). */
  display?: string;
}

export interface AnalyzedQuery {
  language: string;
  groups: TermGroup[];
  /** The text given to the dense embedder. */
  denseText: string;
}

export interface QueryAnalyzerOptions {
  analyze: (text: string) => string[];
  words: (text: string) => string[];
  detectLanguage: (text: string) => string;
  /** Arabic synonyms of a normalised Arabic word. */
  synonyms?: (word: string) => string[];
  /** Arabic translations of a lowercase word of another language (given the question's language). */
  translate?: (word: string, language: string) => string[];
  /** Corpus words that sound like a Latin-script or Cyrillic word: names cross scripts by sound (Grushko, Грушко / جروشكو). */
  soundsLike?: (word: string) => string[];
  /** Names a table gives in Arabic (countries, months: text/cldr-names.ts), found in a question's words. */
  findNames?: (words: readonly string[], language: string) => NameMatch[];
  transliterationWeight?: number;
  synonymWeight?: number;
  translationWeight?: number;
  /** Weight of the Arabic words the model's vocabulary bridge finds for a word of another language (retrieve/bridge.ts). */
  bridgeWeight?: number;
  /** Weight of terms that conflate more loosely than stems (roots), recognised by `isLooseTerm`. */
  looseWeight?: number;
  isLooseTerm?: (term: string) => boolean;
  historyWeight?: number;
  /** A question with at most this many content words is treated as a possible follow-up. */
  followUpMaxWords?: number;
  /** Whether the dense embedder understands the question's language without translations. */
  denseIsMultilingual?: boolean;
}

const ARABIC_LETTER = /[\u0600-\u06FF]/;
const LATIN_OR_CYRILLIC_LETTER = /[\p{Script=Latin}\p{Script=Cyrillic}]/u;
// A run of capitalised words, joined by the little words names hold ("House of Commons", "Valle de Arán").
const CAPITALISED_RUN = /\p{Lu}[\p{Ll}\p{M}]+(?:(?:[\s-]+(?:of|the|de|del|la|los|las|el|von|der|und|y|and|о|и))*[\s-]+\p{Lu}[\p{Ll}\p{M}]+)*/gu;
const CAPITALISED_WORD = /\p{Lu}[\p{Ll}\p{M}]+/gu;
// Where a sentence begins, a capital tells no name ("Какими типами школ…", "Bajo el plan…").
const SENTENCE_START = /(?:^|[.!?:;]["»”)]?\s+)["«“¿¡(]*$/u;
// Three digits or more: a year or a count the answer must hold (a smaller one is often written out,
// "70" in "los años 70" is a decade). Not part of a digit group (1,000), not a decade (1970s, 1970er, 1970-х).
const NUMBER_IN_TEXT = /(?<!\p{Nd}[.,]?|(?:decade|década|Jahrzehnt|десятилети\p{L}*)\s+(?:of\s+|de\s+)?(?:the\s+|los\s+)?)\p{Nd}{3,}(?![.,]?\p{Nd})(?!['’]?-?\p{L})/giu;
// Arabic has no capitals, but a place's name follows the noun for its kind, in a construct without
// the article: مدينة نيوم, جامعة بغداد, جامعتي بيرزيت (normalised, any one-letter proclitic off).
const ARABIC_PLACE_NOUNS = new Set(["مدينه", "جامعه", "جامعتي", "محافظه", "ولايه", "قريه", "جزيره", "مطار", "ميناء"]);
// …unless an adjective follows instead (مدينة كبيرة, جامعة حكومية): the common ones, and any
// indefinite relative adjective (ساحلية, إيطالية), which a name seldom is.
const ARABIC_COMMON_ADJECTIVES = new Set(["كبيره", "كبري", "صغيره", "جديده", "قديمه", "حديثه", "خاصه", "عامه", "واحده", "اخري", "اولي", "ثانيه", "ثالثه", "اخيره", "مهمه", "مختلفه", "ضخمه"]);
// A person's name follows their title, after the office's own definite words (وزير الإسكان أحمد زكي,
// الدكتورة سلمى العمري, الرئيس الروسي فلاديمير بوتين): its undefined words, and a family name after them.
const ARABIC_PERSON_TITLES = new Set(["الرءيس", "رءيس", "الوزير", "وزير", "وزيره", "الدكتور", "الدكتوره", "السيد", "السيده", "الشيخ", "الامير", "الملك", "المهندس", "السفير", "اللواء", "العقيد", "المدير", "مدير", "مديره", "الجنرال"]);
const isArabicAdjective = (word: string) => ARABIC_COMMON_ADJECTIVES.has(word) || (word.endsWith("يه") && !word.startsWith("ال"));
// Russian and Spanish capitalise only the first word of a title (Палатой общин, Asamblea escocesa):
// a capitalised word alone there names something with the word after it.
const TITLE_CASE_FIRST_WORD_ONLY = new Set(["ru", "es"]);

export function createQueryAnalyzer(options: QueryAnalyzerOptions) {
  const {
    analyze,
    words,
    detectLanguage,
    synonyms = () => [],
    translate = () => [],
    soundsLike = () => [],
    findNames = () => [],
    transliterationWeight = 0.7,
    synonymWeight = 0.5,
    translationWeight = 0.8,
    bridgeWeight = 0.3,
    looseWeight = 0.5,
    isLooseTerm = () => false,
    historyWeight = 0.4,
    followUpMaxWords = 4,
    denseIsMultilingual = false,
  } = options;

  function groupsOf(text: string, language: string, fromHistory: boolean, bridged?: ReadonlyMap<string, readonly BridgedEntry[]>): { groups: TermGroup[]; translations: string[] } {
    const groups: TermGroup[] = [];
    const translations: string[] = [];
    const names = new Set(Array.from(text.matchAll(CAPITALISED_WORD), (m) => m[0].toLowerCase()));
    const scale = fromHistory ? historyWeight : 1;
    const { tabled, spans, numbers, places, people } = namedWordsOf(text, language);
    for (const word of new Set(words(text))) {
      const own = analyze(word);
      if (own.length === 0) continue; // a stop word
      const variants = new Map<string, number>();
      // Where each term came from: the bridge (its best cosine) or the name table rank but are no evidence.
      const bridgedOnly = new Map<string, number>();
      const evidence = new Set<string>();
      const tableTerms = new Set<string>();
      const add = (term: string, weight: number, from: "word" | "table" | { similarity: number } = "word") => {
        const w = (isLooseTerm(term) ? weight * looseWeight : weight) * scale;
        if (from === "word") evidence.add(term);
        else if (from === "table") tableTerms.add(term);
        else bridgedOnly.set(term, Math.max(bridgedOnly.get(term) ?? 0, from.similarity));
        variants.set(term, Math.max(variants.get(term) ?? 0, w));
      };
      for (const term of own) add(term, 1);
      for (const arabic of tabled.get(word)?.arabic ?? []) {
        if (!ARABIC_LETTER.test(word)) translations.push(arabic);
        for (const term of analyze(arabic)) add(term, translationWeight, "table");
      }
      if (ARABIC_LETTER.test(word)) {
        for (const synonym of synonyms(word)) for (const term of analyze(synonym)) add(term, synonymWeight);
      } else {
        for (const translation of translate(word, language)) {
          translations.push(translation);
          for (const term of analyze(translation)) add(term, translationWeight);
        }
        for (const { text: entry, similarity } of bridged?.get(word) ?? []) for (const term of analyze(entry)) add(term, bridgeWeight, { similarity });
        // By sound only for names: capitalised words, or words the dictionary does not know.
        if (LATIN_OR_CYRILLIC_LETTER.test(word) && (names.has(word) || variants.size === own.length)) {
          for (const match of soundsLike(word)) for (const term of analyze(match)) add(term, transliterationWeight);
        }
      }
      const nameSpan = spans.get(word);
      const entity = numbers.has(word) ? "number" : tabled.get(word)?.kind === "region" ? "region" : places.has(word) ? "place" : people.has(word) ? "person" : nameSpan !== undefined ? "name" : undefined;
      groups.push({
        word,
        variants: [...variants].map(([term, weight]): TermVariant => {
          const loose = isLooseTerm(term) ? { loose: true as const } : {};
          if (evidence.has(term)) return { term, weight, ...loose };
          if (tableTerms.has(term)) return { term, weight, rankingOnly: true, ...loose };
          return { term, weight, rankingOnly: true, similarity: bridgedOnly.get(term), ...loose };
        }),
        fromHistory,
        ...(entity && { entity }),
        ...(nameSpan !== undefined && entity !== "number" && { nameSpan }),
        ...(entity === "region" && ARABIC_LETTER.test(word) && { display: tabled.get(word)!.arabic[0] }),
      });
    }
    return { groups, translations };
  }

  /**
   * The words of a question that name something: the names a table knows (countries in any
   * language, months, with their Arabic names), runs of capitalised Latin or Cyrillic words that do
   * not begin a sentence (not in German, which capitalises every noun; a month is a date, not a
   * name), each run one name; and numbers.
   */
  function namedWordsOf(text: string, language: string) {
    const questionWords = words(text);
    const tabled = new Map<string, { arabic: string[]; span: number; kind: NameMatch["kind"] }>();
    const spans = new Map<string, number>();
    let span = 0;
    for (const match of findNames(questionWords, language)) {
      span++;
      for (const word of questionWords.slice(match.from, match.to)) {
        if (tabled.has(word)) continue;
        tabled.set(word, { arabic: match.arabic, span, kind: match.kind });
        if (match.kind === "region") spans.set(word, span);
      }
    }
    if (language !== "de") {
      for (const run of text.matchAll(CAPITALISED_RUN)) {
        span++;
        const runWords = [...run[0].matchAll(CAPITALISED_WORD)].filter((m) => m.index! > 0 || !SENTENCE_START.test(text.slice(0, run.index)));
        const named = runWords.flatMap((m) => words(m[0])).filter((word) => !spans.has(word) && tabled.get(word)?.kind !== "month");
        if (named.length === 1 && TITLE_CASE_FIRST_WORD_ONLY.has(language)) {
          const next = words(text.slice(run.index! + run[0].length)).find((word) => analyze(word).length > 0);
          if (next !== undefined && !spans.has(next)) named.push(next);
        }
        for (const word of named) spans.set(word, span);
      }
    }
    const places = new Set<string>();
    if (language === "ar") {
      questionWords.forEach((word, i) => {
        const next = questionWords[i + 1];
        if (next !== undefined && (ARABIC_PLACE_NOUNS.has(word) || ARABIC_PLACE_NOUNS.has(word.replace(/^[وفبلك]/, ""))) && analyze(next).length > 0 && !isArabicAdjective(next) && !tabled.has(next)) places.add(next);
      });
    }
    const people = new Set<string>();
    if (language === "ar") {
      questionWords.forEach((word, i) => {
        if (!ARABIC_PERSON_TITLES.has(word) && !ARABIC_PERSON_TITLES.has(word.replace(/^[وفبل]/, ""))) return;
        let j = i + 1;
        for (let skipped = 0; skipped < 2 && questionWords[j]?.startsWith("ال"); skipped++) j++; // the office: وزير الإسكان
        const name: string[] = [];
        for (; j < questionWords.length && name.length < 3; j++) {
          const next = questionWords[j];
          if (analyze(next).length === 0 || ARABIC_PERSON_TITLES.has(next) || tabled.has(next)) break;
          if (next.startsWith("ال") && name.length === 0) break;
          name.push(next);
          if (next.startsWith("ال")) break; // a family name ends it: سلمى العمري
        }
        // One person, one span: a document may give the family name alone (لافروف for سيرغي لافروف).
        if (name.length > 0) span++;
        for (const part of name) if (!spans.has(part)) (people.add(part), spans.set(part, span));
      });
    }
    const numbers = new Set(Array.from(text.matchAll(NUMBER_IN_TEXT), (m) => words(m[0])[0]));
    return { tabled, spans, numbers, places, people };
  }

  /** `bridged`: Arabic entries the model's vocabulary bridge found for the question's words (retrieve/bridge.ts). */
  return function analyzeQuery(question: string, history: HistoryTurn[] = [], bridged?: ReadonlyMap<string, readonly BridgedEntry[]>): AnalyzedQuery {
    const language = detectLanguage(question);
    const current = groupsOf(question, language, false, bridged);
    const groups = [...current.groups];
    let denseText = question;
    const previous = [...history].reverse().find((turn) => turn.role === "user")?.content;
    if (previous && current.groups.length <= followUpMaxWords) {
      // Short follow-ups ("ومتى سيتم توقيعها؟") lean on the previous question for their subject.
      const seen = new Set(groups.flatMap((g) => g.variants.map((v) => v.term)));
      for (const group of groupsOf(previous, detectLanguage(previous), true).groups) {
        if (group.variants.some((v) => !seen.has(v.term))) groups.push(group);
      }
      denseText = `${previous} ${question}`;
    }
    if (!denseIsMultilingual && current.translations.length > 0) denseText += ` ${current.translations.join(" ")}`;
    return { language, groups, denseText };
  };
}

export type QueryAnalyzer = ReturnType<typeof createQueryAnalyzer>;

/** Flattens groups into the term list and weights a lexical index takes (max weight per term). */
export function flattenTerms(groups: TermGroup[]): { terms: string[]; weights: number[] } {
  const best = new Map<string, number>();
  for (const group of groups) {
    for (const { term, weight } of group.variants) best.set(term, Math.max(best.get(term) ?? 0, weight));
  }
  return { terms: [...best.keys()], weights: [...best.values()] };
}
