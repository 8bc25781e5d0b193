// Shareable links to a cited span: #doc=<id>&start=<n>&end=<n> (JavaScript string offsets).

/** @param {{ docId: string, start: number, end: number }} span */
export function spanHash({ docId, start, end }) {
  return "#" + new URLSearchParams({ doc: docId, start: String(start), end: String(end) }).toString();
}

/** The span named by a location hash, or null when the hash names none (or a malformed one). */
export function parseSpanHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const docId = params.get("doc");
  const start = Number(params.get("start"));
  const end = Number(params.get("end"));
  if (!docId || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) return null;
  return { docId, start, end };
}

export function sameSpan(a, b) {
  return a.docId === b.docId && a.start === b.start && a.end === b.end;
}
