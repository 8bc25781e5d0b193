// The model's cross-lingual bridge (src/retrieve/bridge.ts): which Arabic vocabulary a corpus
// offers, and which of it a foreign word reaches, with a toy embedder whose vectors are known.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bridgeVocabulary, createBridge } from "../../src/retrieve/bridge";
import { createQueryAnalyzer } from "../../src/retrieve/query";
import { createAnalyzer, detectLanguage } from "../../src/text";

const analyzer = createAnalyzer();
const termsOf = (word: string) => analyzer.analyze(word);

describe("bridgeVocabulary", () => {
  it("keeps distinct content words, most frequent first, and phrases that recur", () => {
    const entries = bridgeVocabulary(["محطة تحلية المياه في مصر. محطة تحلية جديدة، والمياه عذبة.", "تعمل محطة تحلية قرب محطة"], { termsOf });
    expect(entries[0]).toBe("محطة");
    expect(entries).toContain("تحلية");
    expect(entries).not.toContain("في"); // a stop word
    expect(entries).toContain("محطة تحلية"); // three times
    expect(entries).not.toContain("المياه في"); // a stop word breaks a phrase
    expect(entries).not.toContain("مصر محطة"); // so does a full stop
    expect(entries).not.toContain("تحلية المياه"); // once only
    expect(new Set(entries).size).toBe(entries.length);
  });

  it("reads surface forms without tashkeel, and respects its bound", () => {
    const entries = bridgeVocabulary(["كَتَبَ الطالبُ الدرسَ"], { termsOf, maxEntries: 2 });
    expect(entries.length).toBe(2);
    for (const entry of entries) expect(entry).toMatch(/^[\u0621-\u064A ]+$/);
  });

  it("never holds a word that is not in the texts", () => {
    // (a phrase's two words stand together, with whatever spacing the text has)
    fc.assert(
      fc.property(fc.array(fc.constantFrom("مدينة", "القاهرة", "نهر", "النيل", "في", "من", "،", ".", " "), { maxLength: 30 }), (parts) => {
        const text = parts.join(" ");
        for (const entry of bridgeVocabulary([text], { termsOf, minPhraseCount: 1 })) expect(text.replace(/ +/g, " ")).toContain(entry);
      }),
    );
  });
});

// Toy vectors: each entry and foreign word is a unit vector on named axes.
const AXES = ["water", "plant", "egypt", "city"];
const unit = (weights: Record<string, number>) => {
  const v = Float32Array.from(AXES.map((axis) => weights[axis] ?? 0));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const VECTORS: Record<string, Float32Array> = {
  مياه: unit({ water: 1 }),
  والمياه: unit({ water: 1, city: 0.05 }),
  محطة: unit({ plant: 1 }),
  مصر: unit({ egypt: 1 }),
  water: unit({ water: 1, plant: 0.1 }),
  plant: unit({ plant: 1, water: 0.6 }),
  Cairo: unit({ city: 1 }),
};
const entries = ["مياه", "والمياه", "محطة", "مصر"];
const bridge = createBridge({
  entries,
  vectors: Float32Array.from(entries.flatMap((e) => [...VECTORS[e]])),
  dimension: AXES.length,
  embed: async (texts) => texts.map((t) => VECTORS[t] ?? unit({ city: 1 })),
  floor: 0.8,
  depth: 2,
  keyOf: (entry) => analyzer.words(entry).map((w) => analyzer.termsOfWord(w)[0] ?? w).join(" "),
});

describe("createBridge", () => {
  it("finds a word's nearest entries above the floor, clitic variants once", async () => {
    const found = await bridge(["water", "plant", "Cairo"]);
    expect(found.get("water")!.map((e) => e.text)).toEqual(["مياه"]);
    expect(found.get("plant")!.map((e) => e.text)).toEqual(["محطة"]);
    expect(found.get("Cairo")).toEqual([]); // nothing above the floor
  });

  it("leaves Arabic words, numbers and empty lists alone", async () => {
    expect((await bridge(["مياه", "2019"])).size).toBe(0);
    expect((await bridge([])).size).toBe(0);
  });

  it("names the words it would embed, and embeds none of those it was handed vectors for", async () => {
    const embedded: string[] = [];
    const counted = createBridge({ entries, vectors: Float32Array.from(entries.flatMap((e) => [...VECTORS[e]])), dimension: AXES.length, embed: async (texts) => (embedded.push(...texts), texts.map((t) => VECTORS[t])), floor: 0.8 });
    expect(counted.unknown(["water", "plant", "مياه", "2019", "water"])).toEqual(["water", "plant"]);
    counted.learn(["water"], [VECTORS.water]);
    expect(counted.unknown(["water", "plant"])).toEqual(["plant"]);
    const found = await counted(["water", "plant"]);
    expect(embedded).toEqual(["plant"]);
    expect(found.get("water")!.map((e) => e.text)).toEqual(["مياه", "والمياه"]);
    expect(() => counted.learn(["Cairo"], [])).toThrow(/vectors/);
  });

  it("refuses vectors that do not match the entries", () => {
    expect(() => createBridge({ entries, vectors: new Float32Array(3), dimension: 4, embed: async () => [] })).toThrow(/entries/);
  });
});

describe("bridged words in the query", () => {
  it("join the word's group below its own weight, and only for the question's own words", async () => {
    const analyzeQuery = createQueryAnalyzer({ analyze: (t) => analyzer.analyze(t), words: (t) => analyzer.words(t), detectLanguage, bridgeWeight: 0.5 });
    const question = "How much water does the plant make?";
    const plain = analyzeQuery(question);
    const bridged = analyzeQuery(question, [], await bridge(plain.groups.map((g) => g.word)));
    const water = bridged.groups.find((g) => g.word === "water")!;
    const arabic = water.variants.filter((v) => /[\u0600-\u06FF]/.test(v.term));
    expect(arabic.length).toBeGreaterThan(0);
    for (const v of arabic) expect(v.weight).toBe(0.5);
    expect(Math.max(...water.variants.map((v) => v.weight))).toBe(1);
    expect(plain.groups.flatMap((g) => g.variants).some((v) => /[\u0600-\u06FF]/.test(v.term))).toBe(false);
  });
});
