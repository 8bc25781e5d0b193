// Shareable links, all in the location hash so the page itself never changes:
//   #doc=<id>&start=<n>&end=<n>   a cited span (JavaScript string offsets), highlighted in its document
//   #doc=<id>&p=<n>               a paragraph of a document (n is 1-based)
//   #doc=<id>                     a whole document
//   #documents                    the list of documents

/** @param {{ docId: string, start: number, end: number }} span */
export function spanHash({ docId, start, end }) {
  return "#" + new URLSearchParams({ doc: docId, start: String(start), end: String(end) }).toString();
}

/** @param {string} docId @param {number} [paragraph] */
export function documentHash(docId, paragraph) {
  const params = new URLSearchParams({ doc: docId });
  if (paragraph) params.set("p", String(paragraph));
  return "#" + params.toString();
}

export const DOCUMENTS_HASH = "#documents";

/** The original file of a document, opened at a page by the browser's PDF viewer (#page=N). */
export function originalPageLink(docId, page) {
  return `/api/documents/${encodeURIComponent(docId)}/original#page=${page}`;
}

/** The span named by a location hash, or null when the hash names none (or a malformed one). */
export function parseSpanHash(hash) {
  const view = parseHash(hash);
  return view?.kind === "span" ? { docId: view.docId, start: view.start, end: view.end } : null;
}

/**
 * What a location hash asks the source panel to show, or null for none (or a malformed hash):
 * { kind: "span", docId, start, end } | { kind: "document", docId, paragraph? } | { kind: "documents" }.
 */
export function parseHash(hash) {
  const raw = hash.replace(/^#/, "");
  if (raw === "documents") return { kind: "documents" };
  const params = new URLSearchParams(raw);
  const docId = params.get("doc");
  if (!docId) return null;
  if (params.has("start") || params.has("end")) {
    const start = Number(params.get("start"));
    const end = Number(params.get("end"));
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) return null;
    return { kind: "span", docId, start, end };
  }
  if (params.has("p")) {
    const paragraph = Number(params.get("p"));
    if (!Number.isSafeInteger(paragraph) || paragraph < 1) return null;
    return { kind: "document", docId, paragraph };
  }
  return { kind: "document", docId };
}

export function sameSpan(a, b) {
  return a.docId === b.docId && a.start === b.start && a.end === b.end;
}

/** The absolute address of a hash on this page, for links that leave it (copied references). */
export function absoluteLink(hash) {
  return new URL(hash, window.location.origin + window.location.pathname).href;
}
