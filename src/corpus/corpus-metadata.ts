// Corpus-level metadata: an optional `corpus.json` at the corpus root, beside the documents.
// It holds what belongs to the collection rather than to one document — for now the example
// questions the chat offers on its welcome screen, written by whoever assembled the corpus.
// Bad metadata is reported, never fatal: the documents index all the same.
import { z } from "zod";
import { CorpusExampleSchema, type CorpusExample } from "../schemas";

/** The file's name at the corpus root; not a document (documents are .txt and .md). */
export const CORPUS_METADATA_FILE = "corpus.json";

/** At most this many examples are kept; a welcome screen has room for a few. */
export const MAX_EXAMPLES = 12;

const CorpusMetadataSchema = z.object({
  examples: z.array(CorpusExampleSchema).max(MAX_EXAMPLES, `must hold at most ${MAX_EXAMPLES} questions`).default([]),
});

export interface CorpusMetadata {
  examples: CorpusExample[];
}

/** The metadata in a parsed corpus.json; unknown keys are ignored, as in document metadata. */
export function parseCorpusMetadata(value: unknown): { metadata: CorpusMetadata; problem?: string } {
  const parsed = CorpusMetadataSchema.safeParse(value);
  if (parsed.success) return { metadata: { examples: parsed.data.examples } };
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? `"${issue.path.join(".")}"` : "the file";
  return { metadata: { examples: [] }, problem: `${where} ${issue.message}` };
}
