// Refusals that read the question: a question that names something (a year or a count, a person,
// place or organisation) is not answered from a document that never mentions it. Asked "what is
// the capacity of the desalination plant in Algeria?" of a corpus about an Egyptian plant, the best
// sentences are the Egyptian plant's, and their scores cannot tell: the question shares all its
// other words with them. The named word is looked for in the cited document through every variant
// its term group carries (its stems, a translation, a spelling found by sound as text/phonetic.ts
// does, or an Arabic word the model's bridge found close enough: retrieve/bridge.ts).
import type { TermGroup } from "./query";

export interface EntityCheckOptions {
  /** A variant only the bridge found counts as a mention at this cosine or above: the bridge's own floor (a name and its Arabic spelling, Egypt / مصر, 0.917 as queries; Egypt / الجزائر 0.862). */
  minBridgeSimilarity?: number;
  /** Which kinds are checked (default both). */
  kinds?: readonly NonNullable<TermGroup["entity"]>[];
  /**
   * Also every Arabic word of the question (Arabic script has no capitals to tell a name by): any
   * the document holds by none of its variants, roots included.
   */
  arabicWords?: boolean;
}

const ARABIC_LETTER = /[\u0600-\u06FF]/;

/** The question's own named words that none of `documentTerms` mentions, by any variant. */
export function unmentionedEntities(groups: readonly TermGroup[], documentTerms: ReadonlySet<string>, options: EntityCheckOptions = {}): string[] {
  const { minBridgeSimilarity = 0.88, kinds = ["number", "name"], arabicWords = false } = options;
  return groups
    .filter((g) => !g.fromHistory && ((g.entity && kinds.includes(g.entity)) || (arabicWords && ARABIC_LETTER.test(g.word))))
    .filter((g) => !g.variants.some((v) => (v.similarity === undefined || v.similarity >= minBridgeSimilarity) && documentTerms.has(v.term)))
    .map((g) => g.word);
}
