// Builds src/text/lexicon/{en-ar.json, ar-synonyms.json, LICENSE.md} from the installed Debian
// packages dict-freedict-eng-ara, dict-freedict-ara-eng and mythes-ar, so English questions can be
// matched against Arabic text and Arabic queries expanded with synonyms without a neural model.
// Run: npx tsx scripts/build-lexicon.ts [--check]   (the output depends only on the installed
// package files; --check compares with the committed files instead of writing them)

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { createError } from "../src/errors";
import { foldArabic } from "../src/text/lexicon/fold";

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

/** Lines "headword<TAB>offset<TAB>length"; the 00database* rows are metadata, not words. */
export function parseDictdIndex(text: string): { headword: string; offset: number; length: number }[] {
  return text
    .split("\n")
    .filter((line) => line.length > 0 && !line.startsWith("00database"))
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
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return parseDictdIndex(indexText).map(({ offset, length }) =>
    parseDictdEntry(decoder.decode(dict.subarray(offset, offset + length))),
  );
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

/** One entry a line ("key<TAB>value value"), so the file diffs well and imports as a plain string[]. */
export function serializeLexicon(description: string, sources: string[], entries: [string, string[]][]): string {
  const lines = entries.map(([key, values]) => JSON.stringify(`${key}\t${values.join(" ")}`));
  return (
    `{\n"format": ${JSON.stringify(description)},\n"sources": ${JSON.stringify(sources)},\n` +
    `"entries": [\n${lines.join(",\n")}\n]\n}\n`
  );
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

/** The Files: paragraph for a pattern, and the standalone License: paragraphs it names. */
export function copyrightTerms(text: string, filesPattern: string): string {
  const paragraphs = copyrightParagraphs(text);
  const header = paragraphs[0].split("\n").filter((l) => /^(Upstream-Name|Upstream-Contact|Source):/.test(l));
  const files = paragraphs.find((p) => p.split("\n")[0] === `Files: ${filesPattern}`);
  if (!files) throw new Error(`no "Files: ${filesPattern}" paragraph in the copyright file`);
  const licenseLine = files.split("\n").find((l) => l.startsWith("License: "))!;
  const names = licenseLine.slice("License: ".length).split(/\s+(?:or|and)\s+/);
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

export function requireInstalled(source: Source): void {
  for (const file of [...source.files, `/usr/share/doc/${source.pkg}/copyright`]) {
    if (!existsSync(file)) throw createError("LEXICON_SOURCE_MISSING", file, source.pkg);
  }
}

function packageVersion(pkg: string): string {
  return execFileSync("dpkg-query", ["-W", "-f=${Version}", pkg], { encoding: "utf8" }).trim();
}

function loadDictd(source: Source): { entries: DictEntry[]; info: string } {
  const [indexFile, dictFile] = source.files;
  const indexText = readFileSync(indexFile, "utf8");
  const dict = gunzipSync(readFileSync(dictFile));
  const infoRow = indexText.split("\n").find((l) => l.startsWith("00databaseinfo\t"))!.split("\t");
  const info = new TextDecoder().decode(
    dict.subarray(decodeDictdNumber(infoRow[1]), decodeDictdNumber(infoRow[1]) + decodeDictdNumber(infoRow[2])),
  );
  return { entries: readDictd(indexText, dict), info: info.split(/\nChangelog:/)[0].trim() };
}

/** SCOWL's Debian copyright file is free-form; its permission notice is the part that applies. */
function scowlNotice(text: string): string {
  const notice = /SCOWL \(Spell Checker[^]*?\n\n|The collective work is Copyright[^]*?express or implied warranty\./g;
  const parts = text.match(notice);
  if (!parts || parts.length < 2) throw new Error("SCOWL copyright file no longer has the expected notice");
  return parts.map((p) => p.trim()).join("\n\n");
}

function licenceFile(parts: { title: string; pkg: string; version: string; upstream: string; terms: string }[]): string {
  const sections = parts.map(
    (p) =>
      `## ${p.title}\n\nDebian package \`${p.pkg}\` version \`${p.version}\`.\n\n` +
      `${p.upstream ? `Upstream description (from the package's own data):\n\n\`\`\`text\n${p.upstream}\n\`\`\`\n\n` : ""}` +
      `Terms, copied from \`/usr/share/doc/${p.pkg}/copyright\`:\n\n\`\`\`text\n${p.terms}\n\`\`\`\n`,
  );
  return (
    `# Lexicon data: sources and licences\n\n` +
    `This file, \`en-ar.json\` and \`ar-synonyms.json\` are generated by \`scripts/build-lexicon.ts\`; do not edit them by hand.\n\n` +
    `- \`en-ar.json\` is derived from the FreeDict English-Arabic and Arabic-English dictionaries and is\n` +
    `  therefore distributed under the GNU General Public License, version 2 or (at your option) any later version.\n` +
    `- \`ar-synonyms.json\` is derived from the Arabic thesaurus of libreoffice-dictionaries (mythes-ar) and is\n` +
    `  distributed under the same terms as its source: GPL-2+ or LGPL-2.1+ or MPL-1.1, at your choice.\n\n` +
    `Changes made: Arabic folded (tashkeel and tatweel removed; أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ ئ → ء, tanween alef dropped, Persian letters and digits folded; see src/text/normalize.ts),\n` +
    `multi-word translations split into words, function words dropped, English headwords limited to single words\n` +
    `found in SCOWL up to size ${SCOWL_MAX_LEVEL} (SCOWL is used only as that filter; none of its text is copied),\n` +
    `and the number of translations and synonyms per word capped.\n\n` +
    `## Rebuilding\n\n\`\`\`sh\napt-get install -y ${[ENG_ARA, ARA_ENG, MYTHES_AR, SCOWL].map((s) => s.pkg).join(" ")}\n` +
    `npx tsx scripts/build-lexicon.ts\n\`\`\`\n\n` +
    sections.join("\n")
  );
}

/** File name → content, for every file the script owns in src/text/lexicon. */
function generate(): [string, string][] {
  for (const source of [ENG_ARA, ARA_ENG, MYTHES_AR, SCOWL]) requireInstalled(source);
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
  return [
    [
      "en-ar.json",
      serializeLexicon("lowercase English word<TAB>folded Arabic words, best first", enArSources, enAr),
    ],
    [
      "ar-synonyms.json",
      serializeLexicon("folded Arabic word<TAB>folded Arabic synonyms, best first", synonymSources, synonyms),
    ],
    [
      "LICENSE.md",
      licenceFile([
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
      ]),
    ],
  ];
}

/** Writes the files, or with --check only reports whether the committed ones are up to date. */
function main(args: string[]): void {
  const outDir = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "text", "lexicon");
  const check = args.includes("--check");
  let stale = 0;
  for (const [name, content] of generate()) {
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
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
