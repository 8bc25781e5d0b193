// The conversation and the unsent draft, kept in sessionStorage so a reload loses neither.
// Turns: { id, role: "user", content }
//        { id, role: "assistant", replyTo, response: { answer, abstained, language, citations, passages? } }
//        { id, role: "error", replyTo, error: { kind, status, code, message } }

const CONVERSATION_KEY = "ask-sources:conversation:v1";
const DRAFT_KEY = "ask-sources:draft:v1";
/** Turns sent as context with a follow-up question (the API accepts at most 20). */
const HISTORY_TURNS = 6;
/** Long answers are cut in the history; the server only needs the gist of earlier turns. */
const HISTORY_CHARS = 1000;

export function loadConversation() {
  const turns = readJson(CONVERSATION_KEY);
  return Array.isArray(turns) ? turns.filter(isTurn) : [];
}

export function saveConversation(turns) {
  writeJson(CONVERSATION_KEY, turns);
}

export function loadDraft() {
  const draft = readJson(DRAFT_KEY);
  return typeof draft === "string" ? draft : "";
}

export function saveDraft(text) {
  writeJson(DRAFT_KEY, text);
}

/** The recent answered turns before `turn`, in the API's history format. */
export function historyBefore(turns, turn) {
  const end = turns.indexOf(turn);
  return turns
    .slice(0, end === -1 ? turns.length : end)
    .filter((t) => t.role === "user" || t.role === "assistant")
    .slice(-HISTORY_TURNS)
    .map((t) => ({ role: t.role, content: (t.role === "user" ? t.content : t.response.answer).slice(0, HISTORY_CHARS) }));
}

/** Closest passages kept with a refusal (the chat shows them); an answer's passages are not shown. */
const REFUSAL_PASSAGES = 3;

/** The stored part of an API answer. */
export function storedResponse(response) {
  const { answer, abstained, language, citations } = response;
  const stored = { answer, abstained: Boolean(abstained), language: typeof language === "string" ? language : "", citations };
  if (stored.abstained && Array.isArray(response.passages)) {
    stored.passages = response.passages
      .filter(isPassage)
      .slice(0, REFUSAL_PASSAGES)
      .map(({ docId, title, paragraph, start, end, text, score }) => ({ docId, title, paragraph, start, end, text, score }));
  }
  return stored;
}

function isPassage(p) {
  return p && typeof p.docId === "string" && typeof p.text === "string" && Number.isSafeInteger(p.start) && Number.isSafeInteger(p.end) && p.end > p.start;
}

export function newId() {
  // crypto.randomUUID exists only in secure contexts, and the page may be served over plain http.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function isTurn(t) {
  if (!t || typeof t.id !== "string") return false;
  if (t.role === "user") return typeof t.content === "string";
  if (t.role === "assistant") return typeof t.response?.answer === "string" && Array.isArray(t.response.citations);
  return t.role === "error" && typeof t.error === "object";
}

// Storage can be disabled or full; the chat still works, it just forgets on reload.
function readJson(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? "null");
  } catch {
    return null;
  }
}

function writeJson(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* see above */
  }
}
