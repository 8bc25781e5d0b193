// One <li> per turn of the conversation, in the interface language. Only the answer's markdown
// goes through the sanitizer; everything else (questions, titles, passages, errors) is set as text.
import { citationClipboard, writeClipboard } from "./copy.js";
import { element } from "./dom.js";
import { directionOf, directionOfText, sourceLanguageOf, t } from "./i18n.js";
import { absoluteLink, originalPageLink, spanHash } from "./links.js";
import { linkMarkers, renderMarkdown } from "./markdown.js";

/** How long "Copied" stays on a copy button. */
const COPY_CONFIRMATION_MS = 2500;
/** Characters of a closest passage shown before the reader opens it. */
const EXCERPT_CHARS = 220;

const titleOf = (item) => item.title || item.docId;

function citationLink(citation, turnId, className, ...children) {
  const label = t("citation.label", { n: citation.n, title: titleOf(citation), paragraph: citation.paragraph, sentence: citation.sentence });
  return element(
    "a",
    { href: spanHash(citation), className, "data-testid": "citation", "data-turn": turnId, "data-n": citation.n, "aria-label": label },
    ...children,
  );
}

export function renderUserTurn(turn) {
  return element(
    "li",
    { className: "message message-user", "data-turn": turn.id },
    element("p", { className: "visually-hidden" }, t("message.you")),
    element("div", { className: "bubble", dir: directionOfText(turn.content) }, turn.content),
  );
}

/** @param {{ announce: (message: string) => void }} context */
export function renderAssistantTurn(turn, { announce }) {
  const { answer, abstained, language, citations } = turn.response;
  const byNumber = new Map(citations.map((citation) => [citation.n, citation]));

  const body = element("div", { className: "answer-body", dir: directionOf(language), lang: language || undefined });
  body.append(renderMarkdown(answer));
  // The quotes are the sources' words, not the answer's language: a screen reader should read them so.
  for (const quote of body.querySelectorAll("blockquote")) {
    const lang = sourceLanguageOf(quote.textContent ?? "");
    if (lang) quote.setAttribute("lang", lang);
  }
  dropTrailingSourceList(body, citations.length);
  linkMarkers(body, (n) => {
    const citation = byNumber.get(n);
    return citation ? citationLink(citation, turn.id, "citation-marker", `[${n}]`) : null;
  });

  const item = element(
    "li",
    { className: `message message-assistant${abstained ? " message-refusal" : ""}`, "data-turn": turn.id, "data-testid": "answer" },
    element(
      "p",
      { className: "message-label" },
      element("span", { className: "message-icon", "aria-hidden": "true" }, abstained ? "∅" : "❝"),
      t(abstained ? "message.refusal" : "message.answer"),
    ),
    body,
  );
  if (citations.length > 0) item.append(renderCitationList(citations, turn, announce));
  const closest = turn.response.passages ?? [];
  if (abstained && closest.length > 0) item.append(renderClosestPassages(closest, turn.id));
  return item;
}

/**
 * The answer's markdown ends with its own plain list of sources (for API and CLI readers); the page
 * shows the richer, clickable list instead. Removed only when it has exactly one item per citation
 * and follows a heading made of one bold phrase ("**المصادر**", "**Sources**").
 */
function dropTrailingSourceList(body, citationCount) {
  const list = body.lastElementChild;
  const heading = list?.previousElementSibling;
  if (citationCount === 0 || list?.tagName !== "OL" || list.children.length !== citationCount) return;
  if (heading?.tagName !== "P" || heading.children.length !== 1 || heading.firstElementChild.tagName !== "STRONG") return;
  if (heading.textContent.trim() !== heading.firstElementChild.textContent.trim()) return;
  list.remove();
  heading.remove();
}

function renderCitationList(citations, turn, announce) {
  const list = element("ol", { className: "citations" });
  for (const citation of citations) {
    const score = Number.isFinite(citation.score) ? citation.score.toFixed(2) : "–";
    list.append(
      element(
        "li",
        {},
        element(
          "div",
          { className: "citation-text" },
          citationLink(
            citation,
            turn.id,
            "citation-link",
            element("span", { className: "citation-number" }, `[${citation.n}]`),
            " ",
            element("span", { className: "citation-title", dir: "auto", lang: sourceLanguageOf(titleOf(citation)) }, titleOf(citation)),
          ),
          pagesOf(citation) && element("span", { className: "citation-page", "data-testid": "citation-page" }, pagesOf(citation)),
          element("span", { className: "citation-meta" }, t("citation.meta", { paragraph: citation.paragraph, sentence: citation.sentence, score })),
          originalLink(citation),
        ),
        copyButton(citation, announce),
      ),
    );
  }
  return element("details", { className: "citations-box", open: "" }, element("summary", {}, t("citations.summary", { count: citations.length })), list);
}

/** "p. 12" or "pp. 12–13" for a citation of a paginated source (a PDF); null otherwise. */
function pagesOf(citation) {
  if (!Number.isSafeInteger(citation.page)) return null;
  return Number.isSafeInteger(citation.pageEnd) && citation.pageEnd !== citation.page
    ? t("citation.pages", { page: citation.page, pageEnd: citation.pageEnd })
    : t("citation.page", { page: citation.page });
}

/**
 * For a PDF citation: the original in the browser's own PDF viewer at the cited page, in a new
 * tab (the source panel beside it keeps showing the extracted text). Only PDFs are paginated.
 */
function originalLink(citation) {
  if (!Number.isSafeInteger(citation.page)) return null;
  return element(
    "a",
    {
      className: "citation-original",
      href: originalPageLink(citation.docId, citation.page),
      target: "_blank",
      rel: "noopener noreferrer",
      "data-testid": "open-original",
      "aria-label": t("citation.openOriginalLabel", { title: titleOf(citation), page: citation.page }),
    },
    t("citation.openOriginal", { page: citation.page }),
  );
}

/** A button copying the cited sentence with its reference and link; says "Copied" when done. */
function copyButton(citation, announce) {
  const label = element("span", { className: "copy-text" }, t("copy.button"));
  const button = element(
    "button",
    { type: "button", className: "copy-button", "data-testid": "copy-citation", "aria-label": t("copy.label", { n: citation.n }), title: t("copy.label", { n: citation.n }) },
    element("span", { className: "copy-icon", "aria-hidden": "true" }),
    label,
  );
  let reset = 0;
  button.addEventListener("click", async () => {
    const place = { title: titleOf(citation), paragraph: citation.paragraph, sentence: citation.sentence };
    const pages = pagesOf(citation);
    const reference = pages ? t("citation.referencePaged", { ...place, pages }) : t("citation.reference", place);
    const copied = await writeClipboard(citationClipboard({ text: citation.text, reference, link: absoluteLink(spanHash(citation)) }));
    label.textContent = t(copied ? "copy.done" : "copy.failed");
    button.dataset.state = copied ? "done" : "failed";
    announce(copied ? t("copy.doneAnnounce", { n: citation.n }) : t("copy.failed"));
    clearTimeout(reset);
    reset = setTimeout(() => {
      label.textContent = t("copy.button");
      delete button.dataset.state;
    }, COPY_CONFIRMATION_MS);
  });
  return button;
}

/**
 * A refusal still shows what the search came closest to, collapsed and labelled as not answering,
 * each passage opening the source panel as a citation does.
 */
function renderClosestPassages(passages, turnId) {
  const list = element("ol", { className: "closest-list" });
  for (const passage of passages) {
    const excerpt = passage.text.length > EXCERPT_CHARS ? `${passage.text.slice(0, EXCERPT_CHARS).trimEnd()}…` : passage.text;
    list.append(
      element(
        "li",
        {},
        element(
          "a",
          {
            href: spanHash(passage),
            className: "closest-passage",
            "data-testid": "closest-passage",
            "data-turn": turnId,
            "aria-label": t("closest.label", { title: titleOf(passage), paragraph: passage.paragraph }),
          },
          element("span", { className: "closest-title", dir: "auto", lang: sourceLanguageOf(titleOf(passage)) }, titleOf(passage)),
          element("span", { className: "closest-meta" }, t("panel.paragraph", { paragraph: passage.paragraph })),
          element("span", { className: "closest-excerpt", dir: "auto", lang: sourceLanguageOf(excerpt) }, excerpt),
        ),
      ),
    );
  }
  return element(
    "details",
    { className: "closest-box", "data-testid": "closest-passages" },
    element("summary", {}, t("closest.summary", { count: passages.length })),
    element("p", { className: "closest-note" }, t("closest.note")),
    list,
  );
}

function errorText({ kind, status, code }) {
  if (kind !== "http") return t(`error.${["network", "timeout", "invalid", "interrupted"].includes(kind) ? kind : "invalid"}`);
  if (status === 429) return t("error.rateLimited");
  // 503 says "come back soon" for three reasons; the code tells which one to show.
  if (code === "BUSY") return t("error.busy");
  if (code === "TIMEOUT") return t("error.timeout");
  if (status === 503) return t("error.notReady");
  if (status >= 500) return t("error.server", { status });
  return t("error.refused", { status });
}

/** @param {() => void} onRetry */
export function renderErrorTurn(turn, onRetry) {
  const retry = element("button", { type: "button", className: "button-secondary", "data-testid": "retry" }, t("error.retry"));
  retry.addEventListener("click", onRetry);
  const detail = turn.error.message && turn.error.kind === "http"
    ? element("p", { className: "error-detail", dir: "auto" }, turn.error.message)
    : null;
  return element(
    "li",
    { className: "message message-error", "data-turn": turn.id, "data-testid": "error", role: "alert" },
    element("p", { className: "message-label" }, element("span", { className: "message-icon", "aria-hidden": "true" }, "!"), t("error.title")),
    element("p", {}, errorText(turn.error)),
    detail,
    retry,
  );
}

export function renderPending() {
  return element(
    "li",
    { className: "message message-pending", "data-testid": "pending", "aria-busy": "true" },
    element("span", { className: "spinner", "aria-hidden": "true" }),
    t("message.pending"),
  );
}
