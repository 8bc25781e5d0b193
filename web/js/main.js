// Wires the page: interface language, composer → API → conversation, links → source panel,
// location hash ↔ panel, welcome examples (or documents) from the corpus.
import { forgetDocuments, getDocument, getDocumentList, postAnswer } from "./api.js";
import { forgetAdminToken, takeAdminToken } from "./admin.js";
import { createUploads } from "./uploads.js";
import { element } from "./dom.js";
import { renderIntroDocuments } from "./documents.js";
import { baseLanguage, currentLanguage, directionOf, directionOfText, initLanguage, LANGUAGES, onLanguageChange, setLanguage, t, TABLES, tNodes } from "./i18n.js";
import { parseHash, sameSpan } from "./links.js";
import { renderAssistantTurn, renderErrorTurn, renderPending, renderUserTurn } from "./messages.js";
import { createSourcePanel } from "./source-panel.js";
import { historyBefore, loadConversation, loadDraft, newId, saveConversation, saveDraft, storedResponse } from "./store.js";

/** Example questions shown on the welcome screen. */
const MAX_EXAMPLES = 4;

initLanguage();
/** Before anything reads the address: the token leaves it at once. */
const adminToken = takeAdminToken();

const $ = (id) => document.getElementById(id);
const form = $("composer");
const input = $("question");
const sendButton = $("send");
const log = $("conversation");
const intro = $("intro");
const announcer = $("announcer");

let turns = loadConversation();

// Adding and removing documents, only with an admin token (npm start's link).
const uploads = adminToken
  ? createUploads({
      token: adminToken,
      onChanged: (removedId) => {
        forgetDocuments(removedId);
        welcome = null;
        renderWelcome();
        panel.refresh();
      },
      onTokenRefused: forgetAdminToken,
    })
  : null;
/** Aborts the request in flight when the conversation is cleared. */
let inFlight = null;

const panel = createSourcePanel({
  panel: $("source-panel"),
  kicker: $("source-kicker"),
  title: $("source-title"),
  location: $("source-location"),
  nav: $("source-nav"),
  body: $("source-body"),
  closeButton: $("close-source"),
  loadDocument: getDocument,
  loadDocumentList: getDocumentList,
  documentTools: uploads && { node: () => uploads.node, onDelete: uploads.remove },
  onClose: (returnFocusTo) => {
    if (parseHash(window.location.hash)) history.replaceState(null, "", window.location.pathname + window.location.search);
    (returnFocusTo ?? input).focus();
  },
});

/** Says something to screen readers without moving focus (a copy's confirmation). */
function announce(message) {
  announcer.textContent = "";
  // A new text node on the next frame, so the same message twice is announced twice.
  requestAnimationFrame(() => (announcer.textContent = message));
}

// ---- interface language ----

function renderLanguageSwitcher() {
  const buttons = LANGUAGES.map((language) => {
    const table = TABLES[language];
    const button = element(
      "button",
      {
        type: "button",
        className: "language-option",
        lang: language,
        "data-testid": `language-${language}`,
        "aria-pressed": String(language === currentLanguage()),
        "aria-label": table["language.name"],
        title: table["language.name"],
      },
      table["language.short"],
    );
    // One tab stop for the whole switcher (the chosen language); arrow keys move between languages.
    button.tabIndex = language === currentLanguage() ? 0 : -1;
    button.addEventListener("click", () => setLanguage(language));
    return button;
  });
  $("language-switcher").replaceChildren(...buttons);
}

$("language-switcher").addEventListener("keydown", (event) => {
  const buttons = [...$("language-switcher").querySelectorAll("button")];
  const index = buttons.indexOf(document.activeElement);
  if (index === -1) return;
  // Visual order: in a right-to-left page the next language is to the left.
  const forward = document.documentElement.dir === "rtl" ? "ArrowLeft" : "ArrowRight";
  const backward = forward === "ArrowLeft" ? "ArrowRight" : "ArrowLeft";
  const next = { [forward]: index + 1, [backward]: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const target = buttons[(next + buttons.length) % buttons.length];
  for (const button of buttons) button.tabIndex = button === target ? 0 : -1;
  target.focus();
});

/** The strings with markup inside them: the [1] marker of the intro, the keys of the hint. */
function renderTemplates() {
  $("intro-text").replaceChildren(...tNodes("intro.text", { marker: element("span", { className: "example-marker" }, "[1]") }));
  const key = (name) => element("kbd", {}, t(name));
  $("composer-hint").replaceChildren(...tNodes("composer.hint", { enter: key("keys.enter"), shift: key("keys.shift") }));
}

onLanguageChange(() => {
  const focusedLanguage = document.activeElement?.closest?.("#language-switcher")?.contains(document.activeElement)
    ? document.activeElement.getAttribute("lang")
    : null;
  renderLanguageSwitcher();
  renderTemplates();
  renderAll();
  renderWelcome();
  onDraftChange();
  uploads?.render();
  panel.refresh();
  // The switcher was redrawn: keep the keyboard where it was.
  if (focusedLanguage) $("language-switcher").querySelector(`[lang="${focusedLanguage}"]`)?.focus();
});

// ---- welcome: the corpus's own example questions, or its documents ----

let welcome = null;

async function renderWelcome() {
  let list;
  try {
    list = welcome ?? (welcome = await getDocumentList());
  } catch {
    return; // the welcome text stands alone; the documents button retries
  }
  const examples = orderExamples(list.examples).slice(0, MAX_EXAMPLES);
  $("intro-examples").hidden = examples.length === 0;
  $("intro-documents").hidden = examples.length > 0;
  if (examples.length > 0) {
    $("examples").replaceChildren(
      ...examples.map((example) => {
        // An explicit direction when the corpus names the language: dir="auto" on a button is not
        // honoured everywhere, and an English question in an Arabic page would end "?Who…".
        const button = element("button", { type: "button", className: "example", dir: directionOf(example.language), lang: example.language || undefined }, example.question);
        button.addEventListener("click", () => {
          setDraft(example.question);
          ask(input.value);
        });
        return element("li", {}, button);
      }),
    );
  } else {
    $("intro-document-list").replaceChildren(...renderIntroDocuments(list.documents));
  }
}

/** Questions in the interface language first; the rest keep the corpus's order. */
function orderExamples(examples) {
  const mine = (e) => baseLanguage(e.language) === currentLanguage();
  return [...examples.filter(mine), ...examples.filter((e) => !mine(e))];
}

// ---- conversation ----

function renderTurn(turn) {
  if (turn.role === "user") return renderUserTurn(turn);
  if (turn.role === "assistant") return renderAssistantTurn(turn, { announce });
  return renderErrorTurn(turn, () => retry(turn));
}

function renderAll() {
  log.replaceChildren(...turns.map(renderTurn));
  intro.hidden = turns.length > 0;
}

function append(turn) {
  turns.push(turn);
  saveConversation(turns);
  const node = renderTurn(turn);
  log.append(node);
  intro.hidden = true;
  return node;
}

function setBusy(busy) {
  sendButton.disabled = busy;
  form.setAttribute("aria-busy", String(busy));
}

/** Sends `question`; `userTurn` is given when retrying a question already in the conversation. */
async function ask(question, userTurn = null) {
  const text = question.trim();
  if (!text || inFlight) return;
  if (!userTurn) {
    userTurn = { id: newId(), role: "user", content: text };
    append(userTurn);
  }
  if (input.value.trim() === text) setDraft("");

  const controller = new AbortController();
  inFlight = controller;
  setBusy(true);
  const pending = renderPending();
  log.append(pending);
  pending.scrollIntoView({ block: "nearest" });

  let reply;
  try {
    const response = await postAnswer({ question: text, history: historyBefore(turns, userTurn), signal: controller.signal });
    reply = { id: newId(), role: "assistant", replyTo: userTurn.id, response: storedResponse(response) };
  } catch (error) {
    if (controller.signal.aborted) return; // the conversation was cleared meanwhile
    reply = { id: newId(), role: "error", replyTo: userTurn.id, error: toErrorInfo(error) };
    // Never lose what was typed: put the question back unless a new draft is being written.
    if (!input.value.trim()) setDraft(text);
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      setBusy(false);
      pending.remove();
    }
  }
  append(reply);
  // The question stays in view above the start of its answer.
  log.querySelector(`[data-turn="${CSS.escape(userTurn.id)}"]`)?.scrollIntoView({ block: "start" });
  if (document.activeElement === document.body || document.activeElement === sendButton) input.focus();
}

function toErrorInfo(error) {
  if (typeof error?.toJSON === "function") return error.toJSON();
  return { kind: "invalid", status: 0, code: "", message: String(error?.message ?? error) };
}

function retry(errorTurn) {
  if (inFlight) return;
  const userTurn = turns.find((t) => t.id === errorTurn.replyTo);
  turns = turns.filter((t) => t !== errorTurn);
  saveConversation(turns);
  log.querySelector(`[data-turn="${CSS.escape(errorTurn.id)}"]`)?.remove();
  if (userTurn) ask(userTurn.content, userTurn);
}

function newConversation() {
  inFlight?.abort();
  inFlight = null;
  setBusy(false);
  turns = [];
  saveConversation(turns);
  panel.close();
  renderAll();
  input.focus();
}

function setDraft(text) {
  input.value = text;
  saveDraft(text);
  onDraftChange();
}

// Near the limit the box says how much is left: a longer paste is cut at maxlength, silently otherwise.
const COUNT_FROM = 0.9;
function onDraftChange() {
  input.dir = directionOfText(input.value);
  const counter = $("composer-count");
  counter.hidden = input.value.length < COUNT_FROM * input.maxLength;
  counter.textContent = counter.hidden ? "" : t("composer.count", { count: input.value.length, max: input.maxLength });
}

// ---- links, the source panel and the location hash ----

/** The citations of the answer a link belongs to (or, for a shared link, the latest answer citing that span). */
function relatedCitations(span, turnId) {
  const answers = turns.filter((t) => t.role === "assistant");
  const turn = turnId
    ? answers.find((t) => t.id === turnId)
    : answers.findLast((t) => t.response.citations.some((c) => sameSpan(c, span)));
  return turn?.response.citations ?? [];
}

/** Whether a span is one of the conversation's closest passages (a refusal's), not a citation. */
function isClosestPassage(span) {
  return turns.some((t) => t.role === "assistant" && (t.response.passages ?? []).some((p) => sameSpan(p, span)));
}

/** Shows what a hash names; `link` is the element followed, if any. */
function show(view, link = null) {
  if (view.kind === "documents") return panel.openDocuments({ trigger: link });
  if (view.kind === "document") return panel.openDocument(view.docId, { paragraph: view.paragraph, trigger: link });
  const closest = link ? link.dataset.testid === "closest-passage" : isClosestPassage(view) && relatedCitations(view).length === 0;
  const related = closest ? [] : relatedCitations(view, link?.dataset.turn);
  return panel.open(view, { related, closest, trigger: link });
}

function openFromHash() {
  const view = parseHash(window.location.hash);
  if (view) show(view);
  else panel.close();
}

// Every in-page link the app draws (citations, closest passages, documents, paragraph numbers).
document.addEventListener("click", (event) => {
  const link = event.target.closest?.('a[href^="#"]');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const hash = link.getAttribute("href") ?? "";
  const view = parseHash(hash);
  if (!view) return;
  event.preventDefault();
  // pushState (no hashchange event): the panel opens with this link's context, and Back returns.
  if (window.location.hash !== hash) history.pushState(null, "", hash);
  // A link inside the panel keeps focus returning to what opened the panel in the first place.
  show(view, link.closest("#source-panel") ? null : link);
});

// Back/Forward between views, or a link pasted into the address bar.
window.addEventListener("hashchange", openFromHash);

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && panel.isOpen()) {
    event.preventDefault();
    panel.close();
  }
});

// ---- composer ----

form.addEventListener("submit", (event) => {
  event.preventDefault();
  ask(input.value);
});

input.addEventListener("keydown", (event) => {
  // isComposing: Enter that confirms an IME composition must not send.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

input.addEventListener("input", () => {
  saveDraft(input.value);
  onDraftChange();
});

$("new-conversation").addEventListener("click", newConversation);

// ---- start ----

// A reload while a question was in flight leaves it unanswered: offer to send it again.
if (turns.at(-1)?.role === "user") {
  const last = turns.at(-1);
  turns.push({ id: newId(), role: "error", replyTo: last.id, error: { kind: "interrupted", status: 0, code: "", message: "" } });
  saveConversation(turns);
}
renderLanguageSwitcher();
renderTemplates();
renderAll();
renderWelcome();
input.value = loadDraft();
onDraftChange();
openFromHash();
