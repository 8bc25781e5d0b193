// The interface language: one table of strings per language (./locales/*.js), chosen from the
// browser's languages on the first visit, switched in one click, remembered in localStorage.
// The page's direction follows the interface language; questions, quotes and titles keep their
// own (dir="auto" or the answer's language), whatever the interface says.
import ar from "./locales/ar.js";
import de from "./locales/de.js";
import en from "./locales/en.js";
import es from "./locales/es.js";
import fr from "./locales/fr.js";
import ru from "./locales/ru.js";

/** In the order the switcher shows them: the corpus's language first. */
export const TABLES = { ar, en, fr, de, es, ru };
export const LANGUAGES = Object.keys(TABLES);
/** For a visitor whose browser asks for none of ours. */
const FALLBACK = "en";
const STORAGE_KEY = "ask-sources:language:v1";
const RTL_LANGUAGES = new Set(["ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"]);

let language = FALLBACK;
const listeners = new Set();

/** The base of a BCP 47 tag: "ar-EG" → "ar". */
export const baseLanguage = (tag) => (tag || "").toLowerCase().split("-")[0];

const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/gu;
const ARABIC_LETTER = /\p{Script=Arabic}/gu;

/** How many letters a text has, and the share of them that `kind` (a /gu regexp) matches. */
function letterShare(text, kind) {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const matching = text.match(kind)?.length ?? 0;
  return { letters, share: letters > 0 ? matching / letters : 0 };
}

/**
 * The direction of a text by the majority of its strong letters, where dir="auto" would go by the
 * first one ("NATO ما موقفه؟" is right-to-left); "auto" when it has no letters.
 */
export function directionOfText(text) {
  const { letters, share } = letterShare(text, RTL_LETTER);
  if (letters === 0) return "auto";
  return share >= 0.5 ? "rtl" : "ltr";
}

/**
 * The language of a quoted source text, for screen readers: "ar" when most of its letters are in
 * Arabic script (the sources' language), else undefined (it then inherits its container's).
 */
export function sourceLanguageOf(text) {
  const { letters, share } = letterShare(text, ARABIC_LETTER);
  return letters > 0 && share >= 0.5 ? "ar" : undefined;
}

/** "ar" → "rtl", "en" → "ltr", unknown → "auto" (the browser decides from the text). */
export function directionOf(tag) {
  const base = baseLanguage(tag);
  if (!base) return "auto";
  return RTL_LANGUAGES.has(base) ? "rtl" : "ltr";
}

/** The stored choice if any, else the first of the browser's languages we have, else English. */
export function chooseLanguage(stored, browserLanguages) {
  if (LANGUAGES.includes(stored)) return stored;
  for (const tag of browserLanguages ?? []) {
    const base = baseLanguage(tag);
    if (LANGUAGES.includes(base)) return base;
  }
  return FALLBACK;
}

export function initLanguage() {
  language = chooseLanguage(readStored(), navigator.languages?.length ? navigator.languages : [navigator.language]);
  applyToDocument();
  return language;
}

export const currentLanguage = () => language;

/** Switches, remembers and re-renders (through the listeners); a no-op for the current language. */
export function setLanguage(next) {
  if (!LANGUAGES.includes(next) || next === language) return;
  language = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
  applyToDocument();
  for (const listener of listeners) listener(language);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

/**
 * The string for `key` in the interface language, with {name} filled from `params`. A plural entry
 * (an object) is chosen by params.count. A key missing from a table falls back to English.
 */
export function t(key, params = {}) {
  return fill(lookup(key, params), params);
}

/**
 * Like t(), but {name} may be filled with a DOM node (a <kbd>, a marker): returns the pieces to
 * append, so no HTML string is ever built.
 */
export function tNodes(key, params = {}) {
  const template = lookup(key, params);
  const pieces = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    pieces.push(template.slice(last, match.index));
    const value = params[match[1]];
    pieces.push(value instanceof Node ? value.cloneNode(true) : String(value ?? match[0]));
    last = match.index + match[0].length;
  }
  pieces.push(template.slice(last));
  return pieces.filter((piece) => piece !== "");
}

/** Display name of a language tag in the interface language ("ar" → "Arabic" / "العربية"). */
export function languageName(tag) {
  if (!tag) return "";
  try {
    return new Intl.DisplayNames([language], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function lookup(key, params) {
  const entry = TABLES[language][key] ?? TABLES[FALLBACK][key] ?? key;
  if (typeof entry === "string") return entry;
  const category = new Intl.PluralRules(language).select(Number(params.count ?? 0));
  return entry[category] ?? entry.other;
}

function fill(template, params) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/**
 * Sets the page's language and direction, and every string of the markup: data-i18n="key" sets
 * an element's text, data-i18n-attr="attribute:key; …" its attributes.
 */
function applyToDocument(root = document) {
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
  document.title = t("app.title");
  document.querySelector('meta[name="description"]')?.setAttribute("content", t("app.description"));
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of node.dataset.i18nAttr.split(";")) {
      const [attribute, key] = pair.split(":").map((part) => part.trim());
      if (attribute && key) node.setAttribute(attribute, t(key));
    }
  }
}

function readStored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
