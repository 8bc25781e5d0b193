// npm run lexicons: builds the optional lexicons into lexicons/ (git-ignored) on the user's own
// machine — en-ar.json, ar-synonyms.json, fr-ar.json, de-ar.json, es-ar.json, ru-ar.json and
// LICENSE.md — from the installed Debian packages dict-freedict-eng-ara, dict-freedict-ara-eng,
// mythes-ar, scowl, dict-freedict-{fra,deu,spa}-eng, dict-freedict-eng-rus and mueller7-dict, so
// English, French, German, Spanish and Russian questions can be matched against Arabic text, and
// Arabic queries expanded with synonyms, without a neural model. The French, German and Spanish
// files pivot through English: X → English glosses → en-ar; the Russian one inverts English →
// Russian dictionaries.
//
// The data is GPL-licensed (its sources are), unlike this MIT product: that is why it is built
// here rather than shipped, and why the build prints the licence of each file and writes the
// sources' terms to lexicons/LICENSE.md. The server uses the files when present (/api/health lists them).
//
// Run: npm run lexicons [-- --out DIR] [-- --check]   (the output depends only on the installed
// package files; --check compares with the files already built instead of writing them, exit 1 if stale)

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { createError } from "../src/errors";
import { englishLemmaCandidates } from "../src/text/lexicon/english-lemma";
import { foldArabic } from "../src/text/lexicon/fold";
import { foldRussian, russianLemmaCandidates, russianStem } from "../src/text/lexicon/russian";
import { ENGLISH_STOP_WORDS, RUSSIAN_STOP_WORDS } from "../src/text/stop-words";

export interface DictEntry {
  headword: string;
  /** One translation per line of the entry, numbering removed, as written. */
  senses: string[];
}
export interface ThesaurusEntry {
  word: string;
  /** One list of synonyms per sense, part-of-speech tag removed, as written. */
  senses: string[][];
}
export interface BuildOptions {
  maxTranslations: number;
  maxSynonyms: number;
  /** Longer English headwords are compounds or junk that a question tokenizer never produces. */
  maxEnglishLength: number;
  /** Longer Arabic "words" are run-together phrases in the sources. */
  maxArabicLength: number;
  /** Keeps the file small: English headwords outside this set (rare words) are dropped. */
  isCommonEnglish: (word: string) => boolean;
}
const defaults: BuildOptions = {
  maxTranslations: 6,
  maxSynonyms: 10,
  maxEnglishLength: 20,
  maxArabicLength: 15,
  isCommonEnglish: () => true,
};
// SCOWL's commonness scale (10 … 95); 60 is its "recommended for spell checking" size, and keeps
// en-ar.json under 2 MB while dropping only rare and obsolete words.
const SCOWL_MAX_LEVEL = 60;

// Function words that carry no meaning for matching; a translation made only of them ("who" → من)
// would match almost every sentence. Stored folded, as the data is.
const ARABIC_STOP_WORDS = new Set(
  (
    "من الي علي عن في مع ثم او ام ان لا لم لن ما ماذا هذا هذه ذلك تلك هو هي هم هن انا نحن انت " +
    "الذي التي الذين اللذان اللتان كان كانت قد لقد بين كل بعض غير عند حتي اذا اذ لكن يا ايضا " +
    "به بها له لها منه منها فيه فيها عليه عليها الخ اي " +
    // adverb fillers: "in a … way" (بطريقه مستعصيه → insurmountably)
    "بشكل بطريقه بصوره"
  ).split(" "),
);
const ARABIC_WORD_SEPARATORS = /[^\u0621-\u063a\u0641-\u064a]+/;
const PARENTHESIZED = /\([^()]*\)/g;
const ENGLISH_WORD = /^[a-z]+$/;

// ---------- dictd (FreeDict) ----------

const DICTD_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** dictd index numbers are base-64 with their own digit order ("A" = 0, "BA" = 64). */
export function decodeDictdNumber(text: string): number {
  let value = 0;
  for (const digit of text) {
    const d = DICTD_DIGITS.indexOf(digit);
    if (d < 0) throw new Error(`"${text}" is not a dictd base-64 number`);
    value = value * 64 + d;
  }
  return value;
}

// The metadata rows' names: 00databaseinfo (dictfmt 1.13), 00-database-info (older dictfmt).
const DICTD_METADATA = /^00-?database/;

/** Lines "headword<TAB>offset<TAB>length"; the 00database* rows are metadata, not words. */
export function parseDictdIndex(text: string): { headword: string; offset: number; length: number }[] {
  return text
    .split("\n")
    .filter((line) => line.length > 0 && !DICTD_METADATA.test(line))
    .map((line) => {
      const [headword, offset, length] = line.split("\t");
      return { headword, offset: decodeDictdNumber(offset), length: decodeDictdNumber(length) };
    });
}

/** An entry is "Headword /ipa/" then one translation a line, numbered "1. " when there are several. */
export function parseDictdEntry(text: string): DictEntry {
  const [first, ...rest] = text.split("\n");
  return {
    headword: first.replace(/\s*\/[^/]*\/\s*$/, "").trim(),
    senses: rest.map((line) => line.replace(/^\s*\d+\.\s+/, "").trim()).filter((line) => line.length > 0),
  };
}

/**
 * The index's byte offsets point into the uncompressed .dict text. The headword is taken from the
 * entry, not the index: the index drops punctuation ("ديسمبر/كانون الأول" → ديسمبركانون الأول).
 */
export function readDictd(indexText: string, dict: Uint8Array): DictEntry[] {
  return readDictdTexts(indexText, dict).map(parseDictdEntry);
}

/** The raw text of every entry, in index order. */
export function readDictdTexts(indexText: string, dict: Uint8Array): string[] {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return parseDictdIndex(indexText).map(({ offset, length }) => decoder.decode(dict.subarray(offset, offset + length)));
}

// ---------- MyThes ----------

/** First line is the encoding; then "word|senseCount" followed by that many "(pos)|syn|syn" lines. */
export function parseMythes(text: string): ThesaurusEntry[] {
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  const encoding = lines[0].trim().toUpperCase();
  if (encoding !== "UTF-8") throw new Error(`thesaurus encoding is ${lines[0]}, expected UTF-8`);
  const entries: ThesaurusEntry[] = [];
  for (let i = 1; i < lines.length; ) {
    const head = /^(.+)\|(\d+)$/.exec(lines[i]);
    if (!head) {
      i++;
      continue;
    }
    const count = Number(head[2]);
    const senses = lines.slice(i + 1, i + 1 + count).map((line) => line.split("|").slice(1));
    entries.push({ word: head[1], senses });
    i += 1 + count;
  }
  return entries;
}

// ---------- building ----------

/** Folded Arabic content words of a phrase; parenthesized glosses and non-Arabic text are dropped. */
export function arabicWords(phrase: string, options: Pick<BuildOptions, "maxArabicLength"> = defaults): string[] {
  return foldArabic(phrase.replace(PARENTHESIZED, " "))
    .split(ARABIC_WORD_SEPARATORS)
    .filter((w) => w.length >= 2 && w.length <= options.maxArabicLength && !ARABIC_STOP_WORDS.has(w));
}

/** Candidates with scores, best first; ties keep the order they were first seen in (the source's order). */
class Ranking {
  private readonly scores = new Map<string, number>();
  add(item: string, score: number): void {
    this.scores.set(item, (this.scores.get(item) ?? 0) + score);
  }
  /** Adds another ranking's scores, scaled. */
  merge(other: Ranking, factor: number): void {
    for (const [item, score] of other.scores) this.add(item, score * factor);
  }
  top(n: number): string[] {
    return [...this.scores.entries()]
      .map(([item, score], seen) => ({ item, score, seen }))
      .sort((a, b) => b.score - a.score || a.seen - b.seen)
      .slice(0, n)
      .map((r) => r.item);
  }
}

function getOrCreate<T>(map: Map<string, T>, key: string, create: () => T): T {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

function sortedEntries(rankings: Map<string, Ranking>, limit: number): [string, string[]][] {
  return [...rankings.keys()]
    .sort() // code-unit order: the same on every machine, unlike localeCompare
    .map((key): [string, string[]] => [key, rankings.get(key)!.top(limit)])
    .filter(([, values]) => values.length > 0);
}

// Direct eng→ara translations outrank glosses inverted from ara→eng; an Arabic entry with many
// English glosses (الإدارة: admin … rotating, revolving) says little about each, so it weighs less.
const DIRECT_WEIGHT = 2;

/** English word → Arabic words, best first. Only single-word English headwords are kept. */
export function buildEnglishArabic(
  engAra: DictEntry[],
  araEng: DictEntry[],
  options: Partial<BuildOptions> = {},
): [string, string[]][] {
  const o = { ...defaults, ...options };
  const isWord = (w: string) => ENGLISH_WORD.test(w) && w.length <= o.maxEnglishLength && o.isCommonEnglish(w);
  const rankings = new Map<string, Ranking>();
  for (const { headword, senses } of engAra) {
    const english = headword.toLowerCase().trim();
    if (!isWord(english)) continue;
    const ranking = getOrCreate(rankings, english, () => new Ranking());
    senses.forEach((sense, i) => {
      for (const w of arabicWords(sense, o)) ranking.add(w, DIRECT_WEIGHT / (i + 1));
    });
  }
  for (const { headword, senses } of araEng) {
    const arabic = arabicWords(headword, o);
    if (arabic.length === 0) continue;
    const weight = 1 / (senses.length * arabic.length);
    for (const gloss of senses) {
      const english = gloss.toLowerCase().replace(/^to\s+/, "").trim();
      if (!isWord(english)) continue;
      const ranking = getOrCreate(rankings, english, () => new Ranking());
      for (const w of arabic) ranking.add(w, weight);
    }
  }
  return sortedEntries(rankings, o.maxTranslations);
}

/**
 * Folded Arabic word → folded single-word synonyms: the word's own senses first, then the
 * headwords that list it (the thesaurus is one-directional; synonymy is not).
 */
export function buildSynonyms(thesaurus: ThesaurusEntry[], options: Partial<BuildOptions> = {}): [string, string[]][] {
  const o = { ...defaults, ...options };
  const singleWord = (phrase: string): string | undefined => {
    const words = foldArabic(phrase.replace(PARENTHESIZED, " "))
      .split(ARABIC_WORD_SEPARATORS)
      .filter((w) => w.length > 0);
    return words.length === 1 && words[0].length >= 2 && words[0].length <= o.maxArabicLength ? words[0] : undefined;
  };
  const direct = new Map<string, Ranking>();
  const reverse = new Map<string, Ranking>();
  for (const { word, senses } of thesaurus) {
    const head = singleWord(word);
    if (head === undefined) continue;
    for (const sense of senses) {
      sense.forEach((phrase, i) => {
        const synonym = singleWord(phrase);
        if (synonym === undefined || synonym === head) return;
        getOrCreate(direct, head, () => new Ranking()).add(synonym, 1 / (i + 1));
        getOrCreate(reverse, synonym, () => new Ranking()).add(head, 1 / (i + 1));
      });
    }
  }
  const merged = new Map<string, Ranking>();
  for (const key of [...direct.keys(), ...reverse.keys()]) {
    const ranking = getOrCreate(merged, key, () => new Ranking());
    // Direct synonyms always come first: reverse scores are scaled below any direct one.
    for (const s of direct.get(key)?.top(o.maxSynonyms) ?? []) ranking.add(s, 1000);
    for (const s of reverse.get(key)?.top(o.maxSynonyms) ?? []) ranking.add(s, 1);
  }
  return sortedEntries(merged, o.maxSynonyms);
}

export interface LexiconHeader {
  /** What a key and its values are. */
  format: string;
  /** The data's licence, as its sources give it ("GPL-2+"); /api/health reports it. */
  licence: string;
  /** Debian packages and versions it was built from. */
  sources: string[];
}

/** One entry a line ("key<TAB>value value"), so the file diffs well and parses as a plain string[]. */
export function serializeLexicon(header: LexiconHeader, entries: [string, string[]][]): string {
  const lines = entries.map(([key, values]) => JSON.stringify(`${key}\t${values.join(" ")}`));
  return (
    `{\n"format": ${JSON.stringify(header.format)},\n"licence": ${JSON.stringify(header.licence)},\n"sources": ${JSON.stringify(header.sources)},\n` +
    `"entries": [\n${lines.join(",\n")}\n]\n}\n`
  );
}

// ---------- pivot dictionaries: X → English → Arabic ----------

export interface PivotSense {
  /** Single English words this sense translates to, in the source's order. */
  glosses: string[];
  /** Example phrases the source gives for the sense: the Ding (German) data has many for main senses. */
  examples: number;
  /** Some gloss is made only of English function words ("when", "to us", "at all"). */
  hasFunctionGloss: boolean;
}
export interface PivotEntry {
  headword: string;
  senses: PivotSense[];
}
export interface PivotOptions {
  maxTranslations: number;
  /** Headwords shorter than this are mostly function words (de, la, du, im). */
  minHeadwordLength: number;
  maxHeadwordLength: number;
  /** Keeps the file small: headwords outside this set are dropped. */
  isCommon: (headword: string) => boolean;
}
const pivotDefaults: PivotOptions = { maxTranslations: 4, minHeadwordLength: 3, maxHeadwordLength: 20, isCommon: () => true };

const HEADWORD = /^\p{L}+$/u;
// <pos>, [domain], (note) and {cross-reference} annotations inside a translation line.
const ANNOTATIONS = /<[^>]*>|\[[^\]]*\]|\([^)]*\)|\{[^}]*\}/g;
// Lines of a Ding entry that are not translations: examples ("…"  - …), notes, synonyms, cross-references.
const NOT_A_TRANSLATION = /^\s*("|Note:|Synonyms?:|see:)/;
const EXAMPLE = /^\s*"([^"]*)"\s+-\s/;

// Capitalised words are names ("May", the month), not the function words they spell; "I" is one.
function isEnglishFunctionWord(word: string): boolean {
  const capitalised = word.length > 1 && word[0] !== word[0].toLowerCase();
  return !capitalised && ENGLISH_STOP_WORDS.has(word.toLowerCase());
}

function englishWords(gloss: string): string[] {
  return gloss.replace(ANNOTATIONS, " ").split(/\s+/).filter((w) => w.length > 0);
}

/**
 * One lowercase English word for a gloss, or undefined: annotations and function words are
 * dropped, so "spread out" → spread and "act for" → act, while "when" or "dry land" give nothing.
 */
export function englishGlossWord(gloss: string): string | undefined {
  const words = englishWords(gloss).filter((w) => !isEnglishFunctionWord(w));
  if (words.length !== 1) return undefined;
  const word = words[0].toLowerCase();
  return ENGLISH_WORD.test(word) ? word : undefined;
}

function isFunctionGloss(gloss: string): boolean {
  const words = englishWords(gloss);
  return words.length > 0 && words.every(isEnglishFunctionWord);
}

/**
 * A FreeDict X→English entry: "headword /ipa/ <pos>" then one translation a line ("1. "-numbered
 * in fra/spa); the German (Ding) data adds indented examples, notes, synonyms and "see:" lines.
 */
export function parsePivotEntry(text: string): PivotEntry {
  const [first, ...rest] = text.split("\n");
  const headword = first.split(/\s+[/<(]/)[0].trim();
  const senses: PivotSense[] = [];
  for (const line of rest) {
    if (line.trim().length === 0) continue;
    if (NOT_A_TRANSLATION.test(line)) {
      if (EXAMPLE.test(line) && senses.length > 0) senses[senses.length - 1].examples++;
      continue;
    }
    const parts = line.replace(/^\s*\d+\.\s+/, "").replace(ANNOTATIONS, " ").split(/[,;]/);
    senses.push({
      glosses: parts.map(englishGlossWord).filter((w): w is string => w !== undefined),
      examples: 0,
      hasFunctionGloss: parts.some(isFunctionGloss),
    });
  }
  return { headword, senses };
}

/** Lowercase words of the source-language example phrases, counted: a usage frequency the data itself gives. */
export function exampleWordCounts(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const line of text.split("\n")) {
      const example = EXAMPLE.exec(line)?.[1];
      if (example === undefined) continue;
      for (const word of example.toLowerCase().match(/\p{L}+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Lowercase headword → Arabic words, best first, through the English glosses' en-ar entries.
 * A sense weighs more when it comes first and when the source illustrates it with examples;
 * an Arabic word reached through several glosses or senses adds up, so agreement wins.
 */
export function buildPivot(
  entries: PivotEntry[],
  translateEnglishWord: (english: string) => string[],
  options: Partial<PivotOptions> = {},
): [string, string[]][] {
  const o = { ...pivotDefaults, ...options };
  const rankings = new Map<string, Ranking>();
  const senseCount = new Map<string, number>();
  const functionWords = new Set<string>();
  for (const { headword, senses } of entries) {
    const key = headword.normalize("NFC").toLowerCase();
    if (key.length < o.minHeadwordLength || key.length > o.maxHeadwordLength || !HEADWORD.test(key) || !o.isCommon(key)) continue;
    for (const { glosses, examples, hasFunctionGloss } of senses) {
      const position = senseCount.get(key) ?? 0;
      senseCount.set(key, position + 1);
      // A word whose first sense is a function word ("quand" → when, "der" → the) is one.
      if (position === 0 && hasFunctionGloss) functionWords.add(key);
      const senseWeight = (1 + examples) / (1 + position);
      glosses.forEach((gloss, g) => {
        translateEnglishWord(gloss).forEach((arabic, a) => {
          getOrCreate(rankings, key, () => new Ranking()).add(arabic, senseWeight / ((1 + g) * (1 + a)));
        });
      });
    }
  }
  for (const key of functionWords) rankings.delete(key);
  return sortedEntries(rankings, o.maxTranslations);
}

/** Looks an English word up in built en-ar entries, falling back to its likely base forms. */
export function englishLookup(enAr: [string, string[]][]): (english: string) => string[] {
  const map = new Map(enAr);
  return (english) => {
    for (const form of [english, ...englishLemmaCandidates(english)]) {
      const found = map.get(form);
      if (found !== undefined) return found;
    }
    return [];
  };
}

// ---------- Russian: English → Russian dictionaries, inverted ----------

export interface EnglishRussianEntry {
  /** The English headword, as written. */
  headword: string;
  /** Each sense's single-word Russian translations, folded (foldRussian), in the source's order. */
  senses: string[][];
}
export interface RussianOptions {
  maxTranslations: number;
  /** Shorter English headwords are prefixes (co, un) and abbreviations, explained rather than translated. */
  minEnglishLength: number;
  minWordLength: number;
  maxWordLength: number;
  /** Keeps the file small: Russian words outside this set are dropped. */
  isCommon: (russian: string) => boolean;
}
const russianDefaults: RussianOptions = { maxTranslations: 3, minEnglishLength: 3, minWordLength: 3, maxWordLength: 20, isCommon: () => true };

// An inflected form's translations count half when folded into its dictionary form's.
const INFLECTED_FORM_WEIGHT = 0.5;
const RUSSIAN_WORD = /^\p{Script=Cyrillic}+$/u;
const LATIN_LETTER = /\p{Script=Latin}/u;
// Mueller's labels (_n., _v., _воен., _перен.) and the words they mark are not translations.
const MUELLER_LABEL = /_\S+/g;
// Sense markers: "1.", "1)", "а)", and homonym numbers "_I", "_II".
const MUELLER_SENSE = /\s(?:\d+[.)]|[а-я]\)|_[IV]+)(?=\s)/u;
// Unmarked abbreviations in the translations (тж. = also, особ. = especially).
const ABBREVIATION = /^\p{L}+\.$/u;

/**
 * Single-word Russian translations in one sense's text, folded. A ";"-separated part holding Latin
 * letters is an English example with its translation ("nuclear weapon ядерное оружие"), and a
 * multi-word translation ("совместные действия") is a phrase: both are skipped.
 */
export function russianWordsOfSense(text: string): string[] {
  const words: string[] = [];
  const cleaned = text.replace(ANNOTATIONS, " ").replace(MUELLER_LABEL, " ");
  for (const part of cleaned.split(";")) {
    if (LATIN_LETTER.test(part)) continue;
    for (const phrase of part.split(",")) {
      const tokens = phrase.split(/\s+/).filter((t) => t.length > 0 && !ABBREVIATION.test(t));
      if (tokens.length !== 1) continue;
      const word = foldRussian(tokens[0].replace(/[^\p{L}]+$/u, ""));
      if (RUSSIAN_WORD.test(word) && !words.includes(word)) words.push(word);
    }
  }
  return words;
}

/** A Mueller entry: the English headword, then senses wrapped over indented lines. */
export function parseMuellerEntry(text: string): EnglishRussianEntry {
  const [headword, ...rest] = text.split("\n");
  const senses = ` ${rest.join(" ")} `.split(MUELLER_SENSE).map(russianWordsOfSense).filter((s) => s.length > 0);
  return { headword: headword.trim(), senses };
}

/** A FreeDict eng-rus entry: "headword /ipa/", then one sense a line. */
export function parseFreedictEngRusEntry(text: string): EnglishRussianEntry {
  const { headword, senses } = parseDictdEntry(text);
  return { headword, senses: senses.map(russianWordsOfSense).filter((s) => s.length > 0) };
}

/**
 * Folded Russian word → Arabic words, best first: each English headword that lists the Russian
 * word lends it its en-ar translations, weighing more when the Russian word comes early in an
 * early sense; an Arabic word reached through several headwords adds up, so agreement wins.
 * Only Russian words that are the first translation of some translatable English headword are
 * kept: the others are rarer synonyms and, inverted, mostly noise.
 */
export function buildRussianArabic(
  entries: EnglishRussianEntry[],
  translateEnglishWord: (english: string) => string[],
  options: Partial<RussianOptions> = {},
): [string, string[]][] {
  const o = { ...russianDefaults, ...options };
  const rankings = new Map<string, Ranking>();
  const leading = new Set<string>();
  for (const { headword, senses } of entries) {
    // Mueller hyphenates some words the English side spells solid (co-operation).
    const english = headword.toLowerCase().replace(/-/g, "");
    if (!ENGLISH_WORD.test(english) || english.length < o.minEnglishLength || ENGLISH_STOP_WORDS.has(english)) continue;
    const arabic = translateEnglishWord(english);
    if (arabic.length === 0) continue;
    senses.forEach((words, s) => {
      words.forEach((russian, p) => {
        if (russian.length < o.minWordLength || russian.length > o.maxWordLength) return;
        if (RUSSIAN_STOP_WORDS.has(russian) || !o.isCommon(russian)) return;
        if (p === 0) leading.add(russian);
        const ranking = getOrCreate(rankings, russian, () => new Ranking());
        arabic.forEach((a, i) => ranking.add(a, 1 / ((1 + s) * (1 + p) * (1 + i))));
      });
    });
  }
  // Inflected forms among the translations (угрозы, новая) join their dictionary form when it is
  // there too, so a lookup that guesses the dictionary form finds all they stood for.
  for (const russian of [...rankings.keys()].sort()) {
    const lemma = russianLemmaCandidates(russian).find((c) => rankings.has(c));
    if (lemma === undefined) continue;
    rankings.get(lemma)!.merge(rankings.get(russian)!, INFLECTED_FORM_WEIGHT);
    if (leading.has(russian)) leading.add(lemma);
    rankings.delete(russian);
  }
  for (const russian of rankings.keys()) if (!leading.has(russian)) rankings.delete(russian);
  return sortedEntries(rankings, o.maxTranslations);
}

/**
 * How often each Russian Snowball stem occurs anywhere in the texts (translations and examples):
 * a usage frequency the data itself gives, to keep common words when the file must stay small.
 */
export function russianStemCounts(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of text.match(/\p{Script=Cyrillic}+/gu) ?? []) {
      const stem = russianStem(word);
      counts.set(stem, (counts.get(stem) ?? 0) + 1);
    }
  }
  return counts;
}

// ---------- SCOWL ----------

const SCOWL_LIST = /^(english|american|british|british_z|canadian)-(words|upper|proper-names|abbreviations|contractions)\.(\d+)$/;

/** Names of the SCOWL lists (all spellings, proper names included) at or below a commonness level. */
export function scowlListsUpTo(fileNames: string[], maxLevel: number): string[] {
  return fileNames.filter((name) => Number(SCOWL_LIST.exec(name)?.[3] ?? Infinity) <= maxLevel).sort();
}

// ---------- Debian copyright files ----------

/** Paragraphs of a machine-readable debian/copyright file. */
function copyrightParagraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim());
}

function filesParagraph(paragraphs: string[], filesPattern: string): string {
  const files = paragraphs.find((p) => p.split("\n")[0] === `Files: ${filesPattern}`);
  if (!files) throw new Error(`no "Files: ${filesPattern}" paragraph in the copyright file`);
  return files;
}

/** The licence expression ("GPL-2+", "GPL-2+ or MPL-1.1") of the Files: paragraph for a pattern. */
export function licenseName(text: string, filesPattern: string): string {
  const files = filesParagraph(copyrightParagraphs(text), filesPattern);
  return files.split("\n").find((l) => l.startsWith("License: "))!.slice("License: ".length).trim();
}

/** The Files: paragraph for a pattern, and the standalone License: paragraphs it names. */
export function copyrightTerms(text: string, filesPattern: string): string {
  const paragraphs = copyrightParagraphs(text);
  const header = paragraphs[0].split("\n").filter((l) => /^(Upstream-Name|Upstream-Contact|Source):/.test(l));
  const files = filesParagraph(paragraphs, filesPattern);
  const names = licenseName(text, filesPattern).split(/\s+(?:or|and)\s+/);
  const licenses = names.map(
    (name) => paragraphs.find((p) => p.split("\n")[0] === `License: ${name}`) ?? `License: ${name}`,
  );
  return [header.join("\n"), files, ...licenses].join("\n\n");
}

// ---------- main ----------

export interface Source {
  pkg: string;
  files: string[];
}
const ENG_ARA: Source = {
  pkg: "dict-freedict-eng-ara",
  files: ["/usr/share/dictd/freedict-eng-ara.index", "/usr/share/dictd/freedict-eng-ara.dict.dz"],
};
const ARA_ENG: Source = {
  pkg: "dict-freedict-ara-eng",
  files: ["/usr/share/dictd/freedict-ara-eng.index", "/usr/share/dictd/freedict-ara-eng.dict.dz"],
};
// Every th_ar_*_v2 file in the package is a symlink to this one.
const MYTHES_AR: Source = { pkg: "mythes-ar", files: ["/usr/share/mythes/th_ar_EG_v2.dat"] };
const SCOWL_DIR = "/usr/share/dict/scowl";
const SCOWL: Source = { pkg: "scowl", files: [`${SCOWL_DIR}/english-words.${SCOWL_MAX_LEVEL}`] };

interface PivotSource extends Source {
  /** The code detectLanguage gives, and the data file's prefix. */
  language: string;
  name: string;
  filesPattern: string;
  /** As the copyright file states it; a change stops the build, since LICENSE.md's wording depends on it. */
  licence: string;
  /** Whether to keep only headwords that occur in the dictionary's own example phrases. */
  commonByExamples: boolean;
}
function freedictToEnglish(code: string): Pick<PivotSource, "pkg" | "files" | "filesPattern"> {
  return {
    pkg: `dict-freedict-${code}-eng`,
    files: [`/usr/share/dictd/freedict-${code}-eng.index`, `/usr/share/dictd/freedict-${code}-eng.dict.dz`],
    filesPattern: `${code}-eng/*`,
  };
}
// fra-eng (8,500 headwords) and spa-eng (4,500) are small lists of common words, kept whole;
// deu-eng (Ding, 520,000 headwords, mostly compounds and phrases) needs a commonness cut.
const PIVOTS: PivotSource[] = [
  { language: "fr", name: "French", ...freedictToEnglish("fra"), licence: "GPL-2+", commonByExamples: false },
  { language: "de", name: "German", ...freedictToEnglish("deu"), licence: "GPL-3+", commonByExamples: true },
  { language: "es", name: "Spanish", ...freedictToEnglish("spa"), licence: "GPL-2+", commonByExamples: false },
];
// Russian has no FreeDict rus-eng: English → Russian dictionaries are inverted instead. FreeDict's
// eng-rus is small (1,700 headwords); Mueller's (7th edition, 46,000 headwords, GPL-2+) gives the coverage.
const ENG_RUS: Source = {
  pkg: "dict-freedict-eng-rus",
  files: ["/usr/share/dictd/freedict-eng-rus.index", "/usr/share/dictd/freedict-eng-rus.dict.dz"],
};
const ENG_RUS_LICENCE = "GPL-2+";
// Each file's licence follows from its sources' (see licenceFile's wording; a pivot file takes its
// dictionary's, since en-ar's GPL-2+ allows a later version); written into the file so the server can report it.
const EN_AR_LICENCE = "GPL-2+";
const AR_SYNONYMS_LICENCE = "GPL-2+ or LGPL-2.1+ or MPL-1.1";
const RU_AR_LICENCE = "GPL-2+";

const MUELLER: Source = { pkg: "mueller7-dict", files: ["/usr/share/dictd/mueller7.index", "/usr/share/dictd/mueller7.dict.dz"] };
// Russian words whose stem occurs fewer times in all of Mueller's text (translations and examples)
// are rare; dropping them keeps ru-ar.json near half a megabyte.
const RUSSIAN_MIN_STEM_COUNT = 5;
// Occurring at least once in the 42,000 German example phrases keeps 17,000 headwords (~0.8 MB);
// the ones left out are rare words and compounds (split at lookup time instead).
const GERMAN_MIN_EXAMPLE_COUNT = 1;

/** The packages among `sources` with a file missing, each once, in order. */
export function missingPackages(sources: Source[]): string[] {
  const missing = sources.filter((source) => [...source.files, `/usr/share/doc/${source.pkg}/copyright`].some((file) => !existsSync(file)));
  return [...new Set(missing.map((source) => source.pkg))];
}

export function requireInstalled(source: Source): void {
  for (const file of [...source.files, `/usr/share/doc/${source.pkg}/copyright`]) {
    if (!existsSync(file)) throw createError("LEXICON_SOURCE_MISSING", file, source.pkg);
  }
}

function packageVersion(pkg: string): string {
  return execFileSync("dpkg-query", ["-W", "-f=${Version}", pkg], { encoding: "utf8" }).trim();
}

function loadDictdTexts(source: Source): { texts: string[]; info: string } {
  const [indexFile, dictFile] = source.files;
  const indexText = readFileSync(indexFile, "utf8");
  const dict = gunzipSync(readFileSync(dictFile));
  const infoRow = indexText.split("\n").find((l) => /^00-?database-?info\t/.test(l))!.split("\t");
  const info = new TextDecoder().decode(
    dict.subarray(decodeDictdNumber(infoRow[1]), decodeDictdNumber(infoRow[1]) + decodeDictdNumber(infoRow[2])),
  );
  return { texts: readDictdTexts(indexText, dict), info: info.split(/\nChangelog:/)[0].trim() };
}

function loadDictd(source: Source): { entries: DictEntry[]; info: string } {
  const { texts, info } = loadDictdTexts(source);
  return { entries: texts.map(parseDictdEntry), info };
}

/** SCOWL's Debian copyright file is free-form; its permission notice is the part that applies. */
function scowlNotice(text: string): string {
  const notice = /SCOWL \(Spell Checker[^]*?\n\n|The collective work is Copyright[^]*?express or implied warranty\./g;
  const parts = text.match(notice);
  if (!parts || parts.length < 2) throw new Error("SCOWL copyright file no longer has the expected notice");
  return parts.map((p) => p.trim()).join("\n\n");
}

/** Mueller's Debian copyright file is free-form: its holders and licence grant are the part that applies. */
function muellerNotice(text: string): string {
  const notice = /Copyright Holders:[^]*?GNU General Public License for more details\./.exec(text);
  if (!notice) throw new Error("mueller7-dict copyright file no longer has the expected notice");
  return notice[0].trim();
}

interface LicencePart {
  title: string;
  pkg: string;
  version: string;
  upstream: string;
  terms: string;
}

function licenceFile(dataFiles: string[], allSources: Source[], parts: LicencePart[]): string {
  const sections = parts.map(
    (p) =>
      `## ${p.title}\n\nDebian package \`${p.pkg}\` version \`${p.version}\`.\n\n` +
      `${p.upstream ? `Upstream description (from the package's own data):\n\n\`\`\`text\n${p.upstream}\n\`\`\`\n\n` : ""}` +
      `Terms, copied from \`/usr/share/doc/${p.pkg}/copyright\`:\n\n\`\`\`text\n${p.terms}\n\`\`\`\n`,
  );
  return (
    `# Lexicon data: sources and licences\n\n` +
    `This file and ${dataFiles.map((f) => `\`${f}\``).join(", ")} were generated on this machine by \`npm run lexicons\`\n` +
    `(scripts/build-lexicon.ts of arabic-grounded-qa) from the Debian packages below; do not edit them by hand.\n` +
    `They are not part of arabic-grounded-qa, which is MIT-licensed and does not ship them: they carry their sources'\n` +
    `licences, stated here. Whoever redistributes them must follow those terms.\n\n` +
    `- \`en-ar.json\` is derived from the FreeDict English-Arabic and Arabic-English dictionaries and is\n` +
    `  therefore distributed under the GNU General Public License, version 2 or (at your option) any later version.\n` +
    `- \`ar-synonyms.json\` is derived from the Arabic thesaurus of libreoffice-dictionaries (mythes-ar) and is\n` +
    `  distributed under the same terms as its source: GPL-2+ or LGPL-2.1+ or MPL-1.1, at your choice.\n` +
    PIVOTS.map(
      (p) =>
        `- \`${p.language}-ar.json\` is derived from the FreeDict ${p.name}-English dictionary (${p.licence}) and from en-ar.json (GPL-2+),\n` +
        `  and is distributed under ${p.licence === "GPL-2+" ? "GPL-2+" : `the ${p.licence} terms of its ${p.name} source (GPL-2+ allows a later version)`}.\n`,
    ).join("") +
    `- \`ru-ar.json\` is derived from the FreeDict English-Russian dictionary (${ENG_RUS_LICENCE}), the Mueller English-Russian\n` +
    `  dictionary (GPL-2+) and en-ar.json (GPL-2+), and is distributed under GPL-2+.\n` +
    `\nChanges made: Arabic folded (tashkeel and tatweel removed; أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ ئ → ء, tanween alef dropped, Persian letters and digits folded; see src/text/normalize.ts),\n` +
    `multi-word translations split into words, function words dropped, English headwords limited to single words\n` +
    `found in SCOWL up to size ${SCOWL_MAX_LEVEL} (SCOWL is used only as that filter; none of its text is copied),\n` +
    `and the number of translations and synonyms per word capped.\n` +
    `The ${PIVOTS.map((p) => p.name).join(", ")} files map each single-word headword (lowercased, accents kept) through its\n` +
    `single-word English glosses to their en-ar.json translations; headwords whose first sense is an English function word\n` +
    `are dropped, and German headwords are kept only when they occur in the dictionary's own German example phrases\n` +
    `${GERMAN_MIN_EXAMPLE_COUNT === 1 ? "at least once" : `at least ${GERMAN_MIN_EXAMPLE_COUNT} times`} (a usage frequency the data itself gives).\n` +
    `ru-ar.json inverts the two English-Russian dictionaries: each single-word Russian translation (lowercased, ё written е)\n` +
    `gets the en-ar.json translations of the English headwords that list it; English examples and multi-word translations\n` +
    `are skipped, and a Russian word is kept only when it is the first translation of some English headword and its\n` +
    `Snowball stem occurs at least ${RUSSIAN_MIN_STEM_COUNT} times in the Mueller text.\n\n` +
    `## Rebuilding\n\n\`\`\`sh\napt-get install -y ${allSources.map((s) => s.pkg).join(" ")}\n` +
    `npm run lexicons              # writes the files into lexicons/\n` +
    `npm run lexicons -- --check   # exits 1 when they differ from what the installed packages give\n\`\`\`\n\n` +
    sections.join("\n")
  );
}

/** File name → content, for every file the script owns in src/text/lexicon. */
const ALL_SOURCES: Source[] = [ENG_ARA, ARA_ENG, MYTHES_AR, SCOWL, ...PIVOTS, ENG_RUS, MUELLER];

function generate(): [string, string][] {
  const allSources = ALL_SOURCES;
  for (const source of allSources) requireInstalled(source);
  const version = (s: Source) => packageVersion(s.pkg);
  const copyright = (s: Source) => readFileSync(`/usr/share/doc/${s.pkg}/copyright`, "utf8");

  const engAra = loadDictd(ENG_ARA);
  const araEng = loadDictd(ARA_ENG);
  const thesaurus = parseMythes(readFileSync(MYTHES_AR.files[0], "utf8"));

  const common = new Set<string>();
  for (const name of scowlListsUpTo(readdirSync(SCOWL_DIR), SCOWL_MAX_LEVEL)) {
    for (const word of readFileSync(join(SCOWL_DIR, name), "utf8").split("\n")) common.add(word.toLowerCase());
  }
  const enAr = buildEnglishArabic(engAra.entries, araEng.entries, { isCommonEnglish: (w) => common.has(w) });
  const synonyms = buildSynonyms(thesaurus);
  const enArSources = [
    ...[ENG_ARA, ARA_ENG].map((s) => `${s.pkg} ${version(s)} (GPL-2+)`),
    `${SCOWL.pkg} ${version(SCOWL)} (only to select common English words, size <= ${SCOWL_MAX_LEVEL})`,
  ];
  const synonymSources = [`${MYTHES_AR.pkg} ${version(MYTHES_AR)} (GPL-2+ or LGPL-2.1+ or MPL-1.1)`];
  console.log(`en-ar: ${enAr.length} English words; ar-synonyms: ${synonyms.length} Arabic words`);

  const translateEnglishWord = englishLookup(enAr);
  const pivotFiles: [string, string][] = [];
  const pivotParts: LicencePart[] = [];
  for (const pivot of PIVOTS) {
    const { texts, info } = loadDictdTexts(pivot);
    const licence = licenseName(copyright(pivot), pivot.filesPattern);
    if (licence !== pivot.licence) throw new Error(`${pivot.pkg} is now licensed ${licence}; review LICENSE.md's wording`);
    const counts = pivot.commonByExamples ? exampleWordCounts(texts) : undefined;
    const isCommon = (w: string) => counts === undefined || (counts.get(w) ?? 0) >= GERMAN_MIN_EXAMPLE_COUNT;
    const entries = buildPivot(texts.map(parsePivotEntry), translateEnglishWord, { isCommon });
    console.log(`${pivot.language}-ar: ${entries.length} ${pivot.name} words`);
    const sources = [`${pivot.pkg} ${version(pivot)} (${licence})`, ...enArSources.map((s) => `${s}, through en-ar.json`)];
    const format = `lowercase ${pivot.name} word, accents kept<TAB>folded Arabic words, best first`;
    pivotFiles.push([`${pivot.language}-ar.json`, serializeLexicon({ format, licence: pivot.licence, sources }, entries)]);
    pivotParts.push({
      title: `${pivot.name}-English dictionary (FreeDict ${pivot.filesPattern.slice(0, -2)})`,
      pkg: pivot.pkg,
      version: version(pivot),
      upstream: info,
      terms: copyrightTerms(copyright(pivot), pivot.filesPattern),
    });
  }

  const engRus = loadDictdTexts(ENG_RUS);
  const mueller = loadDictdTexts(MUELLER);
  const engRusLicence = licenseName(copyright(ENG_RUS), "eng-rus/*");
  if (engRusLicence !== ENG_RUS_LICENCE) throw new Error(`${ENG_RUS.pkg} is now licensed ${engRusLicence}; review LICENSE.md's wording`);
  const stemCounts = russianStemCounts(mueller.texts);
  const ruAr = buildRussianArabic(
    [
      ...engRus.texts.map(parseFreedictEngRusEntry),
      // Mueller's "_a."-style rows explain its abbreviations; they are not words.
      ...mueller.texts.map(parseMuellerEntry).filter((e) => !e.headword.startsWith("_")),
    ],
    translateEnglishWord,
    { isCommon: (russian) => (stemCounts.get(russianStem(russian)) ?? 0) >= RUSSIAN_MIN_STEM_COUNT },
  );
  console.log(`ru-ar: ${ruAr.length} Russian words`);
  const ruArSources = [
    `${ENG_RUS.pkg} ${version(ENG_RUS)} (${engRusLicence})`,
    `${MUELLER.pkg} ${version(MUELLER)} (GPL-2+)`,
    ...enArSources.map((s) => `${s}, through en-ar.json`),
  ];
  pivotFiles.push([
    "ru-ar.json",
    serializeLexicon({ format: "lowercase Russian word, ё written е<TAB>folded Arabic words, best first", licence: RU_AR_LICENCE, sources: ruArSources }, ruAr),
  ]);
  pivotParts.push(
    {
      title: "English-Russian dictionary (FreeDict eng-rus)",
      pkg: ENG_RUS.pkg,
      version: version(ENG_RUS),
      upstream: engRus.info,
      terms: copyrightTerms(copyright(ENG_RUS), "eng-rus/*"),
    },
    {
      title: "Mueller English-Russian dictionary, 7th edition",
      pkg: MUELLER.pkg,
      version: version(MUELLER),
      upstream: mueller.info,
      terms: muellerNotice(copyright(MUELLER)),
    },
  );

  return [
    ["en-ar.json", serializeLexicon({ format: "lowercase English word<TAB>folded Arabic words, best first", licence: EN_AR_LICENCE, sources: enArSources }, enAr)],
    [
      "ar-synonyms.json",
      serializeLexicon({ format: "folded Arabic word<TAB>folded Arabic synonyms, best first", licence: AR_SYNONYMS_LICENCE, sources: synonymSources }, synonyms),
    ],
    ...pivotFiles,
    [
      "LICENSE.md",
      licenceFile(["en-ar.json", "ar-synonyms.json", ...pivotFiles.map(([name]) => name)], allSources, [
        {
          title: "English-Arabic dictionary (FreeDict eng-ara)",
          pkg: ENG_ARA.pkg,
          version: version(ENG_ARA),
          upstream: engAra.info,
          terms: copyrightTerms(copyright(ENG_ARA), "eng-ara/*"),
        },
        {
          title: "Arabic-English dictionary (FreeDict ara-eng)",
          pkg: ARA_ENG.pkg,
          version: version(ARA_ENG),
          upstream: araEng.info,
          terms: copyrightTerms(copyright(ARA_ENG), "ara-eng/*"),
        },
        {
          title: "Arabic thesaurus (MyThes, libreoffice-dictionaries)",
          pkg: MYTHES_AR.pkg,
          version: version(MYTHES_AR),
          upstream: "",
          terms: copyrightTerms(copyright(MYTHES_AR), "dictionaries/ar/*"),
        },
        {
          title: "English word list used as a filter (SCOWL)",
          pkg: SCOWL.pkg,
          version: version(SCOWL),
          upstream: "",
          terms: scowlNotice(copyright(SCOWL)),
        },
        ...pivotParts,
      ]),
    ],
  ];
}

/** The folder the server reads by default (src/text/lexicon/load-node.ts), at the repository's top level. */
const DEFAULT_OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "lexicons");

/** What to tell a user whose machine lacks some of the Debian packages: one command that installs them all. */
export function missingPackagesMessage(missing: string[]): string {
  return (
    `The lexicons are built from Debian packages that are not installed here: ${missing.join(", ")}.\n` +
    `Install them (as root, on Debian or Ubuntu) with:\n\n` +
    `  apt-get install -y ${missing.join(" ")}\n\n` +
    `then run npm run lexicons again. The server works without the lexicons; they only help questions in other languages.`
  );
}

/** Writes the files and prints their licences, or with --check only reports whether the built ones are up to date. */
function main(args: string[]): void {
  const outAt = args.indexOf("--out");
  const outDir = outAt >= 0 ? resolve(args[outAt + 1]) : DEFAULT_OUT_DIR;
  const check = args.includes("--check");
  const missing = missingPackages(ALL_SOURCES);
  if (missing.length > 0) {
    console.error(missingPackagesMessage(missing));
    process.exitCode = 1;
    return;
  }
  const files = generate();
  let stale = 0;
  if (!check) mkdirSync(outDir, { recursive: true });
  for (const [name, content] of files) {
    const path = join(outDir, name);
    if (check) {
      const same = existsSync(path) && readFileSync(path, "utf8") === content;
      if (!same) stale++;
      console.log(`${name}: ${same ? "up to date" : "differs from what the installed packages give"}`);
    } else {
      writeFileSync(path, content);
      console.log(`${name}: ${statSync(path).size} bytes`);
    }
  }
  if (stale > 0) process.exitCode = 1;
  if (check) return;
  // The licence summary is LICENSE.md's opening, before the rebuilding notes and the sources' full terms.
  const licence = files.find(([name]) => name === "LICENSE.md")![1];
  console.log(`\n${licence.slice(0, licence.indexOf("\n## Rebuilding")).trim()}\n`);
  console.log(`Full terms and attribution: ${join(outDir, "LICENSE.md")}.`);
  console.log(
    outDir === DEFAULT_OUT_DIR
      ? `The server uses these files when it starts (/api/health lists them). lexicons/ is git-ignored: do not commit it.`
      : `The server reads lexicons/ at the top of the repository (${relative(process.cwd(), DEFAULT_OUT_DIR) || "."}); copy the files there to use them.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
