// Refusals that read the question (src/retrieve/entities.ts): the named words a question carries,
// and whether a document mentions them by any of their variants.
import { describe, expect, it } from "vitest";
import { unmentionedEntities } from "../../src/retrieve/entities";
import { createQueryAnalyzer, type TermGroup } from "../../src/retrieve/query";
import { createAnalyzer, detectLanguage } from "../../src/text";
import { buildCorpus } from "../../src/corpus/build";
import { buildInMemoryPipeline } from "../../scripts/lib/engine";

const analyzer = createAnalyzer();
const analyzeQuery = createQueryAnalyzer({
  analyze: (t) => analyzer.analyze(t),
  words: (t) => analyzer.words(t),
  detectLanguage,
  soundsLike: (word) => (word === "grushko" ? ["جروشكو"] : []),
});
const termsOf = (text: string) => new Set(analyzer.analyze(text));

describe("named words in a question", () => {
  it("are numbers of two digits or more and capitalised Latin or Cyrillic words", () => {
    const entities = (q: string) => analyzeQuery(q).groups.filter((g) => g.entity).map((g) => [g.word, g.entity]);
    expect(entities("What did Grushko say in 2024 about 3 treaties?")).toEqual([["grushko", "name"], ["2024", "number"]]);
    expect(entities("Что сказал Калашников?")).toEqual([["калашников", "name"]]);
    expect(entities("ماذا حدث في عام ٢٠١٩؟")).toEqual([["2019", "number"]]);
    expect(entities("what did they say?")).toEqual([]);
  });
});

describe("unmentionedEntities", () => {
  const document = termsOf("قال ألكسندر جروشكو في عام 2024 إن الاتفاق جاهز.");

  it("finds a name by its sound-alike spelling and a year by its digits", () => {
    expect(unmentionedEntities(analyzeQuery("What did Grushko say in 2024?").groups, document)).toEqual([]);
  });

  it("names the year or the name the document never mentions", () => {
    expect(unmentionedEntities(analyzeQuery("What did Grushko say in 2019?").groups, document)).toEqual(["2019"]);
    expect(unmentionedEntities(analyzeQuery("What did Lavrov say in 2024?").groups, document)).toEqual(["lavrov"]);
  });

  it("counts a word the bridge found only when it is close enough", () => {
    const group = (similarity: number): TermGroup => ({ word: "egypt", entity: "name", fromHistory: false, variants: [{ term: "egypt", weight: 1 }, { term: "مصر", weight: 0.5, similarity }] });
    const egyptian = new Set(["مصر"]);
    expect(unmentionedEntities([group(0.95)], egyptian, { minBridgeSimilarity: 0.9 })).toEqual([]);
    expect(unmentionedEntities([group(0.86)], egyptian, { minBridgeSimilarity: 0.9 })).toEqual(["egypt"]);
  });

  it("leaves words from the history alone, and Arabic words unless asked", () => {
    const groups = analyzeQuery("ماذا قال في الجزائر؟", [{ role: "user", content: "What did Lavrov say?" }]).groups;
    expect(unmentionedEntities(groups, document)).toEqual([]);
    expect(unmentionedEntities(groups, document, { arabicWords: true })).toEqual(["الجزاءر"]);
  });
});

describe("the retriever's named-word check", () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const { corpus } = buildCorpus([
    { name: "plant.txt", bytes: encode("افتتحت الحكومة محطة تحلية المياه في مدينة العلمين عام 2019.\nتنتج المحطة مئة ألف متر مكعب من المياه يوميا.") },
  ]);

  it("refuses a question whose year the cited document never mentions, and only when asked to", async () => {
    const checked = (await buildInMemoryPipeline(corpus, { retriever: { entityCheck: {} } })).retriever;
    const unchecked = (await buildInMemoryPipeline(corpus)).retriever;
    const right = await checked.retrieve("متى افتتحت الحكومة محطة تحلية المياه عام 2019؟");
    expect(right.unmentioned).toEqual([]);
    expect(right.abstained).toBe(false);
    const swapped = await checked.retrieve("متى افتتحت الحكومة محطة تحلية المياه عام 2021؟");
    expect(swapped.unmentioned).toEqual(["2021"]);
    expect(swapped.abstained).toBe(true);
    expect(swapped.confidence).toBe(0);
    expect((await unchecked.retrieve("متى افتتحت الحكومة محطة تحلية المياه عام 2021؟")).abstained).toBe(false);
  });
});
