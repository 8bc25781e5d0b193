// Wires the page: composer → API → conversation, citations → source panel, location hash ↔ panel.
import { getDocument, postAnswer } from "./api.js";
import { parseSpanHash, sameSpan, spanHash } from "./links.js";
import { renderAssistantTurn, renderErrorTurn, renderPending, renderUserTurn } from "./messages.js";
import { createSourcePanel } from "./source-panel.js";
import { historyBefore, loadConversation, loadDraft, newId, saveConversation, saveDraft, storedResponse } from "./store.js";

const $ = (id) => document.getElementById(id);
const form = $("composer");
const input = $("question");
const sendButton = $("send");
const log = $("conversation");
const intro = $("intro");

let turns = loadConversation();
/** Aborts the request in flight when the conversation is cleared. */
let inFlight = null;

const panel = createSourcePanel({
  panel: $("source-panel"),
  title: $("source-title"),
  location: $("source-location"),
  body: $("source-body"),
  closeButton: $("close-source"),
  loadDocument: getDocument,
  onClose: (returnFocusTo) => {
    if (parseSpanHash(window.location.hash)) history.replaceState(null, "", window.location.pathname + window.location.search);
    (returnFocusTo ?? input).focus();
  },
});

// ---- conversation ----

function renderTurn(turn) {
  if (turn.role === "user") return renderUserTurn(turn);
  if (turn.role === "assistant") return renderAssistantTurn(turn);
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
  const node = append(reply);
  node.scrollIntoView({ block: "start" });
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
}

// ---- citations and the location hash ----

/** The citations of the answer a link belongs to (or, for a shared link, the latest answer citing that span). */
function relatedCitations(span, turnId) {
  const answers = turns.filter((t) => t.role === "assistant");
  const turn = turnId
    ? answers.find((t) => t.id === turnId)
    : answers.findLast((t) => t.response.citations.some((c) => sameSpan(c, span)));
  return turn?.response.citations ?? [];
}

function openFromHash() {
  const span = parseSpanHash(window.location.hash);
  if (span) panel.open(span, { related: relatedCitations(span) });
  else panel.close();
}

log.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-testid=citation]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const span = parseSpanHash(link.getAttribute("href") ?? "");
  if (!span) return;
  event.preventDefault();
  // pushState (no hashchange event): the panel opens with this answer's context, and Back closes it.
  if (window.location.hash !== spanHash(span)) history.pushState(null, "", spanHash(span));
  panel.open(span, { related: relatedCitations(span, link.dataset.turn), trigger: link });
});

// Back/Forward between citations, or a link pasted into the address bar.
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

input.addEventListener("input", () => saveDraft(input.value));

$("new-conversation").addEventListener("click", newConversation);

for (const example of document.querySelectorAll(".example")) {
  example.addEventListener("click", () => {
    setDraft(example.textContent ?? "");
    ask(input.value);
  });
}

// ---- start ----

// A reload while a question was in flight leaves it unanswered: offer to send it again.
if (turns.at(-1)?.role === "user") {
  const last = turns.at(-1);
  turns.push({ id: newId(), role: "error", replyTo: last.id, error: { kind: "interrupted", status: 0, code: "", message: "" } });
  saveConversation(turns);
}
renderAll();
input.value = loadDraft();
openFromHash();
