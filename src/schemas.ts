// The HTTP contract as zod schemas: requests are validated with them, the TypeScript types
// are inferred from them (re-exported by types.ts), and /openapi.json is generated from them.
import { z } from "zod";
import { visibleText } from "./text/question";

export const LIMITS = {
  questionChars: 1000,
  historyTurns: 20,
  historyTurnChars: 4000,
  maxTopK: 20,
  defaultTopK: 5,
  bodyBytes: 64 * 1024,
} as const;

export const HistoryTurnSchema = z
  .object({
    role: z.enum(["user", "assistant"]),
    content: z.string().max(LIMITS.historyTurnChars),
  })
  .strict();

export const AnswerRequestSchema = z
  .object({
    question: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(LIMITS.questionChars, `must be at most ${LIMITS.questionChars} characters`)
      .refine((question) => visibleText(question).length > 0, "must hold visible text, not only invisible characters such as U+200B"),
    topK: z.number().int().min(1).max(LIMITS.maxTopK).default(LIMITS.defaultTopK),
    history: z.array(HistoryTurnSchema).max(LIMITS.historyTurns).default([]),
  })
  .strict()
  .meta({ description: "A question, with optional earlier turns for follow-ups." });

export const CitationSchema = z.object({
  n: z.number().int().describe("Marker number as used in the answer text: [n]"),
  docId: z.string(),
  title: z.string(),
  paragraph: z.number().int().describe("1-based paragraph number in the document"),
  sentence: z.number().int().describe("1-based sentence number within the paragraph"),
  start: z.number().int().describe("Character offset (JavaScript string index) of the sentence in the document text"),
  end: z.number().int().describe("End offset, exclusive: document.text.slice(start, end) === text"),
  text: z.string().describe("The cited sentence, verbatim"),
  score: z.number(),
  // Where the sentence stands in a PDF, DOCX or HTML source (absent for .txt/.md).
  page: z.number().int().optional().describe("Paginated sources (PDF): the 1-based page the sentence starts on; the original opens there at /api/documents/{docId}/original#page=N"),
  pageEnd: z.number().int().optional().describe("The page the sentence ends on, only when it crosses onto another page"),
  section: z.string().optional().describe("Structured sources (DOCX, HTML, PDF with headings): the heading the sentence sits under"),
  ocr: z.literal(true).optional().describe("Present when the sentence's page had no text layer and was read by OCR; check it against the original"),
});

export const PassageSchema = z.object({
  docId: z.string(),
  title: z.string(),
  paragraph: z.number().int(),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  score: z.number(),
  citations: z.array(z.number().int()).describe("Numbers of the citations that fall inside this passage"),
});

export const AnswerResponseSchema = z.object({
  answer: z.string().describe("Markdown quoting the cited sentences with markers [1], [2]"),
  abstained: z.boolean().describe("True when the sources do not answer the question"),
  language: z.string().describe("Language of the question, and of the answer's own words"),
  confidence: z.number().describe("Calibrated answerability score in [0, 1]; below the threshold the service abstains. 0 when the best sentence holds fewer than two of the question's words (or half of a one- or two-word question's). With the multilingual model, a question in another language than the sources' is scored by its best sentence's margin over its similarity to everyday Arabic text, a smaller number on its own threshold: compare confidences within a language, not across"),
  citations: z.array(CitationSchema),
  passages: z.array(PassageSchema),
  unmentioned: z
    .array(z.string())
    .optional()
    .describe("On a refusal, the question's words naming something (a year or number, a country, a place) that the closest document never mentions, as the question wrote them: the reason it was refused"),
  timings: z.record(z.string(), z.number()).describe("Milliseconds spent per stage"),
});

export const ParagraphSpanSchema = z.object({ index: z.number().int(), start: z.number().int(), end: z.number().int() });

export const DocumentMetaSchema = z
  .object({
    title: z.string(),
    source: z.string().optional(),
    url: z.string().optional(),
    published: z.string().optional(),
    language: z.string().optional(),
  });

export const DocumentResponseSchema = z.object({
  id: z.string(),
  title: z.string(),
  meta: DocumentMetaSchema,
  text: z.string().describe("The document's full text as stored; citation offsets point into it"),
  paragraphs: z.array(ParagraphSpanSchema),
  // How the source was read, and where its pages and sections lie in `text`.
  format: z.enum(["text", "pdf", "docx", "html"]).describe("How the source file was read: text (.txt/.md), pdf, docx or html; the original is at /api/documents/{id}/original"),
  pages: z
    .array(z.object({ page: z.number().int(), start: z.number().int(), end: z.number().int(), ocr: z.boolean().optional(), ocrConfidence: z.number().optional() }))
    .optional()
    .describe("Paginated sources: the span of text printed on each page"),
  sections: z.array(z.object({ heading: z.string(), start: z.number().int(), end: z.number().int() })).optional().describe("Structured sources: the span of text under each heading"),
});

export const CorpusExampleSchema = z.object({
  question: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(LIMITS.questionChars, `must be at most ${LIMITS.questionChars} characters`),
  language: z.string().optional().describe("BCP 47 tag of the question's language, e.g. \"ar\", \"en\""),
});

export const DocumentListSchema = z.object({
  documents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      meta: DocumentMetaSchema,
      paragraphs: z.number().int().describe("Number of paragraphs"),
      sentences: z.number().int().describe("Number of sentences"),
    }),
  ),
  examples: z
    .array(CorpusExampleSchema)
    .describe("Example questions from the corpus's own metadata (corpus.json); empty when it has none"),
});

export const HealthSchema = z.object({
  ready: z.boolean(),
  embedder: z.object({ id: z.string(), dimension: z.number().int(), reason: z.string() }),
  counts: z.object({ documents: z.number().int(), paragraphs: z.number().int(), sentences: z.number().int(), passages: z.number().int() }),
  index: z.object({ kind: z.string(), loaded: z.boolean(), builtAt: z.string(), buildMs: z.number(), reason: z.string() }),
  warnings: z.array(z.object({ file: z.string(), code: z.string(), message: z.string() })),
  indexing: z
    .object({
      stage: z.string().describe("passages or sentences"),
      done: z.number().int(),
      total: z.number().int(),
      perSecond: z.number().describe("texts embedded per second so far"),
      secondsLeft: z.number().nullable().describe("at that rate; null while unknown"),
    })
    .optional()
    .describe("While the index is being built at start (503): how far embedding has got"),
  lexicons: z
    .array(
      z.object({
        name: z.string().describe("en-ar, ar-synonyms, fr-ar, de-ar, es-ar or ru-ar"),
        purpose: z.string(),
        entries: z.number().int(),
        licence: z.string().describe("Licence of the data, e.g. GPL-2+"),
        sources: z.array(z.string()).describe("Debian packages and versions it was built from"),
      }),
    )
    .describe("Optional translation and synonym lexicons in use, built locally with npm run lexicons; empty by default and always in the Worker"),
  // Refusal thresholds per embedder (issue 27): a model served through EMBEDDER=openai may have none fitted yet.
  refusal: z
    .object({
      calibrated: z.boolean().describe("false: the thresholds were not fitted for this embedder, and defaults are used"),
      thresholds: z
        .object({
          sameLanguage: z.number(),
          crossLingual: z.number(),
          crossLingualNamed: z.number().optional().describe("for a question in another language that names something the cited document mentions"),
        })
        .optional(),
      reason: z.string().describe("which thresholds apply and, when uncalibrated, how to fit them"),
    })
    .optional()
    .describe("The multilingual model's refusal thresholds (absent for the built-in embedder)"),
});

// ---- Adding and removing documents (POST/DELETE /api/documents, GET /api/jobs/:id) ----

export const UPLOAD_LIMITS = { files: 20, fieldChars: 500 } as const;

/** The optional form fields of an upload, applied to every file in it; written to each file's .meta.json. */
export const UploadFieldsSchema = z
  .object({
    title: z.string().trim().min(1).max(UPLOAD_LIMITS.fieldChars),
    source: z.string().trim().min(1).max(UPLOAD_LIMITS.fieldChars),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    published: z.string().trim().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "a date such as 2024-05-01"),
    language: z.string().trim().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 tag such as ar or en"),
  })
  .partial()
  .strict()
  .meta({ description: "Optional metadata for the uploaded files (multipart fields beside the file parts)" });

export const JOB_STAGES = ["queued", "extracting", "embedding", "indexing", "done", "failed"] as const;

export const UploadResponseSchema = z.object({
  documents: z.array(
    z.object({
      id: z.string().describe("The document's id (uploads-<first 16 hex digits of the file's sha256>)"),
      status: z.enum(["accepted", "duplicate"]).describe("duplicate: the same bytes are already in the corpus; nothing is indexed again"),
    }),
  ),
  job: z.string().nullable().describe("The indexing job's id (GET /api/jobs/{id}); null when every file was a duplicate"),
});

export const JobSchema = z.object({
  id: z.string(),
  kind: z.enum(["upload", "delete"]),
  stage: z.enum(JOB_STAGES).describe("queued behind another job (files are saved before the 202), then extracting, embedding, indexing; done or failed"),
  done: z.number().int().describe("Texts embedded so far in this stage"),
  total: z.number().int(),
  perSecond: z.number().describe("Texts embedded per second"),
  secondsLeft: z.number().nullable().describe("At that rate; null while unknown"),
  documents: z.array(z.string()).describe("Ids of the documents the job adds or removes"),
  errors: z.array(z.object({ document: z.string(), code: z.string(), message: z.string() })).describe("Per-file problems: the corpus loader's warnings for that file"),
  error: z.object({ code: z.string(), message: z.string() }).optional().describe("Why the job failed; the previous index keeps answering"),
});

export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type HistoryTurn = z.infer<typeof HistoryTurnSchema>;
export type AnswerRequestInput = z.input<typeof AnswerRequestSchema>;
export type AnswerRequest = z.output<typeof AnswerRequestSchema>;
export type Citation = z.infer<typeof CitationSchema>;
export type PassageHit = z.infer<typeof PassageSchema>;
export type AnswerResponse = z.infer<typeof AnswerResponseSchema>;
export type DocumentResponse = z.infer<typeof DocumentResponseSchema>;
export type DocumentList = z.infer<typeof DocumentListSchema>;
export type CorpusExample = z.infer<typeof CorpusExampleSchema>;
export type Health = z.infer<typeof HealthSchema>;
export type ErrorBody = z.infer<typeof ErrorSchema>;
export type UploadFields = z.infer<typeof UploadFieldsSchema>;
export type UploadResponse = z.infer<typeof UploadResponseSchema>;
export type Job = z.infer<typeof JobSchema>;
export type JobStage = Job["stage"];
