// The answer's own words, per language of the question. Quotes stay in the source's language.

export interface AnswerMessages {
  /** Said when the sources do not answer the question. */
  refusal: string;
  /** Said instead when the closest source never mentions what the question names (already quoted, joined). */
  unmentioned: (names: string) => string;
  /** Quotes one name and joins several: «الجزائر»، «2019» / “Algeria”, “2019”. */
  quote: (names: readonly string[]) => string;
  /** Introduces the quoted sentences. */
  lead: string;
  /** Heading of the list of citations. */
  sources: string;
  /** "paragraph 3, sentence 1" */
  location: (paragraph: number, sentence: number) => string;
  /** "p. 12", or "pp. 12–13" for a sentence that crosses a page break (paginated sources). */
  page: (page: number, pageEnd?: number) => string;
  /** Between the page and the location: "، " in Arabic script, ", " elsewhere. */
  separator: string;
}

const arabicScriptQuote = (names: readonly string[]) => names.map((n) => `«${n}»`).join("، ");
const range = (page: number, pageEnd: number | undefined) => (pageEnd !== undefined && pageEnd !== page ? `${page}–${pageEnd}` : `${page}`);

const MESSAGES: Record<string, AnswerMessages> = {
  ar: {
    refusal: "لا تذكر المصادر المتاحة إجابة عن هذا السؤال.",
    unmentioned: (names) => `المصدر الأقرب إلى السؤال لا يذكر ${names}، فهو لا يجيب عنه.`,
    quote: arabicScriptQuote,
    lead: "بحسب المصادر:",
    sources: "المصادر",
    location: (p, s) => `الفقرة ${p}، الجملة ${s}`,
    page: (p, e) => `ص ${range(p, e)}`,
    separator: "، ",
  },
  en: {
    refusal: "The sources do not say; I found no passage that answers this question.",
    unmentioned: (names) => `The closest source never mentions ${names}, so it does not answer this question.`,
    quote: (names) => names.map((n) => `“${n}”`).join(", "),
    lead: "According to the sources:",
    sources: "Sources",
    location: (p, s) => `paragraph ${p}, sentence ${s}`,
    page: (p, e) => (e !== undefined && e !== p ? `pp. ${range(p, e)}` : `p. ${p}`),
    separator: ", ",
  },
  fr: {
    refusal: "Les sources ne le disent pas ; aucun passage ne répond à cette question.",
    unmentioned: (names) => `La source la plus proche ne mentionne jamais ${names} ; elle ne répond donc pas à cette question.`,
    quote: (names) => names.map((n) => `« ${n} »`).join(", "),
    lead: "D'après les sources :",
    sources: "Sources",
    location: (p, s) => `paragraphe ${p}, phrase ${s}`,
    page: (p, e) => `p. ${range(p, e)}`,
    separator: ", ",
  },
  es: {
    refusal: "Las fuentes no lo dicen; ningún pasaje responde a esta pregunta.",
    unmentioned: (names) => `La fuente más cercana nunca menciona ${names}, así que no responde a esta pregunta.`,
    quote: (names) => names.map((n) => `«${n}»`).join(", "),
    lead: "Según las fuentes:",
    sources: "Fuentes",
    location: (p, s) => `párrafo ${p}, oración ${s}`,
    page: (p, e) => `p. ${range(p, e)}`,
    separator: ", ",
  },
  de: {
    refusal: "Die Quellen sagen dazu nichts; keine Textstelle beantwortet diese Frage.",
    unmentioned: (names) => `Die nächstliegende Quelle erwähnt ${names} nirgends und beantwortet diese Frage daher nicht.`,
    quote: (names) => names.map((n) => `„${n}“`).join(", "),
    lead: "Laut den Quellen:",
    sources: "Quellen",
    location: (p, s) => `Absatz ${p}, Satz ${s}`,
    page: (p, e) => `S. ${range(p, e)}`,
    separator: ", ",
  },
  fa: {
    refusal: "منابع در این باره چیزی نمی‌گویند؛ هیچ بخشی به این پرسش پاسخ نمی‌دهد.",
    unmentioned: (names) => `نزدیک‌ترین منبع هرگز از ${names} نام نمی‌برد، پس به این پرسش پاسخ نمی‌دهد.`,
    quote: arabicScriptQuote,
    lead: "بر پایهٔ منابع:",
    sources: "منابع",
    location: (p, s) => `بند ${p}، جملهٔ ${s}`,
    page: (p, e) => `ص ${range(p, e)}`,
    separator: "، ",
  },
  ur: {
    refusal: "ماخذ اس بارے میں کچھ نہیں کہتے؛ کوئی اقتباس اس سوال کا جواب نہیں دیتا۔",
    unmentioned: (names) => `قریب ترین ماخذ میں ${names} کا کہیں ذکر نہیں، اس لیے وہ اس سوال کا جواب نہیں دیتا۔`,
    quote: arabicScriptQuote,
    lead: "ماخذ کے مطابق:",
    sources: "ماخذ",
    location: (p, s) => `پیراگراف ${p}، جملہ ${s}`,
    page: (p, e) => `صفحہ ${range(p, e)}`,
    separator: "، ",
  },
  ru: {
    refusal: "В источниках об этом не говорится; ни один фрагмент не отвечает на этот вопрос.",
    unmentioned: (names) => `Ближайший источник нигде не упоминает ${names}, поэтому не отвечает на этот вопрос.`,
    quote: (names) => names.map((n) => `«${n}»`).join(", "),
    lead: "Согласно источникам:",
    sources: "Источники",
    location: (p, s) => `абзац ${p}, предложение ${s}`,
    page: (p, e) => `с. ${range(p, e)}`,
    separator: ", ",
  },
};

/** Messages for a language tag, falling back to English for languages without a translation. */
export function messagesFor(language: string): AnswerMessages {
  return MESSAGES[language.split("-")[0]] ?? MESSAGES.en;
}

export const SUPPORTED_ANSWER_LANGUAGES = Object.keys(MESSAGES);
