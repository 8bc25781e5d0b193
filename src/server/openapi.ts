// /openapi.json, generated from the same zod schemas that validate requests.
import { z } from "zod";
import {
  AnswerRequestSchema,
  AnswerResponseSchema,
  DocumentListSchema,
  DocumentResponseSchema,
  ErrorSchema,
  HealthSchema,
  JobSchema,
  UploadFieldsSchema,
  UploadResponseSchema,
} from "../schemas";

const json = (schema: z.ZodType, io: "input" | "output" = "output") => ({
  "application/json": { schema: z.toJSONSchema(schema, { io, target: "openapi-3.0", unrepresentable: "any" }) },
});
const error = (description: string) => ({ description, content: json(ErrorSchema) });
const ADMIN = [{ adminToken: [] }];
const WRITE_ERRORS = {
  "401": error("No admin token (UNAUTHORIZED)"),
  "403": error("A wrong admin token (FORBIDDEN), or writes turned off with ADMIN_TOKEN=off (WRITES_DISABLED)"),
  "405": error("A read-only server (READ_ONLY): the Cloudflare Worker, or several worker processes"),
};
const jobId = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];

/** Multipart upload: one or more "file" parts and the optional metadata fields. */
function uploadBody() {
  const fields = z.toJSONSchema(UploadFieldsSchema, { io: "input", target: "openapi-3.0" }) as { properties: Record<string, unknown> };
  return {
    required: true,
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file"],
          properties: { file: { type: "array", maxItems: 20, items: { type: "string", format: "binary" } }, ...fields.properties },
        },
      },
    },
    components: {
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "ADMIN_TOKEN, or the token in the link npm start prints when it is unset" },
      },
    },
  };
}

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
        post: {
          summary: "Add documents: saved durably, then indexed by a job while the current index keeps answering",
          description: "Each file's type is decided by its content (PDF, DOCX, HTML or UTF-8 text); its name is used only as the default title. Up to 20 files, each up to MAX_UPLOAD_BYTES. The same bytes as a document already held answer with that document's id.",
          security: ADMIN,
          requestBody: uploadBody(),
          responses: {
            "202": { description: "Saved; the job indexes them (GET /api/jobs/{id})", content: json(UploadResponseSchema) },
            "400": error("No file, a bad or unknown field, or a malformed multipart body"),
            ...WRITE_ERRORS,
            "413": error("A file over MAX_UPLOAD_BYTES (UPLOAD_TOO_LARGE, refused while streaming) or more than 20 files (TOO_MANY_FILES)"),
            "415": error("Not multipart/form-data (NOT_MULTIPART), or a file no reader reads (UNSUPPORTED_FILE_TYPE)"),
            "503": error("VECTOR_STORE=pgvector: the store could not record the upload (STORE_UNAVAILABLE); that file is not kept"),
          },
        },
      },
      "/api/documents/{id}": {
        get: {
          summary: "A document's full text as stored, its metadata and paragraph spans",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "The document", content: json(DocumentResponseSchema) }, "404": error("Unknown document id") },
        },
        delete: {
          summary: "Remove an uploaded document: its file and sidecar at once, its vectors with the rebuild the job runs",
          security: ADMIN,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "204": { description: "Removed; the Location header is the job that rebuilds without it", headers: { Location: { schema: { type: "string" } } } },
            ...WRITE_ERRORS,
            "404": error("Unknown document id"),
            "409": error("A document placed in the corpus folder, not uploaded (DOCUMENT_NOT_UPLOADED)"),
            "503": error("VECTOR_STORE=pgvector: the store could not be reached to remove the upload (STORE_UNAVAILABLE); nothing was removed"),
          },
        },
      },
      "/api/jobs/{id}": {
        get: {
          summary: "An indexing job: stage, progress, seconds left, per-file errors",
          parameters: jobId,
          responses: { "200": { description: "The job", content: json(JobSchema) }, "404": error("Unknown job (JOB_NOT_FOUND)") },
        },
      },
      "/api/jobs/{id}/events": {
        get: {
          summary: "The job as Server-Sent Events: its state on every change, until done or failed",
          parameters: jobId,
          responses: {
            "200": { description: "text/event-stream; each event's data is the job as GET /api/jobs/{id} returns it", content: { "text/event-stream": { schema: { type: "string" } } } },
            "404": error("Unknown job (JOB_NOT_FOUND)"),
          },
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
            "503": error("VECTOR_STORE=pgvector: the store, which keeps the originals, could not be reached (STORE_UNAVAILABLE)"),
          },
        },
      },
      "/api/health": {
        get: { summary: "Readiness, embedder in use, counts", responses: { "200": { description: "Ready", content: json(HealthSchema) }, "503": { description: "Not ready yet", content: json(HealthSchema) } } },
      },
    },
    components: {
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "ADMIN_TOKEN, or the token in the link npm start prints when it is unset" },
      },
    },
  };
}
