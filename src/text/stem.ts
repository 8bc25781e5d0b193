// Stemming for matching: strip clitics and inflectional affixes, never guess roots.
// Input must already be normalized (normalizeArabic): ة is ه, ى is ي, hamza seats are ء, lowercase.
// The defaults were chosen on the gold pairs in test/text/stem-gold.ts (numbers in test/text/stem.test.ts).

import { stemmer as snowballArabic } from "@orama/stemmers/arabic";
import { rootCandidates } from "./root";

export interface LightStemOptions {
  /** Shortest stem an affix may leave behind (in letters). */
  minStem?: number;
  /**
   * What a final ة (normalized to ه) becomes: "strip" drops it like Light10 (جديدة = جديد, but also
   * الدولة = الدول); "keep" rewrites it to ت so that وزارة, وزارتي, وزارتها and الوزارتان share وزارت.
   */
  taMarbuta?: "strip" | "keep";
  /** "keep": النووية → نووي (دولي stays apart from دول); "strip": Light10's نوو / دول. */
  nisba?: "strip" | "keep";
  /**
   * A bare و ف ب ل ك may be a clitic (وروسيا, بتاريخ) or the word's own first letter (وزارة, بيان).
   * "light10" strips only a bare و; "both" returns the stem with and without the bare clitics.
   */
  bareClitics?: "light10" | "both";
}

const ARTICLES = ["وال", "فال", "بال", "كال", "لل", "ال"]; // longest first
const PRONOUN_SUFFIXES = ["هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا"];
const NUMBER_SUFFIXES = ["ات", "ون", "ين", "ان"];
const CONJUNCTIONS = "وف";
const PREPOSITIONS = "بلك";
const IMPERFECT_PREFIXES = "يتن"; // after the future س: سيتم، ستتبنى، سنحتفل (not ا: وسائل)

/** Compiles the options once; the returned function gives one or two stems, the most stripped first. */
export function createLightStemmer(options: LightStemOptions = {}): (word: string) => string[] {
  const { minStem = 2, taMarbuta = "keep", nisba = "keep", bareClitics = "both" } = options;
  const fits = (word: string, cut: number) => word.length - cut >= minStem;
  // A bare one-letter clitic needs a longer remainder than an article: وطن, بحر stay whole.
  const strippable = (word: string) => word.length - 1 >= Math.max(3, minStem);

  function stripArticle(word: string): string | undefined {
    for (const article of ARTICLES) if (word.startsWith(article) && fits(word, article.length)) return word.slice(article.length);
    return undefined;
  }

  function stripSuffixes(word: string): string {
    let w = word;
    let cut = false;
    for (const suffix of PRONOUN_SUFFIXES) {
      if (w.endsWith(suffix) && fits(w, suffix.length)) { w = w.slice(0, -suffix.length); cut = true; break; }
    }
    for (const suffix of NUMBER_SUFFIXES) {
      if (w.endsWith(suffix) && fits(w, suffix.length)) {
        // The feminine plural ات pairs with the singular ة: الوزارات → الوزاره, الولايات → الولايه.
        w = w.slice(0, -suffix.length) + (suffix === "ات" ? "ه" : "");
        cut = true;
        break;
      }
    }
    const last = w[w.length - 1];
    const beforeLast = w[w.length - 2];
    if (last === "ه" && beforeLast === "ي" && fits(w, nisba === "strip" ? 2 : 1)) {
      w = w.slice(0, nisba === "strip" ? -2 : -1); // النووية → النووي
    } else if (last === "ه" && fits(w, 1)) {
      // After ت a final ه is "his" (سياسته, وقته); elsewhere it is usually ة: الدوله → دولت, apart from الدول.
      if (beforeLast === "ت" || taMarbuta === "strip") { w = w.slice(0, -1); cut = true; } else w = w.slice(0, -1) + "ت";
    } else if (last === "ي" && fits(w, 1) && (beforeLast === "ت" || nisba === "strip")) {
      w = w.slice(0, -1); // وزارتي → وزارت ("my" after ة); Light10 also drops the nisba ي
      cut = true;
    }
    if (taMarbuta === "strip" && cut && w.endsWith("ت") && fits(w, 1)) w = w.slice(0, -1); // وزارت → وزار
    return w;
  }

  return (word) => {
    if (word.length < 3) return [word];
    // An article, alone or after و/ف (والـ، فبالـ، وللـ), is unambiguous: one stem.
    const conjunction = CONJUNCTIONS.includes(word[0]);
    const afterArticle = stripArticle(word) ?? (conjunction ? stripArticle(word.slice(1)) : undefined);
    if (afterArticle !== undefined) return [stripSuffixes(afterArticle)];
    let bare = word;
    if (bareClitics === "light10") {
      if (word[0] === "و" && strippable(word)) bare = word.slice(1);
      return [stripSuffixes(bare)];
    }
    if (conjunction && strippable(bare)) bare = bare.slice(1);
    if (PREPOSITIONS.includes(bare[0]) && strippable(bare)) bare = bare.slice(1);
    else if (bare[0] === "س" && IMPERFECT_PREFIXES.includes(bare[1]) && strippable(bare)) bare = bare.slice(1);
    const stripped = stripSuffixes(bare);
    if (bare === word) return [stripped];
    const whole = stripSuffixes(word);
    return stripped === whole ? [stripped] : [stripped, whole];
  };
}

const defaultLightStemmer = createLightStemmer();

/** The most stripped light stem of a normalized Arabic word (وللتعاون → تعاون, الوزارتين → وزارت). */
export function lightStem(word: string): string {
  return defaultLightStemmer(word)[0];
}

/** Every light stem of a normalized Arabic word: two when a bare first letter may or may not be a clitic. */
export function lightStems(word: string): string[] {
  return defaultLightStemmer(word);
}

/** Prefix of Snowball stems, so they never collide with light stems: two vocabularies in one index. */
export const SNOWBALL_MARK = "~";

/**
 * Harman's "S" stemmer (plurals only). Stronger English stemming buys little here — the documents are
 * Arabic and English questions reach them through embeddings — and -ing / -ed stripping errs often (need, red).
 */
export function stripEnglishPlural(word: string): string {
  if (word.length < 4 || word[word.length - 1] !== "s") return word;
  if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) return word.slice(0, -3) + "y";
  if (word.endsWith("es") && !"aeo".includes(word[word.length - 3])) return word.slice(0, -1);
  if (word.endsWith("us") || word.endsWith("ss")) return word;
  return word.slice(0, -1);
}

function isArabicLetter(code: number): boolean {
  return (code >= 0x0620 && code <= 0x06ff) || (code >= 0x0750 && code <= 0x077f) || (code >= 0x08a0 && code <= 0x08ff);
}

function isLatinLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0xdf && code <= 0x24f);
}

/**
 * The index terms of one normalized word: for Arabic its light stem(s) and its marked Snowball stem
 * (together they conflate more correct pairs than either alone at little cost in wrong ones);
 * for Latin script the English plural stem; anything else (numbers, other scripts) unchanged.
 */
export function stemTerms(word: string): string[] {
  const first = word.charCodeAt(0);
  if (isArabicLetter(first)) {
    const snowball = snowballArabic(word);
    const stems = snowball ? [...defaultLightStemmer(word), SNOWBALL_MARK + snowball] : defaultLightStemmer(word);
    return [...stems, ...rootCandidates(word)];
  }
  if (isLatinLetter(first)) return [stripEnglishPlural(word)];
  return [word];
}
