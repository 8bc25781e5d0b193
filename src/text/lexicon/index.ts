// Optional lexicons for matching questions against Arabic text without a neural model: English,
// French, German, Spanish and Russian → Arabic translations and Arabic synonyms.
//
// The data is GPL-licensed (Debian's FreeDict dictionaries, Mueller's dictionary, mythes-ar), so it
// is not part of this MIT product: a user builds it on their own machine with `npm run lexicons`
// (scripts/build-lexicon.ts) into the git-ignored lexicons/ folder. This module is the core, with
// no file access, so it runs in a Worker too: it turns already-parsed files into a `Lexicons`
// object. `noLexicons` is the default everywhere; load-node.ts reads the files on Node.
import { englishLemmaCandidates } from "./english-lemma";
import { foldArabic } from "./fold";
import { foldLatin, pivotLemmaCandidates } from "./pivot-lemma";
import { foldRussian, russianLemmaCandidates, russianStem } from "./russian";

/** The lexicon files `npm run lexicons` writes, by name (the file is `${name}.json`). */
export const LEXICON_NAMES = ["en-ar", "ar-synonyms", "fr-ar", "de-ar", "es-ar", "ru-ar"] as const;
export type LexiconName = (typeof LEXICON_NAMES)[number];

/** What each lexicon is for, for people reading /api/health or the build's output. */
export const LEXICON_PURPOSES: Record<LexiconName, string> = {
  "en-ar": "English → Arabic",
  "ar-synonyms": "Arabic synonyms",
  "fr-ar": "French → Arabic",
  "de-ar": "German → Arabic",
  "es-ar": "Spanish → Arabic",
  "ru-ar": "Russian → Arabic",
};

/** One lexicon file as scripts/build-lexicon.ts writes it (JSON). */
export interface LexiconFile {
  format?: string;
  /** The licence of the data (an SPDX-like expression, "GPL-2+"). */
  licence: string;
  /** The Debian packages and versions it was built from. */
  sources: string[];
  /** "key<TAB>value value …", values best first. */
  entries: string[];
}

/** A loaded lexicon as /api/health reports it. */
export interface LexiconSummary {
  name: LexiconName;
  purpose: string;
  entries: number;
  licence: string;
  sources: string[];
}

export interface Lexicons {
  /**
   * Folded Arabic words for a word of a question in `language` ("en", "fr", "de", "es", "ru"), best
   * first; [] when unknown, for other languages, or when that language's lexicon is not loaded.
   */
  translateToArabic(word: string, language: string): string[];
  /** Folded synonyms of an Arabic word, best first; [] when unknown or without the thesaurus. */
  arabicSynonyms(word: string): string[];
  /** The lexicons loaded, in LEXICON_NAMES order; empty for `noLexicons`. */
  loaded: LexiconSummary[];
}

/** The default: no translations, no synonyms (the multilingual model, when present, bridges languages). */
export const noLexicons: Lexicons = {
  translateToArabic: () => [],
  arabicSynonyms: () => [],
  loaded: [],
};

/** Whether a parsed JSON value has the shape of a lexicon file (checked before it is used). */
export function isLexiconFile(value: unknown): value is LexiconFile {
  if (typeof value !== "object" || value === null) return false;
  const file = value as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((item) => typeof item === "string");
  return typeof file.licence === "string" && strings(file.sources) && strings(file.entries) && (file.entries as string[]).every((line) => line.includes("\t"));
}

/** Lexicons over whichever files are given; a missing file only disables what it is for. */
export function createLexicons(files: Partial<Record<LexiconName, LexiconFile>>): Lexicons {
  const english = files["en-ar"] && lazyMap(files["en-ar"]);
  const synonyms = files["ar-synonyms"] && lazyMap(files["ar-synonyms"]);
  const pivots: Record<string, PivotMaps | undefined> = {
    fr: files["fr-ar"] && pivotMaps(files["fr-ar"]),
    de: files["de-ar"] && pivotMaps(files["de-ar"]),
    es: files["es-ar"] && pivotMaps(files["es-ar"]),
  };
  const russian = files["ru-ar"] && russianMaps(files["ru-ar"]);
  return {
    translateToArabic(word, language) {
      if (language === "en") return english ? translateEnglish(english(), word) : [];
      if (language === "ru") return russian ? translateRussian(russian, word) : [];
      const maps = pivots[language];
      return maps ? translatePivot(maps, word, language) : [];
    },
    arabicSynonyms: (word) => (synonyms ? lookupSynonyms(synonyms(), word) : []),
    loaded: LEXICON_NAMES.flatMap((name) => {
      const file = files[name];
      if (file === undefined) return [];
      return [{ name, purpose: LEXICON_PURPOSES[name], entries: file.entries.length, licence: file.licence, sources: file.sources }];
    }),
  };
}

/** Key → its values still space-joined, built on first use: splitting only the entries looked up halves the build time. */
function lazyMap(file: LexiconFile): () => Map<string, string> {
  let map: Map<string, string> | undefined;
  return () => {
    if (map === undefined) {
      map = new Map();
      for (const line of file.entries) {
        const tab = line.indexOf("\t");
        map.set(line.slice(0, tab), line.slice(tab + 1));
      }
    }
    return map;
  };
}

// ---------- English ----------

/**
 * Folded Arabic words for an English word, best first; [] when unknown. When the exact form is
 * missing, tries its likely base forms ("escalating" → escalate, "countries" → country).
 */
function translateEnglish(map: Map<string, string>, word: string): string[] {
  const english = word.trim().toLowerCase();
  if (english.length === 0) return [];
  const exact = map.get(english);
  if (exact !== undefined) return exact.split(" ");
  for (const lemma of englishLemmaCandidates(english)) {
    const found = map.get(lemma);
    if (found !== undefined) return found.split(" ");
  }
  return [];
}

// ---------- French, German, Spanish (pivoted through English when built) ----------

/** Exact (lowercase, accents kept) and accent-folded lookups into one pivot file. */
interface PivotMaps {
  exact: () => Map<string, string>;
  folded: () => Map<string, string>;
}
function pivotMaps(file: LexiconFile): PivotMaps {
  const exact = lazyMap(file);
  let folded: Map<string, string> | undefined;
  return {
    exact,
    folded: () => {
      if (folded === undefined) {
        folded = new Map();
        // Keys are sorted, so an unaccented key ("peche") wins over accented ones folding onto it.
        for (const [key, values] of exact()) if (!folded.has(foldLatin(key))) folded.set(foldLatin(key), values);
      }
      return folded;
    },
  };
}
const MAX_TRANSLATIONS = 4;
// German compounds (Grenzpolitik) are split into a head of at least this many letters and a tail.
const SHORTEST_COMPOUND_PART = 3;
const SHORTEST_COMPOUND_TAIL = 4;
// Linking elements between the parts of a German compound: Sicherheit-s-politik, Grenz(e)-politik.
const LINKED_FORMS = (head: string) => [head, head + "e", head.replace(/e?s$/, ""), head.replace(/e?n$/, "")];

/**
 * Tries the exact spelling, then accent-folded, then likely base forms ("déployées" → déployer,
 * "países" → país); German compounds missing from the dictionary are split ("Grenzpolitik" →
 * Grenze + Politik).
 */
function translatePivot(maps: PivotMaps, word: string, language: string): string[] {
  const lower = word.trim().normalize("NFC").toLowerCase();
  if (lower.length === 0) return [];
  const found = lookupPivot(maps, lower, language);
  if (found !== undefined) return found.split(" ");
  return language === "de" ? lookupCompound(maps, lower) : [];
}

/**
 * Arabic of a word or, failing that, of its likely base forms. Every form is tried as spelt before
 * any is tried accent-folded: "signé" is signer's participle, not signe.
 */
function lookupPivot(maps: PivotMaps, word: string, language: string): string | undefined {
  const forms = [word, ...pivotLemmaCandidates(word, language)];
  for (const form of forms) {
    const found = maps.exact().get(form);
    if (found !== undefined) return found;
  }
  for (const form of forms) {
    const found = maps.folded().get(foldLatin(form));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The lists' first items, then their second ones, and so on, without repeats, at most `max`. */
function interleave(lists: string[][], max: number): string[] {
  const merged: string[] = [];
  for (let i = 0; i < Math.max(0, ...lists.map((l) => l.length)); i++) {
    for (const list of lists) if (list[i] !== undefined && !merged.includes(list[i])) merged.push(list[i]);
  }
  return merged.slice(0, max);
}

/** A German compound's parts' translations, tail (the compound's head noun) first, alternating. */
function lookupCompound(maps: PivotMaps, word: string): string[] {
  for (let split = SHORTEST_COMPOUND_PART; split <= word.length - SHORTEST_COMPOUND_TAIL; split++) {
    const tail = lookupPivot(maps, word.slice(split), "de");
    if (tail === undefined) continue;
    const head = LINKED_FORMS(word.slice(0, split))
      .filter((form) => form.length >= SHORTEST_COMPOUND_PART)
      .map((form) => lookupPivot(maps, form, "de"))
      .find((found) => found !== undefined);
    if (head === undefined) continue;
    return interleave([tail.split(" "), head.split(" ")], MAX_TRANSLATIONS);
  }
  return [];
}

// ---------- Russian (inverted from English → Russian dictionaries when built) ----------

interface RussianMaps {
  exact: () => Map<string, string>;
  /** Dictionary forms by Snowball stem, in key order. */
  byStem: () => Map<string, string[]>;
}
function russianMaps(file: LexiconFile): RussianMaps {
  const exact = lazyMap(file);
  let byStem: Map<string, string[]> | undefined;
  return {
    exact,
    byStem: () => {
      if (byStem === undefined) {
        byStem = new Map();
        for (const lemma of exact().keys()) {
          const stem = russianStem(lemma);
          const lemmas = byStem.get(stem);
          if (lemmas === undefined) byStem.set(stem, [lemma]);
          else lemmas.push(lemma);
        }
      }
      return byStem;
    },
  };
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Folded Arabic words for a Russian word, best first: its own entry, else its guessed dictionary
 * form's (ядерного → ядерный), else that of the entry sharing its stem and most of its spelling
 * (странами → страна rather than странный).
 */
function translateRussian(maps: RussianMaps, word: string): string[] {
  const russian = foldRussian(word.trim());
  if (russian.length === 0) return [];
  const map = maps.exact();
  for (const form of [russian, ...russianLemmaCandidates(russian)]) {
    const found = map.get(form);
    if (found !== undefined) return found.split(" ");
  }
  const lemmas = maps.byStem().get(russianStem(russian)) ?? [];
  let best: string | undefined;
  for (const lemma of lemmas) {
    if (best === undefined || commonPrefixLength(lemma, russian) > commonPrefixLength(best, russian)) best = lemma;
  }
  return best === undefined ? [] : map.get(best)!.split(" ");
}

// ---------- Arabic synonyms ----------

const ARTICLE = "ال";
// "ال" + at least two letters, so words like الم or الي are not read as article + stem.
const MIN_WITH_ARTICLE = ARTICLE.length + 2;

/** Folded synonyms of an Arabic word, best first; also tries it with the article ال removed or added. */
function lookupSynonyms(map: Map<string, string>, word: string): string[] {
  const arabic = foldArabic(word.trim());
  if (arabic.length === 0) return [];
  const variants = [arabic];
  if (arabic.startsWith(ARTICLE) && arabic.length >= MIN_WITH_ARTICLE) variants.push(arabic.slice(ARTICLE.length));
  else variants.push(ARTICLE + arabic);
  const synonyms: string[] = [];
  for (const variant of variants) {
    for (const synonym of map.get(variant)?.split(" ") ?? []) {
      if (synonym !== arabic && !synonyms.includes(synonym)) synonyms.push(synonym);
    }
  }
  return synonyms;
}
