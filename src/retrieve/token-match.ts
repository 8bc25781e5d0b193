// Matching a question with a sentence token by token, on the model's own token vectors
// (Embedder.embedTokens): each question token finds its best match among the sentence's tokens,
// and the matches are averaged (ColBERT's MaxSim, as a mean). A whole-sentence vector blurs which
// of a paragraph's sentences holds the answer; a question in English whose "approved" and
// "expected" find their Arabic counterparts in one sentence tells it apart from its neighbours.
import { dot } from "./fusion";

/** Mean over the question's tokens of the best cosine with any of the sentence's; 0 when either has none or it is negative. */
export function tokenMatch(question: readonly Float32Array[], sentence: readonly Float32Array[]): number {
  if (question.length === 0 || sentence.length === 0) return 0;
  // A repeated token (the same vector, as embedders hand out one per token id) is compared once.
  const others = [...new Set(sentence)];
  const bestOf = new Map<Float32Array, number>();
  let sum = 0;
  for (const token of question) {
    let best = bestOf.get(token);
    if (best === undefined) {
      best = -Infinity;
      for (const other of others) best = Math.max(best, dot(token, other));
      bestOf.set(token, best);
    }
    sum += best;
  }
  return Math.max(0, sum / question.length);
}
