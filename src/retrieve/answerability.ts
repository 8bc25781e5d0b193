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

/** What a sentence holds of a question, counted in words; "own" leaves out words borrowed from history. */
export interface Evidence {
  matched: number;
  total: number;
  ownMatched: number;
  ownTotal: number;
}

/**
 * Question words found in the sentence by any of their variants (stem, root, translation,
 * synonym, transliteration). Near matches do not count: they are a ranking hint, not evidence.
 */
export function evidenceOf(groups: readonly TermGroup[], terms: SentenceTerms): Evidence {
  const evidence: Evidence = { matched: 0, total: groups.length, ownMatched: 0, ownTotal: 0 };
  for (const group of groups) {
    const found = group.variants.some((v) => terms.has(v.term));
    if (found) evidence.matched++;
    if (!group.fromHistory) {
      evidence.ownTotal++;
      if (found) evidence.ownMatched++;
    }
  }
  return evidence;
}

/** Returns the test an Evidence must pass; settles the options once, as each stage does. */
export function createEvidenceTest(options: EvidenceOptions = {}) {
  const { minWords, minShare } = { ...DEFAULTS, ...options };
  return ({ matched, total, ownMatched, ownTotal }: Evidence): boolean =>
    // A question with no content words ("?", "ما هو؟") has nothing a sentence could hold.
    total > 0 &&
    matched >= Math.min(minWords, Math.ceil(minShare * total)) &&
    // A follow-up counts the previous question's words, but must bring one of its own to the
    // sentence, unless it has none ("ولماذا؟"): else any question asked after an answered one
    // would pass on the earlier question's words ("What is the capital of Canada?" in a chat).
    (ownTotal === 0 || ownMatched > 0);
}

export type EvidenceTest = ReturnType<typeof createEvidenceTest>;
