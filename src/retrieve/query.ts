// Turns a question into weighted term groups: one group per content word of the question,
// holding the word's own stems and its expansions (synonyms, translations) at lower weights.
// A group counts as matched when any of its variants occurs, so an expansion can stand in
// for the word but never count twice.
import type { HistoryTurn } from "../types";
import type { NameMatch } from "../text/cldr-names";
import type { BridgedEntry } from "./bridge";
import { createNamedWordFinder, type EntityKind } from "./named-words";

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
  /** A stemmer's conflation of the word (Snowball's), not its own form: a person or a place is not named by it (العمري is not عمر). */
  stemmed?: true;
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
   * language (a table's name: text/cldr-names.ts), a place named beside its kind's noun (مدينة نيوم,
   * Cairo University), a person an Arabic question names after a title (وزير الإسكان أحمد زكي), or another name: a capitalised
   * word in Latin or Cyrillic script that does not begin the sentence.
   */
  entity?: EntityKind;
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
  /** Whether a term is a stemmer's conflation rather than a form of the word itself (TermVariant.stemmed). */
  isStemmedTerm?: (term: string) => boolean;
  historyWeight?: number;
  /** A question with at most this many content words is treated as a possible follow-up. */
  followUpMaxWords?: number;
  /** Whether the dense embedder understands the question's language without translations. */
  denseIsMultilingual?: boolean;
}

const ARABIC_LETTER = /[\u0600-\u06FF]/;
const LATIN_OR_CYRILLIC_LETTER = /[\p{Script=Latin}\p{Script=Cyrillic}]/u;
const CAPITALISED_WORD = /\p{Lu}[\p{Ll}\p{M}]+/gu;

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
    isStemmedTerm = () => false,
    historyWeight = 0.4,
    followUpMaxWords = 4,
    denseIsMultilingual = false,
  } = options;
  const namedWords = createNamedWordFinder({ words, analyze, findNames });

  function groupsOf(text: string, language: string, fromHistory: boolean, bridged?: ReadonlyMap<string, readonly BridgedEntry[]>): { groups: TermGroup[]; translations: string[] } {
    const groups: TermGroup[] = [];
    const translations: string[] = [];
    const names = new Set(Array.from(text.matchAll(CAPITALISED_WORD), (m) => m[0].toLowerCase()));
    const scale = fromHistory ? historyWeight : 1;
    const named = namedWords(text, language);
    for (const word of new Set(words(text))) {
      const own = analyze(word);
      if (own.length === 0) continue; // a stop word
      const variants = new Map<string, number>();
      // Where each term came from: the question's own word, synonyms and dictionaries are evidence;
      // the bridge's words (with their best cosine) and the name table's only rank.
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
      for (const arabic of named.get(word)?.arabic ?? []) {
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
      const { entity, nameSpan, display } = named.get(word) ?? {};
      groups.push({
        word,
        variants: [...variants].map(([term, weight]): TermVariant => {
          const loose = { ...(isLooseTerm(term) && { loose: true as const }), ...(isStemmedTerm(term) && { stemmed: true as const }) };
          if (evidence.has(term)) return { term, weight, ...loose };
          if (tableTerms.has(term)) return { term, weight, rankingOnly: true, ...loose };
          return { term, weight, rankingOnly: true, similarity: bridgedOnly.get(term), ...loose };
        }),
        fromHistory,
        ...(entity && { entity }),
        ...(nameSpan !== undefined && { nameSpan }),
        ...(display && { display }),
      });
    }
    return { groups, translations };
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
