// One <li> per turn of the conversation. Only the answer's markdown goes through the
// sanitizer; everything else (questions, titles, errors) is set as text.
import { linkMarkers, renderMarkdown } from "./markdown.js";
import { spanHash } from "./links.js";

const RTL_LANGUAGES = new Set(["ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"]);

/** "ar" → "rtl", "en" → "ltr", unknown → "auto" (the browser decides from the text). */
export function directionOf(language) {
  const base = (language || "").toLowerCase().split("-")[0];
  if (!base) return "auto";
  return RTL_LANGUAGES.has(base) ? "rtl" : "ltr";
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function citationLabel(citation) {
  return `المصدر ${citation.n}: ${citation.title || citation.docId}، الفقرة ${citation.paragraph}، الجملة ${citation.sentence}`;
}

function citationLink(citation, turnId, className, ...children) {
  return element(
    "a",
    { href: spanHash(citation), className, "data-testid": "citation", "data-turn": turnId, "data-n": citation.n, "aria-label": citationLabel(citation) },
    ...children,
  );
}

export function renderUserTurn(turn) {
  return element(
    "li",
    { className: "message message-user", "data-turn": turn.id },
    element("p", { className: "visually-hidden" }, "سؤالك:"),
    element("div", { className: "bubble", dir: "auto" }, turn.content),
  );
}

export function renderAssistantTurn(turn) {
  const { answer, abstained, language, citations } = turn.response;
  const byNumber = new Map(citations.map((citation) => [citation.n, citation]));

  const body = element("div", { className: "answer-body", dir: directionOf(language), lang: language || undefined });
  body.append(renderMarkdown(answer));
  dropTrailingSourceList(body, citations.length);
  linkMarkers(body, (n) => {
    const citation = byNumber.get(n);
    return citation ? citationLink(citation, turn.id, "citation-marker", `[${n}]`) : null;
  });

  const label = abstained ? "لم تجد المصادر إجابة" : "الإجابة";
  const item = element(
    "li",
    { className: `message message-assistant${abstained ? " message-refusal" : ""}`, "data-turn": turn.id, "data-testid": "answer" },
    element("p", { className: "message-label" }, element("span", { className: "message-icon", "aria-hidden": "true" }, abstained ? "∅" : "❝"), label),
    body,
  );
  if (citations.length > 0) item.append(renderCitationList(citations, turn.id));
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

function renderCitationList(citations, turnId) {
  const list = element("ol", { className: "citations" });
  for (const citation of citations) {
    const score = Number.isFinite(citation.score) ? citation.score.toFixed(2) : "–";
    list.append(
      element(
        "li",
        {},
        citationLink(
          citation,
          turnId,
          "citation-link",
          element("span", { className: "citation-number" }, `[${citation.n}]`),
          " ",
          element("span", { className: "citation-title", dir: "auto" }, citation.title || citation.docId),
        ),
        element("span", { className: "citation-meta" }, `الفقرة ${citation.paragraph} · الجملة ${citation.sentence} · الصلة ${score}`),
      ),
    );
  }
  return element("details", { className: "citations-box", open: "" }, element("summary", {}, `المصادر (${citations.length})`), list);
}

const errorTexts = {
  network: "تعذّر الاتصال بالخادم. تحقّق من الاتصال ثم أعد المحاولة.",
  timeout: "استغرق الخادم وقتًا طويلًا في الرد.",
  invalid: "وصل رد غير متوقع من الخادم.",
  interrupted: "انقطع الطلب قبل وصول الإجابة (أُعيد تحميل الصفحة).",
};

function errorText({ kind, status }) {
  if (kind !== "http") return errorTexts[kind] ?? errorTexts.invalid;
  if (status === 429) return "الطلبات كثيرة الآن. انتظر قليلًا ثم أعد المحاولة.";
  if (status === 503) return "الخادم ما زال يجهّز الفهرس. أعد المحاولة بعد ثوانٍ.";
  if (status >= 500) return `حدث خطأ في الخادم (${status}).`;
  return `رفض الخادم الطلب (${status}).`;
}

/** @param {() => void} onRetry */
export function renderErrorTurn(turn, onRetry) {
  const retry = element("button", { type: "button", className: "button-secondary", "data-testid": "retry" }, "إعادة المحاولة");
  retry.addEventListener("click", onRetry);
  const detail = turn.error.message && turn.error.kind === "http"
    ? element("p", { className: "error-detail", dir: "auto" }, turn.error.message)
    : null;
  return element(
    "li",
    { className: "message message-error", "data-turn": turn.id, "data-testid": "error", role: "alert" },
    element("p", { className: "message-label" }, element("span", { className: "message-icon", "aria-hidden": "true" }, "!"), "تعذّرت الإجابة"),
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
    "جارٍ البحث في المصادر…",
  );
}
