// Refusals that read the question: a question that names something (a year or a count, a person,
// place or organisation) is not answered from a document that never mentions it. Asked "what is
// the capacity of the desalination plant in Algeria?" of a corpus about an Egyptian plant, the best
// sentences are the Egyptian plant's, and their scores cannot tell: the question shares all its
// other words with them. The named word is looked for in the cited document through every variant
// its term group carries (its stems, a translation, a spelling found by sound as text/phonetic.ts
// does, or an Arabic word the model's bridge found close enough: retrieve/bridge.ts). What a
// question names is read by retrieve/named-words.ts; the retriever checks numbers, countries,
// places and Arabic people by default (DEFAULT_ENTITY_CHECK), not other names (retriever.ts says why).
import type { AnalyzedQuery, TermGroup, TermVariant } from "./query";

export interface EntityCheckOptions {
  /** A variant only the bridge found counts as a mention at this cosine or above: the bridge's own floor (a name and its Arabic spelling, Egypt / مصر, 0.917 as queries; Egypt / الجزائر 0.862). */
  minBridgeSimilarity?: number;
  /** Which kinds are checked (default all five). */
  kinds?: readonly NonNullable<TermGroup["entity"]>[];
  /**
   * The questions whose other names (not numbers or countries) are checked, by language (default
   * every language). A Latin-script name in an Arabic question is written so in the document or
   * found by sound; a Russian or English one often is not (Пэнтерс / بانثرز, Суперкубок / سوبر بول).
   */
  nameLanguages?: readonly string[];
  /**
   * Also every Arabic word of the question (Arabic script has no capitals to tell a name by): any
   * the document holds by none of its variants (a root names nothing, so it does not count).
   */
  arabicWords?: boolean;
}

const ARABIC_LETTER = /[\u0600-\u06FF]/;

const numberSizes = new WeakMap<ReadonlySet<string>, Set<number>>();

/**
 * How many digits the numbers a document holds have. A year the document never mentions tells
 * only where the document dates things (2019 of a text that says 2024): a text with no year at all
 * may just leave it out, as translations often do ("the Panthers' 2015 season" of an article that
 * says "the season").
 */
function numberSizesOf(documentTerms: ReadonlySet<string>): Set<number> {
  let sizes = numberSizes.get(documentTerms);
  if (!sizes) {
    sizes = new Set();
    for (const term of documentTerms) if (/^\d+$/.test(term)) sizes.add(term.length);
    numberSizes.set(documentTerms, sizes);
  }
  return sizes;
}

/**
 * The question's own named words that none of `documentTerms` mentions, by any variant. A name of
 * several words counts as mentioned when one of them is: "House of Commons" is مجلس العموم, and
 * only "Commons" may find its Arabic word.
 */
export function unmentionedEntities(query: Pick<AnalyzedQuery, "groups" | "language">, documentTerms: ReadonlySet<string>, options: EntityCheckOptions = {}): string[] {
  const { checked, mentioned } = judgeEntities(query, documentTerms, options);
  return checked.filter((g) => !mentioned(g)).map((g) => g.word);
}

/**
 * The question's own named words of `kinds` that `documentTerms` mentions (the same reading as
 * unmentionedEntities, every language's names included): what ties a question to a document.
 */
export function mentionedEntities(query: Pick<AnalyzedQuery, "groups" | "language">, documentTerms: ReadonlySet<string>, options: Pick<EntityCheckOptions, "kinds" | "minBridgeSimilarity">): string[] {
  const { checked, mentioned } = judgeEntities(query, documentTerms, options);
  return checked.filter(mentioned).map((g) => g.word);
}

function judgeEntities(query: Pick<AnalyzedQuery, "groups" | "language">, documentTerms: ReadonlySet<string>, options: EntityCheckOptions) {
  const { minBridgeSimilarity = 0.88, kinds = ["number", "region", "place", "person", "name"], nameLanguages, arabicWords = false } = options;
  const checks = (g: TermGroup) => g.entity !== undefined && kinds.includes(g.entity) && (g.entity !== "name" || !nameLanguages || nameLanguages.includes(query.language));
  const checked = query.groups.filter((g) => !g.fromHistory && (checks(g) || (arabicWords && ARABIC_LETTER.test(g.word))));
  // A person or a place is named as written (its clitics off), not by a stem another word shares (العمري, عمر).
  const names = (g: TermGroup, v: TermVariant) => !v.loose && !(v.stemmed && (g.entity === "person" || g.entity === "place"));
  const byVariant = (g: TermGroup) =>
    g.variants.some((v) => names(g, v) && (v.similarity === undefined || v.similarity >= minBridgeSimilarity) && documentTerms.has(v.term)) ||
    (g.entity === "number" && !numberSizesOf(documentTerms).has(g.word.length));
  const mentionedSpans = new Set(checked.filter((g) => g.nameSpan !== undefined && byVariant(g)).map((g) => g.nameSpan));
  return { checked, mentioned: (g: TermGroup) => byVariant(g) || (g.nameSpan !== undefined && mentionedSpans.has(g.nameSpan)) };
}

/**
 * How a refusal names `normalisedWords` (group words, as the analyzer's `words` gives them): a
 * group's display name if it has one (وكازاخستان → كازاخستان), the words of one name as the
 * question wrote them together ("أحمد زكي", "House of Lords"), else each word as the question spelt
 * it ("الجزائر" rather than "الجزاءر", "Libya" rather than "libya").
 */
export function asWritten(question: string, groups: readonly TermGroup[], normalisedWords: readonly string[], words: (text: string) => string[]): string[] {
  const tokens = [...question.matchAll(/[\p{L}\p{M}\p{Nd}]+/gu)];
  const tokenOf = (word: string) => tokens.find((token) => words(token[0]).includes(word));
  const groupOf = (word: string) => groups.find((g) => g.word === word);
  const named: string[] = [];
  const spansNamed = new Set<number>();
  for (const word of normalisedWords) {
    const group = groupOf(word);
    if (group?.display) {
      named.push(group.display);
      continue;
    }
    const span = group?.nameSpan;
    if (span !== undefined) {
      if (spansNamed.has(span)) continue;
      spansNamed.add(span);
      const parts = normalisedWords.filter((w) => groupOf(w)?.nameSpan === span).map(tokenOf).filter((t): t is RegExpExecArray => t !== undefined);
      if (parts.length > 1) {
        named.push(question.slice(Math.min(...parts.map((t) => t.index!)), Math.max(...parts.map((t) => t.index! + t[0].length))));
        continue;
      }
    }
    named.push(tokenOf(word)?.[0] ?? word);
  }
  return named;
}
