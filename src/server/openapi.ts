// /openapi.json, generated from the same zod schemas that validate requests.
import { z } from "zod";
import {
  AnswerRequestSchema,
  AnswerResponseSchema,
  DocumentListSchema,
  DocumentResponseSchema,
  ErrorSchema,
  HealthSchema,
} from "../schemas";

const json = (schema: z.ZodType, io: "input" | "output" = "output") => ({
  "application/json": { schema: z.toJSONSchema(schema, { io, target: "openapi-3.0", unrepresentable: "any" }) },
});
const error = (description: string) => ({ description, content: json(ErrorSchema) });

export function buildOpenApi() {
  return {
    openapi: "3.0.3",
    info: {
      title: "Arabic source-grounded question answering",
      version: "0.1.0",
      description: "Answers questions by quoting sentences of the corpus verbatim, each with a citation (document, paragraph, sentence, character offsets). Abstains when the sources do not say.",
    },
    paths: {
      "/api/answer": {
        post: {
          summary: "Answer a question from the corpus",
          requestBody: { required: true, content: json(AnswerRequestSchema, "input") },
          responses: {
            "200": { description: "The answer with citations, or an abstention", content: json(AnswerResponseSchema) },
            "400": error("Invalid JSON or invalid field; the message names the field"),
            "413": error("Body over 64 KB"),
            "415": error("Content-Type is not application/json, or the body is compressed"),
            "429": error("Rate limit exceeded; see Retry-After"),
            "503": error("Index not ready yet (NOT_READY), too many questions at once (BUSY, with Retry-After), or timed out (TIMEOUT)"),
          },
        },
      },
      "/api/documents": {
        get: { summary: "List the documents", responses: { "200": { description: "Documents", content: json(DocumentListSchema) } } },
      },
      "/api/documents/{id}": {
        get: {
          summary: "A document's full text as stored, its metadata and paragraph spans",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The document", content: json(DocumentResponseSchema) }, "404": error("Unknown document id") },
        },
      },
      "/api/documents/{id}/original": {
        get: {
          summary: "The document's source file as it was given (PDF inline, so #page=N opens the viewer at a page; HTML, DOCX and text as downloads that never render on this origin)",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "The original file; Content-Type by format (application/pdf, text/html, the DOCX type, text/plain), with X-Content-Type-Options: nosniff",
              content: {
                "application/pdf": { schema: { type: "string", format: "binary" } },
                "text/html": { schema: { type: "string", format: "binary" } },
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { schema: { type: "string", format: "binary" } },
                "text/plain": { schema: { type: "string" } },
              },
            },
            "404": error("Unknown document id (DOCUMENT_NOT_FOUND), or no original kept for it (ORIGINAL_NOT_AVAILABLE: the Worker keeps none; a file changed since indexing is not served)"),
          },
        },
      },
      "/api/health": {
        get: { summary: "Readiness, embedder in use, counts", responses: { "200": { description: "Ready", content: json(HealthSchema) }, "503": { description: "Not ready yet", content: json(HealthSchema) } } },
      },
    },
  };
}
