import { describe, expect, it } from "vitest";
import {
  buildRussianArabic,
  parseFreedictEngRusEntry,
  parseMuellerEntry,
  russianWordsOfSense,
} from "../../../scripts/build-lexicon";
import { foldRussian, russianLemmaCandidates, russianStem } from "../../../src/text/lexicon/russian";
import { fixtureLexicons } from "./fixtures";

// Russian lookups over the fixture lexicon (./fixtures.ts): dictionary forms only, as ru-ar.json has.
const { translateToArabic } = fixtureLexicons();

describe("translateToArabic for Russian", () => {
  it.each([
    ["ядерный", "نووي"],
    ["ядерного", "نووي"],
    ["Ядерное", "نووي"],
    ["оружия", "السلاح"],
    ["сотрудничества", "التعاون"],
    ["документа", "الوثيقه"],
  ])("%s → contains %s", (word, arabic) => {
    expect(translateToArabic(word, "ru")).toContain(arabic);
  });

  it("finds an inflected word through its dictionary form, not a look-alike sharing its stem", () => {
    // странный (strange) has the stem of страна (country) too.
    expect(translateToArabic("странами", "ru")).toEqual(["البلاد"]);
  });

  it("falls back to the entry sharing the word's stem and most of its spelling", () => {
    // ядерном: no ending rule gives ядерный; their shared Snowball stem (ядерн) does.
    expect(russianLemmaCandidates("ядерном")).not.toContain("ядерный");
    expect(translateToArabic("ядерном", "ru")).toEqual(["نووي"]);
  });

  it("reads ё as е and ignores case", () => {
    expect(translateToArabic("ОРУЖИЕ", "ru")).toEqual(translateToArabic("оружие", "ru"));
    expect(foldRussian("Ещё")).toBe("еще");
  });

  it("gives nothing for unknown words and empty input", () => {
    expect(translateToArabic("фывапролдж", "ru")).toEqual([]);
    expect(translateToArabic("", "ru")).toEqual([]);
  });
});

describe("russianLemmaCandidates and russianStem", () => {
  it.each([
    ["ядерного", "ядерный"],
    ["сотрудничества", "сотрудничество"],
    ["области", "область"],
    ["оружия", "оружие"],
    ["касается", "касаться"],
    ["подписали", "подписать"],
    ["угрозой", "угроза"],
  ])("%s may come from %s", (word, lemma) => {
    expect(russianLemmaCandidates(word)).toContain(lemma);
  });

  it("never offers the word itself or a stem under three letters", () => {
    expect(russianLemmaCandidates("документ")).not.toContain("документ");
    expect(russianLemmaCandidates("ими")).toEqual([]);
  });

  it("gives inflected forms their dictionary form's stem", () => {
    expect(russianStem("сотрудничества")).toBe(russianStem("сотрудничество"));
    expect(russianStem("ядерного")).toBe(russianStem("ядерный"));
  });
});

describe("building ru-ar", () => {
  it("takes single-word translations and skips English examples, labels and phrases", () => {
    expect(russianWordsOfSense(" _n. [dɘkjʊmɜnt] документ; свидетельство")).toEqual(["документ", "свидетельство"]);
    expect(russianWordsOfSense(" ядерный; nuclear weapon ядерное оружие; nuclear test испытание")).toEqual(["ядерный"]);
    expect(russianWordsOfSense(" сотрудничество; совместные действия")).toEqual(["сотрудничество"]);
    expect(russianWordsOfSense(" _перен. тж. средство (особ. судовое)")).toEqual(["средство"]);
  });

  it("splits a Mueller entry into senses over its wrapped lines", () => {
    const entry = parseMuellerEntry(
      "co-operation\n   [kɜʊ↘ɘpɜ↗rɛɪʃɜn] _n.\n   1) сотрудничество; совместные действия\n   2) кооперация\n   3) _воен. взаимодействие",
    );
    expect(entry).toEqual({ headword: "co-operation", senses: [["сотрудничество"], ["кооперация"], ["взаимодействие"]] });
  });

  it("reads a FreeDict eng-rus entry", () => {
    expect(parseFreedictEngRusEntry("army /ɑːmiː/\nармия, военные, войско")).toEqual({
      headword: "army",
      senses: [["армия", "военные", "войско"]],
    });
  });

  it("inverts through English, keeps only leading translations, and folds inflected forms into lemmas", () => {
    const english: Record<string, string[]> = { weapon: ["سلاح"], arms: ["اسلحه", "سلاح"], threat: ["تهديد"], thunder: ["رعد"], in: ["في"] };
    const entries = [
      { headword: "weapon", senses: [["оружие", "средство"]] },
      { headword: "arms", senses: [["оружие"]] },
      { headword: "threat", senses: [["угроза"]] },
      { headword: "thunder", senses: [["гром"], ["угрозы"]] },
      { headword: "in", senses: [["внутри"]] },
    ];
    const built = new Map(buildRussianArabic(entries, (w) => english[w] ?? []));
    expect(built.get("оружие")).toEqual(["سلاح", "اسلحه"]);
    expect(built.has("средство")).toBe(false); // never a first translation
    expect(built.get("угроза")).toEqual(["تهديد", "رعد"]);
    expect(built.has("угрозы")).toBe(false);
    expect(built.has("внутри")).toBe(false); // "in" is an English function word
  });
});
