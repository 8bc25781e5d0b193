// The corpus vocabulary (every distinct word of every document, in order of first occurrence),
// which the names-by-sound index is built from. Tokenizing every document took ~0.2 s at 10k
// passages on each live reload, so each document's distinct words are kept by its text, and a
// reload tokenizes only the documents it has not seen.

export interface CorpusVocabulary {
  /** Distinct words of the whole corpus, in order of first occurrence (documents in order). */
  words: string[];
  /** Each document's distinct words by its text, in order of first occurrence: the next build's `previous`. */
  byDocument: Map<string, string[]>;
}

export function corpusVocabulary(options: {
  /** The documents' texts, in corpus order. */
  texts: string[];
  /** A text's words (the analyzer's, normalized and tokenized). */
  wordsOf: (text: string) => string[];
  /** An earlier build's `byDocument`, from the same `wordsOf`. */
  previous?: Map<string, string[]>;
}): CorpusVocabulary {
  // One string per distinct word, shared by every document's list, so a list costs only pointers.
  const interned = new Map<string, string>();
  const byDocument = new Map<string, string[]>();
  for (const text of options.texts) {
    let distinct = byDocument.get(text) ?? options.previous?.get(text);
    if (distinct === undefined) {
      const seen = new Set<string>();
      distinct = [];
      for (const word of options.wordsOf(text)) {
        if (seen.has(word)) continue;
        seen.add(word);
        distinct.push(interned.get(word) ?? word);
      }
    }
    byDocument.set(text, distinct);
    for (const word of distinct) if (!interned.has(word)) interned.set(word, word);
  }
  return { words: [...interned.keys()], byDocument };
}
