import type { Corpus } from "../types";

export interface CorpusCounts {
  documents: number;
  paragraphs: number;
  sentences: number;
  passages: number;
}

/** The sizes /api/health reports and a Worker bundle records (key order is part of the bundle check). */
export function corpusCounts(corpus: Corpus): CorpusCounts {
  return {
    documents: corpus.documents.length,
    paragraphs: corpus.documents.reduce((n, d) => n + d.paragraphs.length, 0),
    sentences: corpus.sentences.length,
    passages: corpus.passages.length,
  };
}
