// Small pure helpers of sentence scoring: near matches and word windows.

/** Plain stems only: marked terms (Snowball ~, roots √) are already loose matches. */
const ARABIC_OR_LATIN_START = /^[\p{L}\p{N}]/u;

/** A sentence's terms, each with the positions of the words it comes from. */
export type SentenceTerms = ReadonlyMap<string, number[]>;

export type NearMatcher = (term: string, terms: SentenceTerms) => number;

/**
 * 1 when some term of the sentence shares a common substring of at least 3 letters and 60% of the
 * longer of the two (a stem with and without an affix the stemmers missed), else 0.
 *
 * Made per question, for the question's terms and the sentences it will score. A common substring
 * of 3 letters means a common trigram, so the question's terms are indexed by trigram, each distinct
 * sentence term looks its trigrams up once, and only pairs that share one are compared. A sentence
 * then needs one lookup per near term found. (Comparing every question term with every term of
 * every sentence was most of the cost of scoring sentences.)
 */
export function createNearMatcher(questionTerms: Iterable<string>, sentences: Iterable<SentenceTerms>): NearMatcher {
  const byTrigram = new Map<number, string[]>();
  const nearTerms = new Map<string, string[]>();
  for (const term of questionTerms) {
    if (nearTerms.has(term) || !(term.length >= 3 && ARABIC_OR_LATIN_START.test(term) && !/^\d+$/.test(term))) continue;
    nearTerms.set(term, []);
    for (const gram of new Set(trigramsOf(term))) {
      const list = byTrigram.get(gram);
      if (list) list.push(term);
      else byTrigram.set(gram, [term]);
    }
  }
  const seen = new Set<string>();
  for (const terms of sentences) {
    for (const { term: other, trigrams } of candidatesOf(terms)) {
      if (seen.has(other)) continue;
      seen.add(other);
      let compared: string[] | undefined;
      for (const gram of trigrams) {
        for (const term of byTrigram.get(gram) ?? []) {
          if (compared?.includes(term)) continue;
          (compared ??= []).push(term);
          if (nearPair(term, other)) nearTerms.get(term)!.push(other);
        }
      }
    }
  }
  return (term, terms) => {
    for (const other of nearTerms.get(term) ?? []) if (terms.has(other)) return 1;
    return 0;
  };
}

/**
 * Each trigram as a small integer (a hash of its three code units, so a Map looks it up without
 * hashing a string). Two trigrams may share a code: that only adds a pair for nearPair to reject.
 */
function trigramsOf(term: string): number[] {
  const trigrams: number[] = [];
  for (let i = 0; i + 3 <= term.length; i++) {
    trigrams.push(((term.charCodeAt(i) * 1021 + term.charCodeAt(i + 1)) * 1021 + term.charCodeAt(i + 2)) & 0x3fffffff);
  }
  return trigrams;
}

function nearPair(a: string, b: string): boolean {
  // The common part is at most the shorter word: skip the comparison when that already falls short.
  if (Math.min(a.length, b.length) < 0.6 * Math.max(a.length, b.length)) return false;
  const common = longestCommonSubstring(a, b);
  return common >= 3 && common >= 0.6 * Math.max(a.length, b.length);
}

/** The terms of a sentence a near match may use, with their trigrams, worked out once per sentence (its terms are cached too). */
const nearCandidates = new WeakMap<SentenceTerms, { term: string; trigrams: number[] }[]>();
function candidatesOf(terms: SentenceTerms): { term: string; trigrams: number[] }[] {
  let candidates = nearCandidates.get(terms);
  if (!candidates) {
    candidates = [...terms.keys()].filter((other) => other.length >= 3 && ARABIC_OR_LATIN_START.test(other)).map((term) => ({ term, trigrams: trigramsOf(term) }));
    nearCandidates.set(terms, candidates);
  }
  return candidates;
}

function longestCommonSubstring(a: string, b: string): number {
  let best = 0;
  const previous = new Uint8Array(b.length + 1);
  const current = new Uint8Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? Math.min(previous[j - 1] + 1, 255) : 0;
      if (current[j] > best) best = current[j];
    }
    previous.set(current);
  }
  return best;
}

/**
 * Length in words of the shortest run holding at least one position of each of `groups` groups,
 * from (position, group) events sorted by position (classic minimum window, two pointers).
 */
export function shortestWindow(events: readonly (readonly [position: number, group: number])[], groups: number): number {
  const inWindow = new Map<number, number>();
  let shortest = Infinity;
  for (let lo = 0, hi = 0; hi < events.length; hi++) {
    inWindow.set(events[hi][1], (inWindow.get(events[hi][1]) ?? 0) + 1);
    while (inWindow.size === groups) {
      shortest = Math.min(shortest, events[hi][0] - events[lo][0] + 1);
      const g = events[lo++][1];
      const left = inWindow.get(g)! - 1;
      if (left === 0) inWindow.delete(g);
      else inWindow.set(g, left);
    }
  }
  return shortest;
}
