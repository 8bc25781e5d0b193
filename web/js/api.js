// Talks to the JSON API; every failure becomes an ApiError the conversation can show and retry.

const ANSWER_TIMEOUT_MS = 60_000;

export class ApiError extends Error {
  /**
   * @param {"network" | "timeout" | "http" | "invalid"} kind
   * @param {{ status?: number, code?: string, message?: string }} details
   */
  constructor(kind, { status = 0, code = "", message = "" } = {}) {
    super(message || kind);
    this.name = "ApiError";
    this.kind = kind;
    this.status = status;
    this.code = code;
  }

  toJSON() {
    return { kind: this.kind, status: this.status, code: this.code, message: this.message };
  }
}

/**
 * @param {{ question: string, history: { role: "user" | "assistant", content: string }[], signal?: AbortSignal }} request
 */
export async function postAnswer({ question, history, signal }) {
  const timeout = AbortSignal.timeout(ANSWER_TIMEOUT_MS);
  const body = JSON.stringify(history.length ? { question, history } : { question });
  const response = await request("/api/answer", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body,
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  if (typeof response.answer !== "string" || !Array.isArray(response.citations)) {
    throw new ApiError("invalid", { message: "The answer has an unexpected shape." });
  }
  return response;
}

const documents = new Map();

/** The document, fetched once per page; a failed fetch is forgotten so it can be retried. */
export function getDocument(id) {
  if (!documents.has(id)) {
    const pending = request(`/api/documents/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
    pending.catch(() => documents.delete(id));
    documents.set(id, pending);
  }
  return documents.get(id);
}

let documentList = null;

/** The corpus's documents with their counts, and its example questions; fetched once per page. */
export function getDocumentList() {
  if (!documentList) {
    documentList = request("/api/documents", { headers: { Accept: "application/json" } }).then((body) => {
      if (!Array.isArray(body.documents)) throw new ApiError("invalid", { message: "The document list has an unexpected shape." });
      return { documents: body.documents, examples: Array.isArray(body.examples) ? body.examples : [] };
    });
    documentList.catch(() => (documentList = null));
  }
  return documentList;
}

async function request(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    // fetch rejects with the signal's reason: a TimeoutError from our timer, an AbortError from the caller.
    if (error?.name === "TimeoutError") throw new ApiError("timeout", { message: "The server took too long to answer." });
    if (error?.name === "AbortError") throw error;
    throw new ApiError("network", { message: String(error?.message ?? error) });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError("http", {
      status: response.status,
      code: body?.error?.code ?? `HTTP_${response.status}`,
      message: body?.error?.message ?? response.statusText,
    });
  }
  if (body === null || typeof body !== "object") throw new ApiError("invalid", { status: response.status, message: "The response is not JSON." });
  return body;
}

// ---- adding and removing documents (shown only with an admin token) ----

/** Forgets the cached document list (and a removed document), so the next view fetches them again. */
export function forgetDocuments(removedId) {
  documentList = null;
  if (removedId) documents.delete(removedId);
}

/** POST /api/documents with the files; resolves with { documents: [{ id, status }], job }. */
export function uploadDocuments(files, token) {
  const body = new FormData();
  for (const file of files) body.append("file", file, file.name);
  return request("/api/documents", { method: "POST", headers: { Accept: "application/json", Authorization: `Bearer ${token}` }, body });
}

/** DELETE /api/documents/:id; resolves with the id of the job that rebuilds without it. */
export async function deleteDocument(id, token) {
  let response;
  try {
    response = await fetch(`/api/documents/${encodeURIComponent(id)}`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new ApiError("network", { message: String(error?.message ?? error) });
  }
  if (response.status !== 204) {
    const body = await response.json().catch(() => null);
    throw new ApiError("http", { status: response.status, code: body?.error?.code ?? `HTTP_${response.status}`, message: body?.error?.message ?? response.statusText });
  }
  return (response.headers.get("Location") ?? "").split("/").pop();
}

/**
 * Follows a job through its event stream, calling onUpdate with each state until it is done or
 * failed. If the stream breaks, asks GET /api/jobs/:id once a second instead.
 */
export function followJob(id, onUpdate) {
  const url = `/api/jobs/${encodeURIComponent(id)}`;
  const finished = (job) => job.stage === "done" || job.stage === "failed";
  const events = new EventSource(`${url}/events`);
  events.onmessage = (event) => {
    const job = JSON.parse(event.data);
    onUpdate(job);
    if (finished(job)) events.close();
  };
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED || events.readyState === EventSource.CONNECTING) {
      events.close();
      const poll = async () => {
        const job = await request(url, { headers: { Accept: "application/json" } }).catch(() => null);
        if (job) onUpdate(job);
        if (!job || !finished(job)) setTimeout(poll, 1000);
      };
      poll();
    }
  };
}
