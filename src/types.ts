// Plain data shared by every stage of the pipeline:
// corpus → text → embed → index → retrieve → answer → server.
// Only data and small interfaces live here, so each stage can be tested and swapped alone.

import type { CorpusExample } from "./schemas";

/** A half-open character range [start, end) in a document's text (JavaScript string indices). */
export interface Span {
  start: number;
  end: number;
}

export interface DocumentMeta {
  title: string;
  source?: string;
  url?: string;
  published?: string;
  /** BCP 47 tag of the document's language, e.g. "ar". */
  language?: string;
}

export interface Paragraph extends Span {
  /** 1-based position of the paragraph in its document. */
  index: number;
}

/** How a source file is read, decided by its bytes (corpus/formats/sniff.ts), never by its name. */
export type SourceFormat = "text" | "pdf" | "docx" | "html";

/** The span of a document's text printed on one page of a paginated source (a PDF). */
export interface PageSpan extends Span {
  /** 1-based page number, as a PDF viewer counts pages (#page=N). */
  page: number;
  /** The page had no text layer and was read by OCR. */
  ocr?: boolean;
  /** Tesseract's mean word confidence on the page, 0–100 (OCR pages only). */
  ocrConfidence?: number;
}

/** The span of text under one heading of a structured source (DOCX, HTML). */
export interface SectionSpan extends Span {
  /** The heading's text, as printed. */
  heading: string;
}

/**
 * What a format reader made of one source file: plain text with one paragraph per line (as a
 * .txt file is read), plus where its pages and sections lie in that text. The spans are recorded
 * while the text is written, never recomputed from lengths afterwards.
 */
export interface ExtractedText {
  format: SourceFormat;
  text: string;
  /** Paginated sources only, in page order; together they cover every paragraph. */
  pages?: PageSpan[];
  /** Structured sources only, in document order. */
  sections?: SectionSpan[];
  /** Metadata found in the file itself (PDF info, HTML <title>, DOCX core properties). */
  meta?: Partial<DocumentMeta>;
}

/** A source document as stored: `text` is never modified, every offset points into it. */
export interface SourceDocument {
  /** Opaque, URL-safe id (never a file path). */
  id: string;
  meta: DocumentMeta;
  text: string;
  paragraphs: Paragraph[];
  /** How the source file was read; "text" for .txt/.md. */
  format?: SourceFormat;
  /** Paginated sources only (see ExtractedText). */
  pages?: PageSpan[];
  /** Structured sources only (see ExtractedText). */
  sections?: SectionSpan[];
}

/** One sentence of a document. Invariant: document.text.slice(start, end) === text. */
export interface Sentence extends Span {
  /** Stable id: `${docId}:${paragraph}:${sentence}`. */
  id: string;
  docId: string;
  /** 1-based paragraph number in the document. */
  paragraph: number;
  /** 1-based sentence number within its paragraph. */
  sentence: number;
  text: string;
  /** Paginated sources: the page the sentence starts on, and the one it ends on when that differs. */
  page?: number;
  pageEnd?: number;
  /** Structured sources: the heading the sentence sits under. */
  section?: string;
  /** The sentence was read by OCR; its page's mean confidence, 0–100. */
  ocr?: boolean;
  ocrConfidence?: number;
}

/** A retrieval unit: a window of consecutive sentences within one paragraph. */
export interface Passage extends Span {
  /** Position of the passage in Corpus.passages; also its label in the vector index. */
  index: number;
  docId: string;
  paragraph: number;
  /** Indices into Corpus.sentences, in document order. */
  sentenceIndices: number[];
  text: string;
}

export interface Corpus {
  documents: SourceDocument[];
  sentences: Sentence[];
  passages: Passage[];
  /** Example questions from the corpus's own metadata (corpus.json), for the chat's welcome. */
  examples?: CorpusExample[];
}

/** Something wrong with one source file; the rest of the corpus still loads. */
export interface CorpusWarning {
  file: string;
  code: string;
  message: string;
}

/** Whether text is embedded as a question or as a passage (e5 models prefix them differently). */
export type EmbedKind = "query" | "passage";

/** Turns text into L2-normalised vectors of a fixed dimension. */
export interface Embedder {
  /** Identifies the model and its settings; a different id means the stored index is stale. */
  readonly id: string;
  readonly dimension: number;
  embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]>;
  /**
   * Each text's tokens, each as the model's own vector for that token (its input embedding, unit
   * length), for matching a question with a sentence token by token (retrieve/token-match.ts).
   * Only models that ship their token vectors have it.
   */
  embedTokens?(texts: string[]): Promise<Float32Array[][]>;
}

export interface ScoredId {
  id: number;
  score: number;
}

/** Nearest-neighbour search over normalised vectors by inner product. */
export interface VectorIndex {
  readonly dimension: number;
  readonly size: number;
  /** Best first; score is the inner product (cosine for normalised vectors). */
  search(query: Float32Array, k: number): ScoredId[];
}

/** The same search over the network (the Postgres + pgvector store, src/index/pgvector). */
export interface AsyncVectorIndex {
  readonly dimension: number;
  readonly size: number;
  search(query: Float32Array, k: number): Promise<ScoredId[]>;
}

/** What retrieval takes for dense search: in process, or awaited from a database. */
export type DenseIndex = VectorIndex | AsyncVectorIndex;

/** Lexical (BM25) search over passages. */
export interface LexicalIndex {
  readonly size: number;
  /**
   * Best first; only passages sharing at least one term with the query.
   * `weights[i]` scales term i (default 1), so expansions such as synonyms can count for less.
   */
  search(terms: string[], k: number, weights?: number[]): ScoredId[];
}

// The API's request and response types are inferred from the zod schemas of the contract.
export type {
  AnswerRequest,
  AnswerRequestInput,
  AnswerResponse,
  Citation,
  CorpusExample,
  DocumentList,
  DocumentResponse,
  ErrorBody,
  Health,
  HistoryTurn,
  PassageHit,
} from "./schemas";
