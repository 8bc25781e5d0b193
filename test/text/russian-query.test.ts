import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createAnalyzer, detectLanguage } from "../../src/text";
import { fixtureLexicons } from "./lexicon/fixtures";
import { createPhoneticIndex } from "../../src/text/phonetic";
import { createQueryAnalyzer } from "../../src/retrieve/query";

// A Russian question goes through the same query analysis as the others: its function words
// drop out, its content words are translated through the optional ru-ar lexicon (a fixture here),
// its names are matched by sound (built in, no lexicon needed).
const analyzer = createAnalyzer();
const article = readFileSync(new URL("../../corpus/000_c1add9699fc6f4ec.txt", import.meta.url), "utf8");
const phonetic = createPhoneticIndex(new Set(analyzer.words(article)));
const analyzeQuery = createQueryAnalyzer({
  analyze: (text) => analyzer.analyze(text),
  words: (text) => analyzer.words(text),
  detectLanguage,
  translate: fixtureLexicons().translateToArabic,
  soundsLike: (word) => phonetic.find(word),
});

const termsOf = (question: string) =>
  new Map(analyzeQuery(question).groups.map((g) => [g.word, new Set(g.variants.map((v) => v.term))]));
const withoutLexicons = createQueryAnalyzer({
  analyze: (text) => analyzer.analyze(text),
  words: (text) => analyzer.words(text),
  detectLanguage,
  soundsLike: (word) => phonetic.find(word),
});
const hasAll = (terms: Set<string> | undefined, arabic: string) => analyzer.analyze(arabic).every((t) => terms?.has(t));

describe("Russian questions", () => {
  it("translates inflected content words and drops function words", () => {
    const groups = termsOf("Будет ли новый документ касаться сотрудничества в области ядерного оружия?");
    expect(analyzeQuery("Будет ли новый документ касаться сотрудничества в области ядерного оружия?").language).toBe("ru");
    expect([...groups.keys()]).not.toContain("будет");
    expect([...groups.keys()]).not.toContain("ли");
    expect([...groups.keys()]).not.toContain("в");
    expect(hasAll(groups.get("ядерного"), "نووي")).toBe(true);
    expect(hasAll(groups.get("оружия"), "السلاح")).toBe(true);
    expect(hasAll(groups.get("сотрудничества"), "التعاون")).toBe(true);
    expect(hasAll(groups.get("документ"), "الوثيقة")).toBe(true);
  });

  it("finds the corpus spelling of Cyrillic names", () => {
    const groups = termsOf("Кто такой Александр Вольфович?");
    expect([...groups.keys()]).toEqual(["александр", "вольфович"]);
    expect(hasAll(groups.get("вольфович"), "فولفوفيتش")).toBe(true);
    expect(hasAll(termsOf("Что сказал Лукашенко?").get("лукашенко"), "لوكاشينكو")).toBe(true);
  });

  it("keeps only content words of a lowercase question, translated", () => {
    const groups = termsOf("что такое безопасность");
    expect([...groups.keys()]).toEqual(["безопасность"]);
    expect(hasAll(groups.get("безопасность"), "الأمن")).toBe(true);
  });

  it("without lexicons keeps the words untranslated but still finds names by sound", () => {
    const groups = new Map(withoutLexicons("Что сказал Лукашенко о сотрудничестве?").groups.map((g) => [g.word, new Set(g.variants.map((v) => v.term))]));
    expect(hasAll(groups.get("лукашенко"), "لوكاشينكو")).toBe(true);
    expect(hasAll(groups.get("сотрудничестве"), "التعاون")).toBe(false);
  });
});
