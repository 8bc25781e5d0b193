// The documents of the corpus: a list filtered by title (in the source panel), and a short list
// for the welcome screen when the corpus offers no example questions. Titles are set as text.
import { languageName, t } from "./i18n.js";
import { DOCUMENTS_HASH, documentHash } from "./links.js";
import { element } from "./dom.js";

/** Documents named on the welcome screen before "All documents (n)". */
const INTRO_DOCUMENTS = 6;

/** What the filter compares: case, Arabic diacritics and letter variants folded away. */
export function searchKey(text) {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "") // Latin accents, Arabic harakat, tatweel
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ى/g, "ي")
    .replace(/ة/g, "ه")
    .replace(/\s+/g, " ")
    .trim();
}

/** "Arabic · 18 paragraphs · 20 sentences" in the interface language. */
export function documentSummary(doc) {
  const language = doc.meta?.language ? languageName(doc.meta.language) : t("documents.unknownLanguage");
  const parts = [language, t("documents.paragraphs", { count: doc.paragraphs })];
  if (Number.isFinite(doc.sentences)) parts.push(t("documents.sentences", { count: doc.sentences }));
  return parts.join(" · ");
}

/** Documents added through the API (their files are in corpus/uploads/): the only ones that can be deleted from here. */
export const isUploaded = (doc) => doc.id.startsWith("uploads-");

/**
 * The filterable list. `state.query` keeps the filter across re-renders (a language switch).
 * With `onDelete` (the page holds an admin token), each uploaded document gets a delete button.
 * @param {{ id: string, title: string, meta: { language?: string }, paragraphs: number, sentences: number }[]} documents
 * @param {{ query: string }} state
 * @param {{ onDelete?: (doc: object) => void }} [actions]
 */
export function renderDocumentList(documents, state, actions = {}) {
  const filter = element("input", {
    type: "search",
    className: "document-filter",
    "data-testid": "document-filter",
    placeholder: t("documents.filter"),
    "aria-label": t("documents.filter"),
    "aria-controls": "document-list",
    autocomplete: "off",
    spellcheck: "false",
    dir: "auto",
  });
  filter.value = state.query;
  const status = element("p", { className: "document-count", "aria-live": "polite", "data-testid": "document-count" });
  const list = element("ul", { id: "document-list", className: "document-list", "data-testid": "document-list" });
  const empty = element("p", { className: "document-none", hidden: "" });

  const items = documents.map((doc) => {
    const item = element(
      "li",
      {},
      element(
        "a",
        { href: documentHash(doc.id), className: "document-item", "data-testid": "document-item", "data-doc": doc.id },
        element("span", { className: "document-title", dir: "auto" }, doc.title || doc.id),
        element("span", { className: "document-meta" }, documentSummary(doc)),
      ),
    );
    if (actions.onDelete && isUploaded(doc)) {
      const remove = element("button", { type: "button", className: "document-delete", "aria-label": t("documents.deleteLabel", { title: doc.title || doc.id }), "data-testid": "document-delete" }, t("documents.delete"));
      remove.addEventListener("click", () => actions.onDelete(doc));
      item.classList.add("has-actions");
      item.append(remove);
    }
    return { item, key: searchKey(doc.title || doc.id) };
  });
  list.append(...items.map(({ item }) => item));

  const apply = () => {
    state.query = filter.value;
    const query = searchKey(filter.value);
    let shown = 0;
    for (const { item, key } of items) {
      item.hidden = query !== "" && !key.includes(query);
      if (!item.hidden) shown++;
    }
    const total = t("documents.count", { count: documents.length });
    status.textContent = shown === documents.length ? total : t("documents.matching", { shown, total });
    empty.hidden = shown > 0;
    empty.textContent = shown > 0 ? "" : t("documents.none", { query: filter.value.trim() });
  };
  filter.addEventListener("input", apply);
  apply();
  return { nodes: [filter, status, list, empty], filter };
}

/** The first few documents as links, and one to the whole list. */
export function renderIntroDocuments(documents) {
  const items = documents.slice(0, INTRO_DOCUMENTS).map((doc) =>
    element(
      "li",
      {},
      element(
        "a",
        { href: documentHash(doc.id), className: "intro-document", "data-testid": "intro-document" },
        element("span", { className: "document-title", dir: "auto" }, doc.title || doc.id),
        element("span", { className: "document-meta" }, documentSummary(doc)),
      ),
    ),
  );
  if (documents.length > INTRO_DOCUMENTS) {
    items.push(element("li", {}, element("a", { href: DOCUMENTS_HASH, className: "intro-all-documents" }, t("intro.allDocuments", { count: documents.length }))));
  }
  return items;
}
