// Retrieval passages: overlapping windows of consecutive sentences inside one paragraph,
// so a passage never mixes topics across a paragraph break and every sentence is retrievable.

import { createError } from "../errors";
import type { Passage, Sentence, SourceDocument } from "../types";

export interface PassageOptions {
  /** Sentences per passage (default 3). */
  windowSize?: number;
  /** Sentences between the starts of consecutive passages (default 2); at most windowSize. */
  stride?: number;
}

export const DEFAULT_PASSAGE_OPTIONS: Required<PassageOptions> = { windowSize: 3, stride: 2 };

/** `sentences` must be in document order (as segmentDocument returns them). */
export function buildPassages(
  documents: SourceDocument[],
  sentences: Sentence[],
  options: PassageOptions = {},
): Passage[] {
  const windowSize = options.windowSize ?? DEFAULT_PASSAGE_OPTIONS.windowSize;
  const stride = options.stride ?? DEFAULT_PASSAGE_OPTIONS.stride;
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw createError("INVALID_CONFIG", "windowSize", String(windowSize), "an integer ≥ 1");
  }
  // A stride longer than the window would skip sentences.
  if (!Number.isInteger(stride) || stride < 1 || stride > windowSize) {
    throw createError("INVALID_CONFIG", "stride", String(stride), `an integer from 1 to windowSize (${windowSize})`);
  }
  const textById = new Map(documents.map((d) => [d.id, d.text]));

  const passages: Passage[] = [];
  for (const group of paragraphRuns(sentences)) {
    for (let from = 0; ; from += stride) {
      const to = Math.min(from + windowSize, group.length);
      const indices = group.slice(from, to);
      const first = sentences[indices[0]];
      const last = sentences[indices[indices.length - 1]];
      const text = textById.get(first.docId);
      if (text === undefined) throw new Error(`Sentence ${first.id} belongs to no given document.`);
      passages.push({
        index: passages.length,
        docId: first.docId,
        paragraph: first.paragraph,
        sentenceIndices: indices,
        start: first.start,
        end: last.end,
        text: text.slice(first.start, last.end),
      });
      if (to === group.length) break;
    }
  }
  return passages;
}

/** Indices of the sentences, grouped into runs that share a document and paragraph. */
function paragraphRuns(sentences: Sentence[]): number[][] {
  const runs: number[][] = [];
  sentences.forEach((sentence, i) => {
    const previous = sentences[i - 1];
    const sameParagraph = previous && previous.docId === sentence.docId && previous.paragraph === sentence.paragraph;
    if (sameParagraph) runs[runs.length - 1].push(i);
    else runs.push([i]);
  });
  return runs;
}
