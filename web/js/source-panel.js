// The source panel: a whole document with one cited span highlighted and the answer's other
// cited spans marked lightly. The document is rendered as text nodes only, never as HTML.
import { sameSpan } from "./links.js";

/**
 * @param {{
 *   panel: HTMLElement, title: HTMLElement, location: HTMLElement, body: HTMLElement, closeButton: HTMLElement,
 *   loadDocument: (id: string) => Promise<{ title?: string, meta?: { title?: string, language?: string }, text: string, paragraphs?: { start: number, end: number }[] }>,
 *   onClose: () => void,
 * }} options
 */
export function createSourcePanel({ panel, title, location, body, closeButton, loadDocument, onClose }) {
  let request = 0;
  let returnFocusTo = null;

  closeButton.addEventListener("click", () => close());

  /**
   * @param {{ docId: string, start: number, end: number }} span
   * @param {{ related?: { docId: string, start: number, end: number, paragraph?: number, sentence?: number }[], trigger?: HTMLElement | null }} context
   */
  async function open(span, { related = [], trigger = null } = {}) {
    const current = ++request;
    if (trigger) returnFocusTo = trigger;
    panel.hidden = false;
    document.body.classList.add("panel-open");
    panel.setAttribute("aria-busy", "true");
    title.textContent = "جارٍ تحميل المصدر…";
    location.textContent = "";
    body.replaceChildren();
    title.focus({ preventScroll: true });

    let doc;
    try {
      doc = await loadDocument(span.docId);
    } catch (error) {
      if (current !== request) return;
      panel.removeAttribute("aria-busy");
      title.textContent = "تعذّر تحميل المصدر";
      body.replaceChildren(paragraph("source-error", error?.status === 404 ? "هذه الوثيقة غير موجودة." : "تحقّق من الاتصال ثم اضغط على الإحالة مرة أخرى."));
      return;
    }
    if (current !== request) return;

    panel.removeAttribute("aria-busy");
    title.textContent = doc.title || doc.meta?.title || span.docId;
    const inRange = span.end <= doc.text.length;
    const cited = related.find((c) => sameSpan(c, span));
    location.textContent = !inRange
      ? "الموضع المطلوب غير موجود في هذه الوثيقة."
      : cited?.paragraph
        ? `الفقرة ${cited.paragraph}، الجملة ${cited.sentence}`
        : `الفقرة ${paragraphNumber(doc, span.start)}`;

    const marks = [
      ...related.filter((c) => c.docId === span.docId && !sameSpan(c, span)).map((c) => ({ start: c.start, end: c.end, primary: false })),
      ...(inRange ? [{ start: span.start, end: span.end, primary: true }] : []),
    ];
    body.replaceChildren(...renderDocument(doc, marks));
    const primary = body.querySelector("[data-testid=cited-sentence]");
    (primary ?? body).scrollIntoView({ block: "center" });
    title.focus({ preventScroll: true });
  }

  function close() {
    if (panel.hidden) return;
    request++;
    panel.hidden = true;
    document.body.classList.remove("panel-open");
    body.replaceChildren();
    const target = returnFocusTo?.isConnected ? returnFocusTo : null;
    returnFocusTo = null;
    onClose(target);
  }

  return { open, close, isOpen: () => !panel.hidden };
}

function paragraph(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

function paragraphNumber(doc, offset) {
  const index = (doc.paragraphs ?? []).findIndex((p) => offset >= p.start && offset < p.end);
  return index === -1 ? "?" : index + 1;
}

/** Paragraph blocks covering the text: the document's paragraphs plus any non-blank text between them. */
function blocksOf(doc) {
  const paragraphs = [...(doc.paragraphs ?? [])].sort((a, b) => a.start - b.start);
  const blocks = [];
  let cursor = 0;
  for (const p of paragraphs) {
    if (p.start > cursor && doc.text.slice(cursor, p.start).trim()) blocks.push({ start: cursor, end: p.start });
    blocks.push({ start: p.start, end: p.end });
    cursor = Math.max(cursor, p.end);
  }
  if (doc.text.slice(cursor).trim()) blocks.push({ start: cursor, end: doc.text.length });
  return blocks;
}

/**
 * One <p> per block, split at every mark boundary; within a piece the primary mark wins over related ones.
 * Only the first piece of the primary mark carries data-testid="cited-sentence".
 */
function renderDocument(doc, marks) {
  let primaryTagged = false;
  return blocksOf(doc).map((block) => {
    const p = document.createElement("p");
    p.dir = "auto";
    if (doc.meta?.language) p.lang = doc.meta.language;
    const cuts = new Set([block.start, block.end]);
    for (const m of marks) for (const at of [m.start, m.end]) if (at > block.start && at < block.end) cuts.add(at);
    const points = [...cuts].sort((a, b) => a - b);

    let previous = null;
    for (let i = 0; i + 1 < points.length; i++) {
      const [from, to] = [points[i], points[i + 1]];
      const covering = marks.filter((m) => m.start <= from && to <= m.end);
      const kind = covering.some((m) => m.primary) ? "primary" : covering.length ? "related" : "plain";
      if (previous && previous.kind === kind) {
        previous.node.append(doc.text.slice(from, to));
        continue;
      }
      let node;
      if (kind === "plain") {
        node = document.createElement("span");
      } else {
        node = document.createElement("mark");
        node.className = kind === "primary" ? "cited cited-primary" : "cited cited-related";
        if (kind === "primary" && !primaryTagged) {
          node.dataset.testid = "cited-sentence";
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
