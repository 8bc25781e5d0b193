// What a question names (src/retrieve/named-words.ts), read directly; the entity check built on it
// is tested through the query analyzer in entities.test.ts.
import { describe, expect, it } from "vitest";
import { createNamedWordFinder } from "../../src/retrieve/named-words";
import { createAnalyzer } from "../../src/text";
import { createCldrNames, type CityName } from "../../src/text/cldr-names";
import cldrCities from "../../data/cldr-cities.json";

const analyzer = createAnalyzer();
const namedWords = createNamedWordFinder({
  words: (t) => analyzer.words(t),
  analyze: (t) => analyzer.analyze(t),
  findNames: createCldrNames({ words: (t) => analyzer.words(t), cities: cldrCities.cities as readonly CityName[] }).find,
});

describe("createNamedWordFinder", () => {
  it("gives a country its Arabic names and, in an Arabic question, the name to show without the clitics", () => {
    expect(namedWords("متى ستتبنى روسيا والصين المفهوم؟", "ar").get("والصين")).toMatchObject({ entity: "region", display: "الصين", arabic: ["الصين", "صيني", "الصيني"] });
    const libya = namedWords("Who built the plant in Libya?", "en").get("libya");
    expect(libya).toMatchObject({ entity: "region", arabic: ["ليبيا", "ليبي", "الليبي"] });
    expect(libya).not.toHaveProperty("display");
  });

  it("takes a country's adjective for no country to look for: الرئيس الأمريكي may be named by his name alone", () => {
    expect([...namedWords("ماذا قال الرئيس الأمريكي؟", "ar").values()].filter((n) => n.entity)).toEqual([]);
  });

  it("takes a country's name that continues a longer name for that name, not the country", () => {
    expect(namedWords("Who was the governor of New Jersey?", "en").get("jersey")).toMatchObject({ entity: "name" });
    expect(namedWords("What did the United States Army build?", "en").get("states")).toMatchObject({ entity: "region" });
    expect(namedWords("When will Belarus and China sign it?", "en").get("china")).toMatchObject({ entity: "region" });
  });

  it("gives a month its Arabic names but takes it for no name", () => {
    expect(namedWords("What happened in October 1954?", "en").get("october")).toEqual({ arabic: ["أكتوبر", "تشرين الأول"] });
    expect(namedWords("What happened in October 1954?", "en").get("1954")).toMatchObject({ entity: "number" });
  });

  it("takes a number for a number even where it also begins a name, and gives it no span", () => {
    const named = namedWords("What did the Apollo 1967 crew report?", "en");
    expect(named.get("1967")).toEqual({ entity: "number", nameSpan: undefined });
    expect(named.get("apollo")).toMatchObject({ entity: "name" });
  });

  it("marks Latin names in Arabic questions too, but no German noun", () => {
    expect(namedWords("كم يبلغ عدد الاسطوانات في محرك Energiprojekt؟", "ar").get("energiprojekt")).toMatchObject({ entity: "name" });
    expect([...namedWords("Wie viele Menschen versorgt die Anlage?", "de").values()]).toEqual([]);
  });

  it("stops a person's name before a country: رئيس مصر names the office, not a person", () => {
    const named = namedWords("ماذا قال رئيس مصر عن المحطة؟", "ar");
    expect([...named.entries()].filter(([, n]) => n.entity === "person")).toEqual([]);
    expect(named.get("مصر")).toMatchObject({ entity: "region" });
  });

  it("takes a name beside a place's noun for a place, in any language, without the noun", () => {
    const places = (question: string, language: string) => [...namedWords(question, language)].filter(([, n]) => n.entity).map(([word, n]) => [word, n.entity]);
    expect(places("How many visitors does the library of Cairo University receive?", "en")).toEqual([["cairo", "place"]]);
    expect(places("What is the population of the city of Fresno?", "en")).toEqual([["fresno", "place"]]);
    expect(places("¿Cuántos libros tiene la Universidad de Oxford?", "es")).toEqual([["oxford", "place"]]);
    expect(places("Wie viele Personen fasst die Bibliothek der Universität Kairo?", "de")).toEqual([["kairo", "place"]]);
    expect(places("Сколько жителей в городе Фресно?", "ru")).toEqual([["фресно", "place"]]);
    expect(places("Город Фресно растёт?", "ru")).toEqual([["фресно", "place"]]); // the noun alone before it
    expect(places("How many students does New York University have?", "en")).toEqual([["new", "place"], ["york", "place"]]);
    expect(places("Сколько студентов в Нижегородском Государственном университете?", "ru")).toEqual([["нижегородском", "place"], ["государственном", "place"]]);
    expect(places("Сколько рукописей в библиотеке Багдадского университета?", "ru")).toEqual([["багдадского", "place"]]);
    // A country stays a country (University of Jordan, Universität Jordanien: German capitalises every
    // noun, so two capitals side by side are no longer name there); a country's adjective names none.
    expect(places("How many visitors does the University of Jordan's library receive?", "en")).toEqual([["jordan", "region"]]);
    expect(places("Wie viele Personen fasst die Bibliothek der Universität Jordanien?", "de")).toEqual([["jordanien", "region"]]);
    expect(places("Сколько рукописей в библиотеке Иорданского университета?", "ru")).toEqual([]);
    // Without a place's noun, a name is a name.
    expect(places("What did Harvard announce?", "en")).toEqual([["harvard", "name"]]);
  });

  it("takes a city written as a name for a place, with its Arabic name; not a word that only spells one", () => {
    expect(namedWords("Which minister attended the opening in Beirut?", "en").get("beirut")).toMatchObject({ entity: "place", arabic: ["بيروت"] });
    expect(namedWords("Wie viele Personen fasst die Bibliothek der Universität Kairo?", "de").get("kairo")).toMatchObject({ entity: "place", arabic: ["القاهرة"] });
    expect(namedWords("Was he resolute about it?", "en").get("resolute")).toBeUndefined(); // America/Resolute, but lowercase here
  });
});

