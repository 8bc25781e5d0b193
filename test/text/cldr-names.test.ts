// Countries and months by their names in each language, with their Arabic names (src/text/cldr-names.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createCldrNames, inflectionOf, russianAdjectiveOf, type CityName, type CldrNames } from "../../src/text/cldr-names";
import cldrCities from "../../data/cldr-cities.json";
import { createAnalyzer } from "../../src/text";

const analyzer = createAnalyzer();
const names = createCldrNames({ words: (text) => analyzer.words(text) });
/** The names found in a question, as [its words, kind, first Arabic name]. */
const found = (question: string, language: string, table: CldrNames = names) => {
  const words = analyzer.words(question);
  return table.find(words, language).map((m) => [words.slice(m.from, m.to).join(" "), m.kind, m.arabic[0]]);
};

describe("createCldrNames", () => {
  it("finds a country in each language, inflected as the language inflects it, with its Arabic name", () => {
    expect(found("Which plant does Egypt run?", "en")).toEqual([["egypt", "region", "مصر"]]);
    expect(found("Что строят в Египте?", "ru")).toEqual([["египте", "region", "مصر"]]);
    expect(found("Wer versorgt die Städte Ägyptens?", "de")).toEqual([["ägyptens", "region", "مصر"]]);
    expect(found("¿Qué construye Egipto?", "es")).toEqual([["egipto", "region", "مصر"]]);
    expect(found("ماذا يبني وبمصر؟", "ar")).toEqual([["وبمصر", "region", "مصر"]]);
  });

  it("gives an Arabic country's adjective too, as a document may name it (مصري, الألماني)", () => {
    const words = analyzer.words("Where in Germany?");
    expect(names.find(words, "en")[0].arabic).toEqual(["ألمانيا", "ألماني", "الألماني"]);
  });

  it("finds names of several words, and a word of a long Arabic name that no other name holds", () => {
    expect(found("What did the United States sign?", "en")).toEqual([["united states", "region", "الولايات المتحدة"]]);
    expect(found("Где в Соединенных Штатах?", "ru")).toEqual([["соединенных штатах", "region", "الولايات المتحدة"]]);
    expect(found("ما عاصمة المملكة المتحدة؟", "ar")).toEqual([["المملكه المتحده", "region", "المملكة المتحدة"]]);
    expect(found("ما قدرة المحطة في السعودية؟", "ar")).toEqual([["السعوديه", "region", "المملكة العربية السعودية"]]);
    // A two-word name's qualifier names nothing alone: الغربية is not the Western Sahara.
    expect(found("ما الدولة الغربية؟", "ar")).toEqual([]);
  });

  it("knows the names in common use beside the CLDR's, and gives them as Arabic names too", () => {
    expect(found("What did Britain say?", "en")).toEqual([["britain", "region", "المملكة المتحدة"]]);
    expect(found("ماذا قالت أمريكا؟", "ar")).toEqual([["امريكا", "region", "الولايات المتحدة"]]);
    const words = analyzer.words("What did the United States say?");
    expect(names.find(words, "en")[0].arabic).toEqual(expect.arrayContaining(["الولايات المتحدة", "أمريكا", "الأمريكي"]));
  });

  it("takes no common word for a name", () => {
    expect(found("كم تنتج محطة مياه البحر؟", "ar")).toEqual([]); // البحر is not البحرين
    expect(found("What did the Mayor of Iran say?", "en")).toEqual([["iran", "region", "إيران"]]); // not May, not Iraq
    expect(found("Какой канал выиграл Кубок?", "ru")).toEqual([]); // not Канада, not Куба
  });

  it("finds months, declined or not, with their Egyptian and Levantine Arabic names", () => {
    const words = analyzer.words("Что случилось 15 октября?");
    expect(names.find(words, "ru")).toEqual([{ from: 3, to: 4, kind: "month", arabic: ["أكتوبر", "تشرين الأول"] }]);
    expect(found("What happened in October?", "en")).toEqual([["october", "month", "أكتوبر"]]);
  });
});

describe("inflectionOf", () => {
  it("takes every word for a form of itself", () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (word) => inflectionOf(word, word)));
  });

  it("lets a Latin-script word only grow, and a Russian one change its ending", () => {
    expect(inflectionOf("irans", "iran")).toBe(true);
    expect(inflectionOf("iraq", "iran")).toBe(false);
    expect(inflectionOf("ливии", "ливия")).toBe(true);
    expect(inflectionOf("египте", "египет")).toBe(true);
    expect(inflectionOf("канал", "канада")).toBe(false);
    expect(inflectionOf("монголо", "монголия")).toBe(false); // монголо-татары: a compound's first part, not the country
    expect(inflectionOf("соединенных", "соединенные")).toBe(true);
    expect(inflectionOf("иране", "иран")).toBe(true); // a name ending in a consonant takes its ending after it
    expect(inflectionOf("ливане", "ливан")).toBe(true);
    expect(inflectionOf("иранский", "иран")).toBe(false); // an adjective, not a case form
  });
});

describe("a Russian country's adjective", () => {
  it("is the name's stem, less its final vowel or -ия, then -ск- with an adjective's ending", () => {
    expect(russianAdjectiveOf("иорданского", "иордания")).toBe(true);
    expect(russianAdjectiveOf("египетской", "египет")).toBe(true);
    expect(russianAdjectiveOf("российского", "россия")).toBe(true);
    expect(russianAdjectiveOf("монгольских", "монголия")).toBe(true);
    expect(russianAdjectiveOf("монголо", "монголия")).toBe(false);
    expect(russianAdjectiveOf("кубского", "куба")).toBe(false); // a stem under four letters says too little
  });

  it("is found with the country's Arabic names, marked as an adjective", () => {
    const words = analyzer.words("в библиотеке Иорданского университета");
    expect(names.find(words, "ru")).toEqual([{ from: 2, to: 3, kind: "region", arabic: expect.arrayContaining(["الأردن"]), adjective: true }]);
    expect(names.find(analyzer.words("Египте"), "ru")[0]).not.toHaveProperty("adjective");
    expect(found("французского и багдадского", "ru")).toEqual([]);
  });
});

describe("cities, by the CLDR's time-zone cities (data/cldr-cities.json)", () => {
  const withCities = createCldrNames({ words: (text) => analyzer.words(text), cities: cldrCities.cities as readonly CityName[] });
  const cities = (question: string, language: string) => found(question, language, withCities);

  it("finds a city by its name in each language, with its Arabic name", () => {
    expect(cities("How many people live in Cairo?", "en")).toEqual([["cairo", "city", "القاهرة"]]);
    expect(cities("Wie viele Menschen leben in Kairo?", "de")).toEqual([["kairo", "city", "القاهرة"]]);
    expect(cities("Сколько людей живёт в Каире?", "ru")).toEqual([["каире", "city", "القاهرة"]]);
    expect(cities("¿Cuánta gente vive en Varsovia?", "es")).toEqual([["varsovia", "city", "وارسو"]]);
    expect(cities("What happened in New York?", "en")).toEqual([["new york", "city", "نيويورك"]]);
    expect(cities("Where is Calcutta, now Kolkata?", "en").map(([, , arabic]) => arabic)).toEqual(["كالكتا", "كالكتا"]); // the older name too
  });

  it("takes a name that is a country's and a city's for the country, and reads no city in Arabic questions", () => {
    expect(cities("Where is Kuwait?", "en")).toEqual([["kuwait", "region", "الكويت"]]);
    expect(cities("كم عدد سكان القاهرة؟", "ar")).toEqual([]);
  });

  it("is the table scripts/build-cities.ts builds from the cldr-dates-full package", () => {
    expect(cldrCities.cities.length).toBeGreaterThan(300);
    expect(execFileSync("npx", ["tsx", "scripts/build-cities.ts", "--check"], { encoding: "utf8" })).toContain("as built");
  });
});

