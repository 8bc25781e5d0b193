// The one entry point for turning text into index/query terms (MiniSearch's processTerm style):
// normalize → tokenize → processTerm per word. Stored text is never changed.

import { normalizeArabic } from "./normalize";
import { stemTerms } from "./stem";
import { DEFAULT_STOP_WORDS } from "./stop-words";
import { tokenize as tokenizeWords } from "./tokenize";

/** Maps one normalized word to its terms: several = variants or synonyms, null/undefined/"" = drop. */
export type ProcessTerm = (term: string) => string | string[] | null | undefined;

export interface AnalyzerOptions {
  normalize?: (text: string) => string;
  tokenize?: (text: string) => string[];
  /** Replaces the default (stop words dropped, then stemTerms); build on createProcessTerm to keep those. Must be pure: results are memoised per word. */
  processTerm?: ProcessTerm;
  /** Used by the default processTerm; ignored when processTerm is given. */
  stopWords?: ReadonlySet<string>;
}

export interface Analyzer {
  /** Index/query terms of `text`, in order, with repeats (BM25 counts them). */
  analyze(text: string): string[];
  /** Normalized, tokenized words before stemming/stop-words — for character n-grams. */
  words(text: string): string[];
  /** The terms of one word as `words` returns it (already normalized): `analyze` word by word, without normalizing again. */
  termsOfWord(word: string): readonly string[];
}

/** True for "و" or "ف" glued to a stop word (وفي، فإن، وهذه), which is itself a stop word. */
function isConjoinedStopWord(word: string, stopWords: ReadonlySet<string>): boolean {
  return word.length > 2 && (word[0] === "و" || word[0] === "ف") && stopWords.has(word.slice(1));
}

/** The default processTerm: stop words (also after و/ف) → null, anything else → its stems. */
export function createProcessTerm(stopWords: ReadonlySet<string> = DEFAULT_STOP_WORDS): ProcessTerm {
  return (word) => (stopWords.has(word) || isConjoinedStopWord(word, stopWords) ? null : stemTerms(word));
}

const MEMO_LIMIT = 200_000;

/** Variants of one word count once each, even when two stemmers agree; empty results are dropped. */
function variantsOf(result: ReturnType<ProcessTerm>): readonly string[] {
  if (typeof result === "string") return result ? [result] : [];
  if (!result) return [];
  return result.filter((term, i) => term && result.indexOf(term) === i);
}

export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const normalize = options.normalize ?? normalizeArabic;
  const tokenize = options.tokenize ?? tokenizeWords;
  const processTerm = options.processTerm ?? createProcessTerm(options.stopWords ?? DEFAULT_STOP_WORDS);

  const words = (text: string) => tokenize(normalize(text));

  // Words repeat (Zipf), and stemming is most of the cost of indexing: each distinct word is
  // processed once. processTerm must therefore be pure. Bounded, so a huge corpus cannot grow it forever.
  const memo = new Map<string, readonly string[]>();
  function termsOfWord(word: string): readonly string[] {
    let terms = memo.get(word);
    if (terms === undefined) {
      terms = variantsOf(processTerm(word));
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(word, terms);
    }
    return terms;
  }

  function analyze(text: string): string[] {
    const terms: string[] = [];
    for (const word of words(text)) for (const term of termsOfWord(word)) terms.push(term);
    return terms;
  }

  return { analyze, words, termsOfWord };
}
