// Whether a sentence holds enough of the question to be evidence of an answer at all.
//
// The sentence score is a share of idf weight, and a single rare word can carry much of it: an
// off-topic question ("What is the capital of Canada?", "كم عدد لاعبي فريق كرة القدم؟") still
// finds some sentence that shares one of its words by coincidence. One shared word is not an
// answer; two are a start, and for a one- or two-word question one of its words may be enough.
// This is a gate before the calibrated threshold, not a replacement for it: a near-miss question
// in the source's own words passes it, and only the threshold (or a semantic model) can tell.
import type { TermGroup } from "./query";
import type { SentenceTerms } from "./signals";

export interface EvidenceOptions {
  /** Question words the sentence must hold… */
  minWords?: number;
  /** …or this share of the question's words, whichever is fewer. */
  minShare?: number;
}

const DEFAULTS: Required<EvidenceOptions> = { minWords: 2, minShare: 0.5 };

/**
 * Question words found in the sentence by any of their variants (stem, root, translation,
 * synonym, transliteration). Near matches do not count: they are a ranking hint, not evidence.
 */
export function matchedWords(groups: readonly TermGroup[], terms: SentenceTerms): number {
  let matched = 0;
  for (const group of groups) if (group.variants.some((v) => terms.has(v.term))) matched++;
  return matched;
}

/** Returns a test `(matched, total) => boolean`; settles the options once, as each stage does. */
export function createEvidenceTest(options: EvidenceOptions = {}) {
  const { minWords, minShare } = { ...DEFAULTS, ...options };
  // A question with no content words ("?", "ما هو؟") has nothing a sentence could hold.
  return (matched: number, total: number): boolean => total > 0 && matched >= Math.min(minWords, Math.ceil(minShare * total));
}

export type EvidenceTest = ReturnType<typeof createEvidenceTest>;
