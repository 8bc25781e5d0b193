// How far the cited document stands out from the rest of the corpus for a question: its best dense
// passage score minus the mean of the other documents' best, in units of their standard deviation.
// A question about something the corpus holds finds one document well above the others; a question
// about an absent subject finds several documents about equally near (the corpus itself serving as
// the background, as CSLS does for cross-lingual retrieval). Read from the dense hits the retriever
// already has, so it costs nothing per question; a document outside them is left out, which keeps
// the statistic the same whatever the corpus's size beyond the hits' reach.
// An experiment, off by default (RetrieverOptions.documentLift; measured in docs/quality-bridge.md §5).

export interface DocumentHit {
  docId: string;
  score: number;
}

/** Fewer other documents among the hits than this, and a spread says nothing: no lift. */
export const MIN_OTHER_DOCUMENTS = 5;

/**
 * The cited document's lift over the other documents among `hits` (dense passage hits, any order),
 * or undefined when the hits hold fewer than `minOthers` other documents, when their scores do not
 * spread, or when the cited document is not among them.
 */
export function documentLift(hits: readonly DocumentHit[], docId: string, minOthers = MIN_OTHER_DOCUMENTS): number | undefined {
  const bestOf = new Map<string, number>();
  for (const { docId: id, score } of hits) if (score > (bestOf.get(id) ?? -Infinity)) bestOf.set(id, score);
  const inside = bestOf.get(docId);
  const others = [...bestOf].filter(([id]) => id !== docId).map(([, score]) => score);
  if (inside === undefined || others.length < Math.max(2, minOthers)) return undefined;
  const mean = others.reduce((sum, s) => sum + s, 0) / others.length;
  const sd = Math.sqrt(others.reduce((sum, s) => sum + (s - mean) ** 2, 0) / others.length);
  return sd > 1e-9 && Number.isFinite(sd) ? (inside - mean) / sd : undefined;
}
