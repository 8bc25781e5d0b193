// Small pure helpers of sentence scoring: near matches, word windows, a bounded cache.

/** Plain stems only: marked terms (Snowball ~, roots √) are already loose matches. */
const ARABIC_OR_LATIN_START = /^[\p{L}\p{N}]/u;

/** A sentence's terms, each with the positions of the words it comes from. */
export type SentenceTerms = ReadonlyMap<string, number[]>;

export type NearMatcher = (term: string, terms: SentenceTerms) => number;

/**
 * 1 when some term shares a common substring of at least 3 letters and 60% of the longer of the
 * two (a stem with and without an affix the stemmers missed), else 0. Memoised per query.
 */
export function createNearMatcher(): NearMatcher {
  // Per question term, its verdict against each sentence term seen so far (nested maps: no key strings to build).
  const memo = new Map<string, Map<string, boolean> | undefined>();
  const verdictsFor = (term: string) => {
    if (!memo.has(term)) memo.set(term, term.length >= 3 && ARABIC_OR_LATIN_START.test(term) && !/^\d+$/.test(term) ? new Map() : undefined);
    return memo.get(term);
  };
  return (term, terms) => {
    const verdicts = verdictsFor(term);
    if (!verdicts) return 0;
    for (const other of candidatesOf(terms)) {
      let near = verdicts.get(other);
      if (near === undefined) {
        // The common part is at most the shorter word: skip the comparison when that already falls short.
        const longer = Math.max(term.length, other.length);
        near = Math.min(term.length, other.length) >= 0.6 * longer && nearPair(term, other);
        verdicts.set(other, near);
      }
      if (near) return 1;
    }
    return 0;
  };
}

function nearPair(a: string, b: string): boolean {
  const common = longestCommonSubstring(a, b);
  return common >= 3 && common >= 0.6 * Math.max(a.length, b.length);
}

/** The terms of a sentence a near match may use, worked out once per sentence (its terms are cached too). */
const nearCandidates = new WeakMap<SentenceTerms, string[]>();
function candidatesOf(terms: SentenceTerms): string[] {
  let candidates = nearCandidates.get(terms);
  if (!candidates) {
    candidates = [...terms.keys()].filter((other) => other.length >= 3 && ARABIC_OR_LATIN_START.test(other));
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

/** A Map that forgets the least recently used entry beyond `limit` (Maps iterate in insertion order). */
export function createLruCache<K, V>(limit: number) {
  const map = new Map<K, V>();
  return {
    get(key: K): V | undefined {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key: K, value: V): void {
      map.delete(key);
      map.set(key, value);
      if (map.size > limit) map.delete(map.keys().next().value as K);
    },
  };
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
