// The answer engine: question in, cited answer out. It owns the corpus and a retriever and
// knows nothing about HTTP, files or which embedder is behind the retriever.
import type { AnswerRequest, AnswerResponse, Corpus, DocumentList, DocumentResponse, SourceDocument } from "../types";
import type { Retriever } from "../retrieve";
import { composeAnswer } from "./compose";

export interface AnswerEngine {
  answer(request: AnswerRequest): Promise<AnswerResponse>;
  /** The document with its text as stored, or undefined for an unknown id. */
  getDocument(id: string): DocumentResponse | undefined;
  listDocuments(): DocumentList;
}

export function createAnswerEngine({ corpus, retriever }: { corpus: Corpus; retriever: Retriever }): AnswerEngine {
  const documentsById = new Map<string, SourceDocument>(corpus.documents.map((d) => [d.id, d]));
  const sentenceCounts = new Map<string, number>();
  for (const s of corpus.sentences) sentenceCounts.set(s.docId, (sentenceCounts.get(s.docId) ?? 0) + 1);

  return {
    async answer({ question, topK, history }) {
      const retrieval = await retriever.retrieve(question, { topK, history });
      return composeAnswer(retrieval, documentsById);
    },
    getDocument(id) {
      // Own-property lookup through a Map: ids such as "__proto__" or "../x" simply are not there.
      const doc = documentsById.get(id);
      if (!doc) return undefined;
      return {
        id: doc.id,
        title: doc.meta.title,
        meta: doc.meta,
        text: doc.text,
        paragraphs: doc.paragraphs,
        format: doc.format ?? "text",
        ...(doc.pages && { pages: doc.pages }),
        ...(doc.sections && { sections: doc.sections }),
      };
    },
    listDocuments() {
      return {
        documents: corpus.documents.map((d) => ({
          id: d.id,
          title: d.meta.title,
          meta: d.meta,
          paragraphs: d.paragraphs.length,
          sentences: sentenceCounts.get(d.id) ?? 0,
        })),
        examples: corpus.examples ?? [],
      };
    },
  };
}
