// The source panel shows one of three views, each reachable by a shareable hash (links.js):
//   span      a whole document with one span highlighted: a citation (the answer's other cited
//             sentences marked lightly) or a refusal's closest passage (marked as not answering);
//   document  a whole document, optionally scrolled to one paragraph;
//   documents the corpus's documents, filterable by title.
// Every paragraph is numbered, and its number is a link to it. Documents are rendered as text
// nodes only, never as HTML.
import { element } from "./dom.js";
import { documentSummary, renderDocumentList } from "./documents.js";
import { t } from "./i18n.js";
import { documentHash, sameSpan } from "./links.js";

/**
 * @param {{
 *   panel: HTMLElement, kicker: HTMLElement, title: HTMLElement, location: HTMLElement, nav: HTMLElement,
 *   body: HTMLElement, closeButton: HTMLElement,
 *   loadDocument: (id: string) => Promise<{ title?: string, meta?: { title?: string, language?: string }, text: string, paragraphs?: { start: number, end: number }[] }>,
 *   loadDocumentList: () => Promise<{ documents: { id: string, title: string, meta: object, paragraphs: number, sentences: number }[] }>,
 *   onClose: (returnFocusTo: HTMLElement | null) => void,
 * }} options
 */
export function createSourcePanel({ panel, kicker, title, location, nav, body, closeButton, loadDocument, loadDocumentList, onClose, documentTools = null }) {
  let request = 0;
  let returnFocusTo = null;

  // On a narrow screen the panel covers the page (styles.css): it is then a modal dialog, and what
  // it covers is inert, so Tab and a screen reader cannot wander behind it.
  const covering = window.matchMedia("(max-width: 59.99rem)");
  const covered = () => [...document.body.children].filter((node) => node !== panel && node.id !== "announcer");
  function updateModality() {
    const modal = !panel.hidden && covering.matches;
    panel.setAttribute("aria-modal", String(modal));
    for (const node of covered()) node.inert = modal;
  }
  covering.addEventListener("change", updateModality);
  /** The view on show, so a language switch can draw it again. */
  let current = null;
  const listState = { query: "" };

  closeButton.addEventListener("click", () => close());

  /** Shows the panel in a loading state; returns a check that the view is still the one asked for. */
  function begin(view, trigger, kickerKey, focus) {
    const id = ++request;
    current = view;
    if (trigger) returnFocusTo = trigger;
    panel.hidden = false;
    panel.dataset.view = view.kind;
    document.body.classList.add("panel-open");
    updateModality();
    panel.setAttribute("aria-busy", "true");
    // The list's title already says "Documents"; a kicker saying it again would only repeat it.
    kicker.textContent = view.kind === "documents" ? "" : t(kickerKey);
    kicker.hidden = view.kind === "documents";
    title.textContent = t("panel.loading");
    location.textContent = "";
    nav.hidden = view.kind === "documents";
    body.replaceChildren();
    if (focus) title.focus({ preventScroll: true });
    return () => id === request;
  }

  function failed(error) {
    panel.removeAttribute("aria-busy");
    title.textContent = t("panel.loadFailed");
    body.replaceChildren(element("p", { className: "source-error" }, t(error?.status === 404 ? "panel.notFound" : "panel.checkConnection")));
  }

  /**
   * A span of a document, highlighted.
   * @param {{ docId: string, start: number, end: number }} span
   * @param {{ related?: { docId: string, start: number, end: number, paragraph?: number, sentence?: number }[], trigger?: HTMLElement | null, closest?: boolean }} context
   */
  async function open(span, { related = [], trigger = null, closest = false, focus = true } = {}) {
    const still = begin({ kind: "span", span, related, closest }, trigger, "panel.source", focus);
    let doc;
    try {
      doc = await loadDocument(span.docId);
    } catch (error) {
      if (still()) failed(error);
      return;
    }
    if (!still()) return;
    panel.removeAttribute("aria-busy");
    title.textContent = doc.title || doc.meta?.title || span.docId;
    const inRange = span.end <= doc.text.length;
    const cited = related.find((c) => sameSpan(c, span));
    const paragraph = paragraphNumber(doc, span.start);
    location.textContent = !inRange
      ? t("panel.outOfRange")
      : closest
        ? t("closest.location", { paragraph })
        : cited?.paragraph
          ? t("panel.location", { paragraph: cited.paragraph, sentence: cited.sentence })
          : t("panel.paragraph", { paragraph });

    const primary = closest ? "closest" : "primary";
    const marks = [
      ...related.filter((c) => c.docId === span.docId && !sameSpan(c, span)).map((c) => ({ start: c.start, end: c.end, kind: "related" })),
      ...(inRange ? [{ start: span.start, end: span.end, kind: primary }] : []),
    ];
    body.replaceChildren(...renderDocument(span.docId, doc, marks));
    const target = body.querySelector("[data-primary]");
    (target ?? body).scrollIntoView({ block: "center" });
    if (focus) title.focus({ preventScroll: true });
  }

  /** A whole document, scrolled to `paragraph` when given. */
  async function openDocument(docId, { paragraph = 0, trigger = null, focus = true } = {}) {
    const still = begin({ kind: "document", docId, paragraph }, trigger, "panel.document", focus);
    let doc;
    let listed;
    try {
      [doc, listed] = await Promise.all([
        loadDocument(docId),
        loadDocumentList().then((list) => list.documents.find((d) => d.id === docId), () => undefined),
      ]);
    } catch (error) {
      if (still()) failed(error);
      return;
    }
    if (!still()) return;
    panel.removeAttribute("aria-busy");
    title.textContent = doc.title || doc.meta?.title || docId;
    location.textContent = documentSummary(listed ?? { meta: doc.meta, paragraphs: doc.paragraphs?.length ?? 0 });
    body.replaceChildren(...renderDocument(docId, doc, []));
    const target = paragraph ? body.querySelector(`[data-paragraph="${paragraph}"]`) : null;
    if (target) {
      target.classList.add("paragraph-target");
      target.scrollIntoView({ block: "start" });
    } else {
      body.scrollTop = 0;
    }
    if (focus) title.focus({ preventScroll: true });
  }

  /** The list of documents, with its filter. */
  async function openDocuments({ trigger = null, focus = true } = {}) {
    const still = begin({ kind: "documents" }, trigger, "panel.documents", focus);
    let list;
    try {
      list = await loadDocumentList();
    } catch (error) {
      if (still()) failed(error);
      return;
    }
    if (!still()) return;
    panel.removeAttribute("aria-busy");
    title.textContent = t("panel.documents");
    // With an admin token: "Add documents" above the list, and delete buttons in it.
    const { nodes } = renderDocumentList(list.documents, listState, { onDelete: documentTools?.onDelete });
    body.replaceChildren(...(documentTools ? [documentTools.node()] : []), ...nodes);
    body.scrollTop = 0;
    if (focus) title.focus({ preventScroll: true });
  }

  /** Draws the current view again (the interface language changed). */
  function refresh() {
    if (panel.hidden || !current) return;
    const view = current;
    const quiet = { focus: false };
    if (view.kind === "span") open(view.span, { related: view.related, closest: view.closest, ...quiet });
    else if (view.kind === "document") openDocument(view.docId, { paragraph: view.paragraph, ...quiet });
    else openDocuments(quiet);
  }

  function close() {
    if (panel.hidden) return;
    request++;
    current = null;
    panel.hidden = true;
    delete panel.dataset.view;
    document.body.classList.remove("panel-open");
    updateModality();
    body.replaceChildren();
    const target = returnFocusTo?.isConnected ? returnFocusTo : null;
    returnFocusTo = null;
    onClose(target);
  }

  return { open, openDocument, openDocuments, refresh, close, isOpen: () => !panel.hidden };
}

function paragraphNumber(doc, offset) {
  const index = (doc.paragraphs ?? []).findIndex((p) => offset >= p.start && offset < p.end);
  return index === -1 ? "?" : index + 1;
}

/** Blocks covering the text: the document's paragraphs (numbered) plus any non-blank text between them. */
function blocksOf(doc) {
  const paragraphs = [...(doc.paragraphs ?? [])].map((p, i) => ({ ...p, number: i + 1 })).sort((a, b) => a.start - b.start);
  const blocks = [];
  let cursor = 0;
  for (const p of paragraphs) {
    if (p.start > cursor && doc.text.slice(cursor, p.start).trim()) blocks.push({ start: cursor, end: p.start, number: 0 });
    blocks.push({ start: p.start, end: p.end, number: p.number });
    cursor = Math.max(cursor, p.end);
  }
  if (doc.text.slice(cursor).trim()) blocks.push({ start: cursor, end: doc.text.length, number: 0 });
  return blocks;
}

const MARK_CLASS = { primary: "cited cited-primary", related: "cited cited-related", closest: "cited cited-closest" };
const MARK_RANK = { plain: 0, related: 1, closest: 2, primary: 2 };

/**
 * One <p> per block, its number a link to it, split at every mark boundary; within a piece the
 * highlighted span wins over related ones. The first piece of a citation's span carries
 * data-testid="cited-sentence", of a closest passage data-testid="closest-highlight".
 */
function renderDocument(docId, doc, marks) {
  let primaryTagged = false;
  return blocksOf(doc).map((block) => {
    const p = document.createElement("p");
    p.dir = "auto";
    if (doc.meta?.language) p.lang = doc.meta.language;
    if (block.number) {
      p.dataset.paragraph = String(block.number);
      p.className = "numbered";
      const label = t("panel.paragraphLink", { paragraph: block.number });
      p.append(element("a", { href: documentHash(docId, block.number), className: "paragraph-number", "data-testid": "paragraph-link", "aria-label": label, title: label }, String(block.number)));
    }
    const cuts = new Set([block.start, block.end]);
    for (const m of marks) for (const at of [m.start, m.end]) if (at > block.start && at < block.end) cuts.add(at);
    const points = [...cuts].sort((a, b) => a - b);

    let previous = null;
    for (let i = 0; i + 1 < points.length; i++) {
      const [from, to] = [points[i], points[i + 1]];
      const kind = marks
        .filter((m) => m.start <= from && to <= m.end)
        .reduce((best, m) => (MARK_RANK[m.kind] > MARK_RANK[best] ? m.kind : best), "plain");
      if (previous && previous.kind === kind) {
        previous.node.append(doc.text.slice(from, to));
        continue;
      }
      let node;
      if (kind === "plain") {
        node = document.createElement("span");
      } else {
        node = document.createElement("mark");
        node.className = MARK_CLASS[kind];
        if (kind !== "related" && !primaryTagged) {
          node.dataset.testid = kind === "closest" ? "closest-highlight" : "cited-sentence";
          node.dataset.primary = "";
          node.tabIndex = -1;
          primaryTagged = true;
        }
      }
      node.append(doc.text.slice(from, to));
      p.append(node);
      previous = { kind, node };
    }
    return p;
  });
}
