// Names every language spells its own way: countries and territories (Egypt, Египет, Ägypten,
// Egipto → مصر) and months (October, октября → أكتوبر, تشرين الأول). A name crosses scripts by
// sound only when it is borrowed (Grushko / جروشكو, text/phonetic.ts); exonyms need a table. The
// table is the Unicode CLDR's, read from the runtime's Intl (ICU, in Node and in Workers alike),
// so nothing is shipped or generated: 280 regions and 12 months in each language asked for.

export interface NameMatch {
  /** Positions of the matched words in the list given to `find` (from inclusive, to exclusive). */
  from: number;
  to: number;
  kind: "region" | "month" | "city";
  /** The name in Arabic, each spelling in use (months: the Egyptian and the Levantine one; countries: the name and its adjective, مصر and مصري). */
  arabic: string[];
  /**
   * The question's word is the name's adjective (Иорданского of Иордания): like an Arabic one
   * (الأمريكي), it names no country to look for (монгольского may be المغولية, not منغوليا), but
   * the name's Arabic spellings still help find the sentence.
   */
  adjective?: boolean;
}

export interface CldrNamesOptions {
  /** The analyzer's words of a text (normalised, lowercase), so names and questions compare alike. */
  words: (text: string) => string[];
  /**
   * Cities by their names in each language, with the Arabic one (Cairo, Kairo, Каир → القاهرة):
   * data/cldr-cities.json, the CLDR's time-zone cities built by scripts/build-cities.ts. Found in
   * questions in other languages than Arabic only: an Arabic city's name is often a word too (صور,
   * جدة), and an Arabic question's city is written as the document writes it anyway. None by default.
   */
  cities?: readonly CityName[];
}

/** A city's names by language (BCP 47 code), and its name in Arabic. */
export interface CityName {
  arabic: string;
  names: Partial<Record<string, readonly string[]>>;
}

interface Entry {
  keys: string[];
  kind: NameMatch["kind"];
  arabic: string[];
}

/**
 * Names in common use beside the CLDR's, by region and language: where the CLDR gives the formal
 * name (الولايات المتحدة, المملكة المتحدة, Vereinigtes Königreich) and texts as often write another
 * (أمريكا, بريطانيا, Großbritannien). In Arabic they, and their adjectives, are also what a document
 * may mention: a question about the United States is not refused by a text that says أمريكا.
 */
const REGION_ALIASES: Record<string, Record<string, string[]>> = {
  US: { ar: ["أمريكا", "أميركا"], en: ["America"], ru: ["Америка"], de: ["Amerika"], es: ["Norteamérica"] },
  GB: { ar: ["بريطانيا"], en: ["Britain", "Great Britain"], ru: ["Британия"], de: ["Großbritannien"], es: ["Gran Bretaña"] },
  PS: { ar: ["فلسطين"], en: ["Palestine"], ru: ["Палестина"], de: ["Palästina"], es: ["Palestina"] },
  NL: { en: ["Holland"], de: ["Holland"], es: ["Holanda"] },
  MM: { ar: ["بورما"], en: ["Burma"], ru: ["Бирма"], de: ["Burma"], es: ["Birmania"] },
  CD: { ar: ["الكونغو الديمقراطية"] },
  CI: { ar: ["كوت ديفوار"], en: ["Ivory Coast"] },
};

const REGION_CODES = Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26))).filter((code) => code !== "ZZ");
const ARABIC_LETTER = /[\u0600-\u06FF]/;
const ARTICLE = /^ال/;
const CONJUNCTIONS = ["", "و", "ف"];
const PREPOSITIONS = ["", "ب", "ل", "ك"];

/**
 * The forms an Arabic word of a question may be a name in: itself, and without the conjunction,
 * preposition and article it may carry (وبالجزائر → جزاءر, للسعودية → سعوديه). Not stemmed: a
 * stemmer takes البحرين (Bahrain) for the dual of البحر (the sea).
 */
function arabicForms(word: string): string[] {
  const forms = new Set([word]);
  for (const conjunction of CONJUNCTIONS) {
    for (const preposition of PREPOSITIONS) {
      const prefix = conjunction + preposition;
      if (!word.startsWith(prefix)) continue;
      const rest = word.slice(prefix.length);
      if (rest.length >= 2) forms.add(rest);
      if (rest.startsWith("ال") && rest.length >= 4) forms.add(rest.slice(2));
      if (preposition === "ل" && rest.startsWith("ل") && rest.length >= 3) forms.add(rest.slice(1)); // لل: ل + ال
    }
  }
  return [...forms];
}

/** A language's region names by code; none where the runtime lacks the locale's data (the rest still works). */
function regionNames(language: string): (code: string) => string | undefined {
  try {
    const names = new Intl.DisplayNames([language], { type: "region", fallback: "none" });
    return (code) => names.of(code);
  } catch {
    return () => undefined;
  }
}

function monthNames(language: string): string[][] {
  // The month alone and in a date: Russian declines it there (октябрь, 15 октября).
  const formats = [{ month: "long" }, { month: "long", day: "numeric" }] as const;
  return Array.from({ length: 12 }, (_, month) =>
    formats.map((format) => {
      try {
        return new Intl.DateTimeFormat(language, { ...format, timeZone: "UTC" }).format(Date.UTC(2020, month, 15)).replace(/[\d\s.,]+/g, " ").trim();
      } catch {
        return "";
      }
    }),
  );
}

// Case endings of nouns and of adjectives (Соединенных Штатах, Объединенных Арабских Эмиратов).
const RUSSIAN_CASE_ENDINGS = new Set("а я ы и е у ю й ой ей ом ем ью ии ия ию ие ах ях ам ям ами ями ов ев ых их ым им ыми ими ую юю ого его ому ему ое ее ая яя ые ый ий".split(" "));
const RUSSIAN_ADJECTIVE = /(ые|ие|ая|яя|ое|ее|ый|ий|ой)$/;

/**
 * Whether a question's word is a form of a name's word: the same, or an inflection of it. Russian
 * declines names by their last letter or two (Ливии of Ливия, Канадой of Канада, Кубе of Куба,
 * Соединенных of Соединенные), adds them to a final consonant (Иране of Иран, Каире of Каир) and
 * drops a fleeting vowel (Египте of Египет): the name less its last letter (or less that vowel; or
 * whole, after a consonant) must begin the question's word, which goes on with a case ending (Канал is no form of Канада, Кубок none of
 * Куба). Latin-script languages only add endings (Ägyptens, Irans): the whole name
 * must begin the word, one letter more (Iraq is not Iran, Mayor not May), three from six letters.
 */
export function inflectionOf(questionWord: string, nameWord: string): boolean {
  if (questionWord === nameWord) return true;
  if (/\p{Script=Cyrillic}/u.test(nameWord)) {
    if (nameWord.length < 4) return false;
    // A name ending in a consonant takes the ending after it (Иран → Иране, Каир → Каире); one ending in a vowel, in place of it.
    const stems = /[аяоеёиуыюэйь]$/u.test(nameWord) ? [nameWord.slice(0, -1)] : [nameWord, nameWord.slice(0, -1)];
    if (RUSSIAN_ADJECTIVE.test(nameWord)) stems.push(nameWord.slice(0, -2)); // an adjective's ending is two letters: Соединенные → Соединенных
    if (/[ео]\p{L}$/u.test(nameWord)) stems.push(nameWord.slice(0, -2) + nameWord.slice(-1));
    return stems.some((stem) => questionWord.startsWith(stem) && RUSSIAN_CASE_ENDINGS.has(questionWord.slice(stem.length)));
  }
  const extra = nameWord.length >= 6 ? 3 : 1;
  return questionWord.startsWith(nameWord) && questionWord.length - nameWord.length <= extra;
}

// The adjective Russian makes of a place's name: its stem, then -ск- with an adjective's ending.
const RUSSIAN_NAME_ADJECTIVE_ENDING = /^[йь]?[сц]к(ий|ая|ое|ие|ого|ой|ому|им|ом|их|ую|ими|ое)$/;

/**
 * Whether a Russian word is the adjective of a one-word name: Иорданского of Иордания, египетской
 * of Египет, российского of Россия, монгольского of Монголия (the name less its final vowel or -ия,
 * at least four letters, then -ск-). Not every one is (французский, итальянский); these only add.
 */
export function russianAdjectiveOf(questionWord: string, nameWord: string): boolean {
  const stems = [nameWord];
  if (/[аяоеий]$/.test(nameWord)) stems.push(nameWord.slice(0, -1));
  if (nameWord.endsWith("ия")) stems.push(nameWord.slice(0, -2));
  return stems.some((stem) => stem.length >= 4 && questionWord.startsWith(stem) && RUSSIAN_NAME_ADJECTIVE_ENDING.test(questionWord.slice(stem.length)));
}

/**
 * The relative adjective (nisba) of an Arabic country name, as a document may name it: مصر →
 * مصري, ألمانيا → ألماني, السعودية → سعودي (its feminine and plurals share the stem).
 */
function arabicNisba(name: string): string[] {
  if (name.includes(" ")) return [];
  const bare = name.replace(/^ال/, "").replace(/(ية|يا|ا|ة)$/, "");
  // With its article too: a name beginning with أل (ألمانيا) loses those letters to the stemmer, الألماني keeps them.
  return bare.length >= 2 ? [`${bare}ي`, `ال${bare}ي`] : [];
}

/** Finds region and month names in a question's words, in its language, with their Arabic names. */
export function createCldrNames(options: CldrNamesOptions) {
  const { words, cities = [] } = options;
  const arabicName = regionNames("ar");
  const arabicRegions = new Map(REGION_CODES.map((code) => [code, arabicName(code)] as const).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const arabicMonths = [...monthNames("ar"), ...monthNames("ar-SY")];
  // Each language's entries, longest names first, by the first two letters of their first word:
  // a question's word is compared only with the names it can begin (a form of a name begins with them).
  const tables = new Map<string, Map<string, Entry[]>>();

  function tableOf(language: string): Map<string, Entry[]> {
    const known = tables.get(language);
    if (known) return known;
    const arabic = language === "ar";
    const keysOf = (name: string) => (arabic ? words(name).map((word) => word.replace(ARTICLE, "")) : words(name));
    const table: Entry[] = [];
    const nameIn = regionNames(language);
    for (const [code, arabicName] of arabicRegions) {
      const arabicAliases = REGION_ALIASES[code]?.ar ?? [];
      const names = arabic ? [arabicName, ...arabicAliases] : [nameIn(code), ...(REGION_ALIASES[code]?.[language] ?? [])];
      // Adjectives are what a document may say (الخارجية الأمريكية), never keys: الرئيس الأمريكي names no country to look for.
      const arabicNames = [arabicName, ...arabicAliases].flatMap((name) => [name, ...arabicNisba(name)]);
      for (const name of names) if (name) table.push({ keys: keysOf(name), kind: "region", arabic: arabicNames });
    }
    if (arabic) {
      // السعودية alone names المملكة العربية السعودية: a word of a name of three words or more that
      // no other name holds stands for it (المتحدة and العربية stand for none).
      const counts = new Map<string, number>();
      for (const { keys } of table) for (const key of new Set(keys)) counts.set(key, (counts.get(key) ?? 0) + 1);
      for (const entry of [...table]) {
        // Two-word names are a word and its qualifier (الصحراء الغربية, كوريا الجنوبية): the qualifier alone names nothing.
        if (entry.keys.length < 3) continue;
        for (const key of entry.keys) if (counts.get(key) === 1 && key.length >= 4) table.push({ keys: [key], kind: "region", arabic: entry.arabic });
      }
    }
    // After the countries, so a name that is both (Kuwait, Singapore) is the country.
    if (!arabic) for (const city of cities) for (const name of city.names[language] ?? []) table.push({ keys: keysOf(name), kind: "city", arabic: [city.arabic] });
    monthNames(language).forEach((forms, month) => {
      const arabicNames = [...new Set([arabicMonths[month][0], arabicMonths[12 + month][0]])];
      for (const form of new Set(forms)) if (form) table.push({ keys: keysOf(form), kind: "month", arabic: arabicNames });
    });
    const byPrefix = new Map<string, Entry[]>();
    for (const entry of table.filter((e) => e.keys.length > 0).sort((a, b) => b.keys.length - a.keys.length)) {
      const prefix = entry.keys[0].slice(0, 2);
      byPrefix.set(prefix, (byPrefix.get(prefix) ?? []).concat(entry));
    }
    tables.set(language, byPrefix);
    return byPrefix;
  }

  return {
    /** Names in `questionWords` (the analyzer's words of a question), longest first where they overlap. */
    find(questionWords: readonly string[], language: string): NameMatch[] {
      const arabic = language === "ar" || questionWords.some((w) => ARABIC_LETTER.test(w));
      const byPrefix = tableOf(arabic ? "ar" : language);
      // The forms a word may be a name in, once per word: in Arabic without its clitics too.
      const forms = questionWords.map((word) => (arabic ? arabicForms(word) : [word]));
      const same = (at: number, key: string) => (arabic ? forms[at].includes(key) : inflectionOf(questionWords[at], key));
      const matches: NameMatch[] = [];
      for (let from = 0; from < questionWords.length; ) {
        const candidates = forms[from].flatMap((form) => byPrefix.get(form.slice(0, 2)) ?? []);
        if (forms[from].length > 1) candidates.sort((a, b) => b.keys.length - a.keys.length); // longest first across the forms' lists too
        const entry = candidates.find((e) => e.keys.length <= questionWords.length - from && e.keys.every((key, i) => same(from + i, key)));
        if (!entry) {
          const adjectiveOf = language === "ru" ? candidates.find((e) => e.kind === "region" && e.keys.length === 1 && russianAdjectiveOf(questionWords[from], e.keys[0])) : undefined;
          if (adjectiveOf) matches.push({ from, to: from + 1, kind: "region", arabic: adjectiveOf.arabic, adjective: true });
          from++;
          continue;
        }
        matches.push({ from, to: from + entry.keys.length, kind: entry.kind, arabic: entry.arabic });
        from += entry.keys.length;
      }
      return matches;
    },
  };
}

export type CldrNames = ReturnType<typeof createCldrNames>;
