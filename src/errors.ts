// Every error code and message template in one place (Orama's createError style).
// A message names the id, field or dimension involved and says what to do about it.

const templates = {
  // Client errors (reach clients as JSON { error: { code, message } }).
  INVALID_REQUEST: (field: string, problem: string) => `Invalid request: ${field}: ${problem}.`,
  INVALID_JSON: (detail: string) => `Request body is not valid JSON (${detail}); send a JSON object such as {"question": "..."}.`,
  UNSUPPORTED_MEDIA_TYPE: (got: string) => `Content-Type "${got}" is not supported; send "application/json".`,
  UNSUPPORTED_ENCODING: (got: string) => `Content-Encoding "${got}" is not supported; send the JSON body uncompressed.`,
  PAYLOAD_TOO_LARGE: (limit: number) => `Request body is larger than ${limit} bytes; shorten the question or the history.`,
  DOCUMENT_NOT_FOUND: (id: string) => `No document with id "${id}"; list the ids with GET /api/documents.`,
  // The original file of a source (GET /api/documents/:id/original).
  ORIGINAL_NOT_AVAILABLE: (id: string, reason: string) => `No original file can be served for document "${id}": ${reason}; its extracted text is at GET /api/documents/${id}.`,
  NOT_FOUND: (method: string, path: string) => `No route for ${method} ${path}; see GET /openapi.json for the API.`,
  METHOD_NOT_ALLOWED: (method: string, path: string, allowed: string) => `${method} is not allowed on ${path}; use ${allowed}.`,
  NOT_READY: () => `The index is still being built; retry in a few seconds.`,
  RATE_LIMITED: (seconds: number) => `Too many requests; retry after ${seconds} s.`,
  TIMEOUT: (ms: number) => `The request took longer than ${ms} ms and was stopped (the server was busy, or the body arrived too slowly); retry.`,
  BAD_HTTP: (reason: string) => `The request is not valid HTTP/1.1 (${reason}); send a well-formed request (curl and fetch do), see GET /openapi.json.`,
  HEADERS_TOO_LARGE: () => `The request's headers or URL are larger than the server accepts (16 KB in all); send fewer or shorter ones.`,
  HEADERS_TIMEOUT: (ms: number) => `The request's headers did not all arrive within ${ms} ms; send them at once, then retry.`,
  BUSY: () => `The server is answering many questions at once; retry in a second.`,
  INTERNAL: () => `Something went wrong on the server; the error was logged. Retry, and report it if it persists.`,
  STORE_UNAVAILABLE: (detail: string) =>
    `The vector store (Postgres) did not answer (${detail}); retry in a few seconds. If it persists, the operator should check that the database at DATABASE_URL is running.`,
  // Adding and removing documents (POST/DELETE /api/documents, /api/jobs; src/server/upload-node.ts, src/node/jobs.ts).
  UNAUTHORIZED: () => `Adding or removing documents needs the admin token: send "Authorization: Bearer <ADMIN_TOKEN>" (npm start prints a link that carries it).`,
  FORBIDDEN: () => `The admin token is wrong; use the one set in ADMIN_TOKEN, or the one in the link npm start printed.`,
  WRITES_DISABLED: () => `Adding and removing documents is turned off on this server (ADMIN_TOKEN=off); the operator can enable it by setting ADMIN_TOKEN.`,
  READ_ONLY: (method: string, path: string, why: string) => `${method} ${path} is not available: this server is read-only (${why}).`,
  NOT_MULTIPART: (got: string) => `Content-Type "${got}" is not supported here; send multipart/form-data with one or more "file" parts (curl -F file=@report.txt).`,
  NO_FILES: () => `The request holds no "file" part; send one or more files as multipart/form-data fields named "file".`,
  TOO_MANY_FILES: (limit: number) => `More than ${limit} files in one request; send at most ${limit} at a time.`,
  UPLOAD_TOO_LARGE: (file: string, limit: number) => `${file} is larger than ${limit} bytes (MAX_UPLOAD_BYTES); split it into smaller files.`,
  UNSUPPORTED_FILE_TYPE: (file: string) => `${file} is not a format the corpus reads (decided by its content, not its name); send PDF, DOCX, HTML or UTF-8 text.`,
  INVALID_UPLOAD: (detail: string) => `The upload is not valid multipart/form-data (${detail}); send it again as curl -F file=@report.txt does.`,
  UPLOAD_NOT_INDEXED: (file: string) => `${file} was saved but no document was read from it; check that its content is readable text, or delete it.`,
  DOCUMENT_NOT_UPLOADED: (id: string) => `Document "${id}" was not added through the API but placed in the corpus folder; remove its file from CORPUS_DIR on the server and reload instead.`,
  JOB_NOT_FOUND: (id: string) => `No job with id "${id}"; jobs are kept in memory until the server restarts, for the last 100 uploads.`,
  INDEXING_FAILED: (detail: string) => `Indexing failed (${detail}); the previous index keeps answering. Fix the cause, then upload again or delete the file.`,

  // Corpus warnings (logged; the file is skipped and the rest still index).
  CORPUS_UNREADABLE: (file: string, detail: string) => `Skipping ${file}: cannot read it (${detail}).`,
  CORPUS_EMPTY: (file: string) => `Skipping ${file}: it has no text.`,
  CORPUS_BINARY: (file: string) => `Skipping ${file}: it looks binary (contains NUL bytes); corpus files must be UTF-8 text.`,
  CORPUS_NOT_UTF8: (file: string) => `Skipping ${file}: it is not valid UTF-8; re-save it as UTF-8.`,
  CORPUS_TOO_LARGE: (file: string, bytes: number, limit: number) => `Skipping ${file}: ${bytes} bytes is over the ${limit}-byte limit per document; split it into smaller files.`,
  CORPUS_DUPLICATE: (file: string, other: string) => `Skipping ${file}: same text as ${other}.`,
  CORPUS_BAD_METADATA: (file: string, detail: string) => `Ignoring metadata of ${file}: ${detail}; the text is still indexed.`,
  // Reading PDF, DOCX and HTML (src/corpus/formats/): each names the file, what is wrong and what to do.
  CORPUS_UNSUPPORTED_FORMAT: (file: string, detail: string) =>
    `Skipping ${file}: its content is not a format the corpus reads (${detail}); use PDF, DOCX, HTML, or UTF-8 .txt/.md.`,
  CORPUS_PDF_ENCRYPTED: (file: string, detail: string) => `Skipping ${file}: the PDF is encrypted (${detail}); save an unprotected copy and add that.`,
  CORPUS_PDF_CORRUPT: (file: string, detail: string) => `Skipping ${file}: the PDF cannot be read (${detail}); it may be truncated or damaged, so export it again.`,
  CORPUS_PDF_TOO_MANY_PAGES: (file: string, detail: string) => `Skipping ${file}: ${detail}; split it, or raise MAX_PDF_PAGES.`,
  CORPUS_OCR_UNAVAILABLE: (file: string, detail: string) =>
    `Skipping ${file}: ${detail} and must be read by OCR, but Tesseract is not installed; run apt-get install -y tesseract-ocr tesseract-ocr-ara, then reload.`,
  CORPUS_DOCX_INVALID: (file: string, detail: string) => `Skipping ${file}: the Word file cannot be read (${detail}); open and save it again as .docx.`,
  CORPUS_HTML_NO_ARTICLE: (file: string, detail: string) => `Skipping ${file}: no readable article was found in the page (${detail}); save the article itself, or its text as .txt.`,
  CORPUS_EXTRACTION_TIMEOUT: (file: string, detail: string) => `Skipping ${file}: reading it took longer than ${detail} and was stopped; split it, or raise EXTRACTION_TIMEOUT_MS.`,
  CORPUS_EXTRACTION_FAILED: (file: string, detail: string) => `Skipping ${file}: reading it failed (${detail}); the rest of the corpus still loads.`,

  // Configuration and internal invariants.
  DIMENSION_MISMATCH: (expected: number, got: number, what: string) => `${what} has dimension ${got}, expected ${expected}; rebuild the index with npm run index.`,
  VECTOR_COUNT_MISMATCH: (expected: number, got: number) => `Embedding returned ${got} vectors for ${expected} passages; nothing was stored. Re-run npm run index, and report it if it persists.`,
  INVALID_CONFIG: (name: string, value: string, expected: string) => `Configuration ${name}=${JSON.stringify(value)} is invalid; expected ${expected}.`,
  LEXICON_SOURCE_MISSING: (file: string, pkg: string) => `${file} is missing; install the Debian package with apt-get install -y ${pkg}, then rerun npm run lexicons.`,
  WORKER_BUNDLE_INVALID: (problem: string) => `The Worker bundle is unusable: ${problem}; rebuild it with npm run build:worker from this code.`,
  // The Postgres + pgvector store (VECTOR_STORE=pgvector; src/index/pgvector/).
  STORE_CONNECT_FAILED: (where: string, detail: string) =>
    `Cannot use the database at ${where} (${detail}); start it (npm run db:dev starts a local one) or fix DATABASE_URL.`,
  STORE_EXTENSION_MISSING: (where: string, detail: string) =>
    `The database at ${where} has no usable pgvector extension (${detail}); install pgvector on that server and run CREATE EXTENSION vector as its owner, or use npm run db:dev.`,
  STORE_SCHEMA_NEWER: (where: string, found: number, supported: number) =>
    `The database at ${where} has schema version ${found}, newer than this code's ${supported}; run the newer code, or point DATABASE_URL at another database.`,
  STORE_EMPTY: (where: string) => `The database at ${where} holds no complete index yet; build one with VECTOR_STORE=pgvector npm run index.`,
  STORE_EMBEDDER_MISMATCH: (generation: number, stored: string, ours: string) =>
    `The store's active index (generation ${generation}) was built with embedder ${stored}, but this process embeds with ${ours}; set EMBEDDER/MODEL to match it, or re-index with these settings (VECTOR_STORE=pgvector npm run index).`,
  STORE_INDEX_FAILED: (detail: string) => `Indexing into Postgres failed (${detail}); the previous index keeps serving. Fix the cause and run npm run index again.`,
  // Embeddings from an OpenAI-compatible server (EMBEDDER=openai; src/embed/openai.ts). They name the URL, never the key.
  EMBEDDINGS_UNREACHABLE: (where: string, detail: string) =>
    `Cannot get embeddings from ${where} (${detail}); start the embeddings server, or fix EMBEDDINGS_URL (the base URL ending in /v1), or use EMBEDDER=auto.`,
  EMBEDDINGS_REFUSED: (where: string, detail: string) =>
    `The embeddings server at ${where} refused the API key (${detail}); set EMBEDDINGS_API_KEY to a key it accepts (or unset it for a server that needs none).`,
  EMBEDDINGS_BAD_ANSWER: (where: string, detail: string) =>
    `The embeddings from ${where} are unusable (${detail}); nothing was stored. Check that EMBEDDINGS_MODEL is an embedding model the server serves, and report it if it persists.`,
  EMBEDDINGS_UNAVAILABLE: (detail: string) => `The embeddings server did not answer (${detail}); retry in a few seconds.`,
  MODEL_UNAVAILABLE: (model: string, detail: string) => `Model ${model} is not available (${detail}); run npm run model:fetch on a machine with internet, or use EMBEDDER=hashing.`,
} as const;

export type ErrorCode = keyof typeof templates;

/** HTTP status for the codes that can reach a client; anything else is a 500. */
const httpStatus: Partial<Record<ErrorCode, number>> = {
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_ENCODING: 415,
  PAYLOAD_TOO_LARGE: 413,
  DOCUMENT_NOT_FOUND: 404,
  ORIGINAL_NOT_AVAILABLE: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_READY: 503,
  RATE_LIMITED: 429,
  TIMEOUT: 503,
  BUSY: 503,
  BAD_HTTP: 400,
  HEADERS_TOO_LARGE: 431,
  HEADERS_TIMEOUT: 408,
  STORE_UNAVAILABLE: 503,
  // Adding and removing documents.
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  WRITES_DISABLED: 403,
  READ_ONLY: 405,
  NOT_MULTIPART: 415,
  NO_FILES: 400,
  TOO_MANY_FILES: 413,
  UPLOAD_TOO_LARGE: 413,
  UNSUPPORTED_FILE_TYPE: 415,
  INVALID_UPLOAD: 400,
  DOCUMENT_NOT_UPLOADED: 409,
  JOB_NOT_FOUND: 404,
  // EMBEDDER=openai: the server went away (retry), or answered with something unusable.
  EMBEDDINGS_UNAVAILABLE: 503,
  EMBEDDINGS_BAD_ANSWER: 502,
};

export function statusOf(code: ErrorCode): number {
  return httpStatus[code] ?? 500;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
  }
}

export function createError<C extends ErrorCode>(code: C, ...args: Parameters<(typeof templates)[C]>): AppError {
  const template = templates[code] as (...a: unknown[]) => string;
  return new AppError(code, template(...args));
}

/** The same message as createError, for warnings that are logged rather than thrown. */
export function formatMessage<C extends ErrorCode>(code: C, ...args: Parameters<(typeof templates)[C]>): string {
  return (templates[code] as (...a: unknown[]) => string)(...args);
}
