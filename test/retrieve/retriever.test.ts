// Ranking on a small hand-made corpus of two documents. Each expectation says why the sentence
// ranks where it does, so a change in scoring that breaks one shows which signal moved.
import { beforeAll, describe, expect, it } from "vitest";
import { buildCorpus } from "../../src/corpus/build";
import { idsToRead, reciprocalRankFusion } from "../../src/retrieve";
import { DEFAULT_SENTENCE_WEIGHTS } from "../../src/retrieve/retriever";
import type { Retriever } from "../../src/retrieve";
import { createBuiltInEmbedder, createDefaultAnalyzer, createPipeline } from "../../src/pipeline";
import { createExactIndex } from "../../src/index/exact";
import type { EmbedKind } from "../../src/types";
import { buildInMemoryPipeline } from "../../scripts/lib/engine";
import { createLexicons } from "../../src/text/lexicon";
import { fixtureFile } from "../text/lexicon/fixtures";

const encode = (text: string) => new TextEncoder().encode(text);
const { corpus } = buildCorpus([
  {
    name: "agreements.txt",
    bytes: encode(
      [
        "وقعت الحكومة اتفاقية الضمانات الأمنية مع الدولة المجاورة في ديسمبر 2024.",
        "وستوقع وزارة الاقتصاد اتفاقية تجارية جديدة في مارس 2025. وتشمل الاتفاقية التجارية خفض الرسوم الجمركية.",
        "وأكد وزير الخارجية أن التعاون الدفاعي بين البلدين سيتعزز خلال العام المقبل.",
      ].join("\n"),
    ),
  },
  {
    name: "water.txt",
    bytes: encode(
      [
        "افتتحت البلدية محطة جديدة لتحلية المياه في المدينة الساحلية.",
        "تنتج المحطة مئة ألف متر مكعب من المياه يومياً.",
      ].join("\n"),
    ),
  },
]);

let retriever: Retriever;
beforeAll(async () => {
  ({ retriever } = await buildInMemoryPipeline(corpus, { abstainBelow: 0.3 }));
});

const top = async (question: string, history: { role: "user" | "assistant"; content: string }[] = []) => {
  const r = await retriever.retrieve(question, { topK: 5, history });
  return { ...r, first: r.cited[0]?.sentence };
};

describe("the refusal threshold", () => {
  it("reads the confidence as reported: a question at the threshold is answered, one under it refused", async () => {
    const question = "متى افتتحت محطة تحلية المياه؟";
    const { confidence } = await (await buildInMemoryPipeline(corpus, { abstainBelow: 0 })).retriever.retrieve(question);
    expect(confidence).toBe(Math.round(confidence * 10000) / 10000);
    expect((await (await buildInMemoryPipeline(corpus, { abstainBelow: confidence })).retriever.retrieve(question)).abstained).toBe(false);
    expect((await (await buildInMemoryPipeline(corpus, { abstainBelow: confidence + 0.0001 })).retriever.retrieve(question)).abstained).toBe(true);
  });
});

describe("retriever ranking", () => {
  it("ranks first the sentence holding all the question's content words", async () => {
    // "محطة", "تحلية", "المياه" occur together only in water.txt ¶1; ¶2 shares only "المحطة"/"المياه".
    const r = await top("متى افتتحت محطة تحلية المياه؟");
    expect(r.first?.docId).toBe("water");
    expect(r.first?.paragraph).toBe(1);
  });

  it("finds a sentence despite spelling variants: ه for ة and a dropped hamza", async () => {
    // Normalisation folds ة→ه and أ→ا on both sides, so "الامنيه" matches "الأمنية" exactly.
    const r = await top("متى وقعت اتفاقيه الضمانات الامنيه؟");
    expect(r.first?.text).toContain("اتفاقية الضمانات الأمنية");
  });

  it("prefers the sentence matching the rarer words when two share the common ones", async () => {
    // Both agreement sentences contain "اتفاقية"; only the trade one has "الرسوم الجمركية" (rare: idf high).
    const r = await top("ما الذي تشمله الاتفاقية بشأن الرسوم الجمركية؟");
    expect(r.first?.text).toContain("خفض الرسوم الجمركية");
  });

  it("resolves a short follow-up with the previous question from the history", async () => {
    // "توقيعها" alone fits both agreements; the previous turn names the security guarantees,
    // whose words (weighted lower, from history) tip the ranking to the December sentence.
    const history = [
      { role: "user" as const, content: "ما هي اتفاقية الضمانات الأمنية؟" },
      { role: "assistant" as const, content: "اتفاقية بين الحكومة والدولة المجاورة." },
    ];
    const r = await top("ومتى تم توقيعها؟", history);
    expect(r.first?.text).toContain("ديسمبر 2024");
  });

  it("translates English content words through the optional bilingual dictionary, when given one", async () => {
    // "water" and "station" translate to words of water.txt ¶1 / ¶2; nothing else matches. The real
    // dictionaries are optional GPL data (npm run lexicons); a two-word fixture stands in for them.
    const lexicons = createLexicons({ "en-ar": fixtureFile({ station: ["المحطه", "محطه"], water: ["المياه", "مياه"] }) });
    const withDictionary = (await buildInMemoryPipeline(corpus, { abstainBelow: 0.3, lexicons })).retriever;
    const r = await withDictionary.retrieve("How much water does the station produce?", { topK: 5 });
    expect(r.cited[0]?.sentence.docId).toBe("water");
    // Without one (the default), the question shares no word with the corpus: refused, not guessed.
    expect((await top("How much water does the station produce?")).abstained).toBe(true);
  });

  it("abstains when no sentence covers the question, and cites nothing", async () => {
    // No word of the question occurs in the corpus: coverage 0, so the score stays under the threshold.
    const r = await top("من فاز بكأس العالم لكرة القدم؟");
    expect(r.abstained).toBe(true);
    expect(r.cited).toEqual([]);
    expect(r.confidence).toBeLessThan(0.3);
  });

  it("returns passages best first with scores relative to the best", async () => {
    const r = await top("اتفاقية تجارية جديدة");
    expect(r.passages[0].score).toBe(1);
    for (let i = 1; i < r.passages.length; i++) expect(r.passages[i].score).toBeLessThanOrEqual(r.passages[i - 1].score);
  });
});

describe("a candidate's signals", () => {
  it("are each in [0, 1], and the score is their sum weighted by the default weights", async () => {
    // scripts/explain.ts prints these signals to show why a sentence ranks where it does, so they
    // must be exactly what the score was made of.
    const r = await retriever.retrieve("ما الذي تشمله الاتفاقية بشأن الرسوم الجمركية؟", { topK: 5 });
    expect(r.candidates.length).toBeGreaterThan(1);
    for (const candidate of r.candidates) {
      const { signals } = candidate;
      for (const value of Object.values(signals)) expect(value).toBeGreaterThanOrEqual(0);
      for (const value of Object.values(signals)) expect(value).toBeLessThanOrEqual(1);
      const w = DEFAULT_SENTENCE_WEIGHTS;
      const weighted = w.coverage * signals.coverage + w.similarity * signals.similarity + w.passage * signals.passage + w.proximity * signals.proximity;
      expect(candidate.score).toBeCloseTo(weighted, 3);
    }
  });
});

describe("evidence and caches", () => {
  it("refuses an off-topic question that shares one coincidental word with a sentence", async () => {
    // "المحطة" is the only word of five found (water.txt): one word is not evidence of an answer.
    const r = await top("كم عدد ركاب المحطة في القطار السريع؟");
    expect(r.abstained).toBe(true);
    expect(r.confidence).toBe(0);
  });

  it("refuses an off-topic question asked after an answered one, and still answers a real follow-up", async () => {
    const history = [{ role: "user" as const, content: "متى وقعت الحكومة اتفاقية الضمانات الأمنية؟" }];
    // Only the earlier question's words (اتفاقية, الضمانات…) are in any sentence: none of this one's.
    expect((await top("ما عاصمة كندا؟", history)).abstained).toBe(true);
    // "وقعت" is its own word, found in the sentence the earlier question is about.
    expect((await top("ومن وقعها؟", history)).first?.docId).toBe("agreements");
  });

  it("gives the same answers when only one sentence's terms and vector are kept between questions", async () => {
    // Each question scores several sentences, so a one-entry cache evicts while a question is scored.
    const { retriever: forgetful } = await buildInMemoryPipeline(corpus, { abstainBelow: 0.3, retriever: { sentenceCacheSize: 1 } });
    for (const question of ["متى افتتحت محطة تحلية المياه؟", "اتفاقية تجارية جديدة", "متى وقعت اتفاقية الضمانات؟", "متى افتتحت محطة تحلية المياه؟"]) {
      const [a, b] = [await retriever.retrieve(question), await forgetful.retrieve(question)];
      expect(b.candidates.map((s) => [s.sentence.id, s.score])).toEqual(a.candidates.map((s) => [s.sentence.id, s.score]));
    }
  });
});

describe("reciprocalRankFusion", () => {
  it("rewards ids ranked well by both lists over an id first in only one", () => {
    const fused = reciprocalRankFusion([
      { hits: [{ id: 1, score: 9 }, { id: 2, score: 8 }], weight: 1 },
      { hits: [{ id: 2, score: 5 }, { id: 3, score: 4 }], weight: 1 },
    ]);
    expect(fused.map((h) => h.id)).toEqual([2, 1, 3]);
  });

  it("handles empty lists", () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([{ hits: [], weight: 1 }])).toEqual([]);
  });
});

describe("idsToRead", () => {
  const hits = (...ids: number[]) => ids.map((id, i) => ({ id, score: 10 - i }));
  it("reads the fused top, then each list's first ids that fusion ranked lower, in fused order", () => {
    const fused = hits(5, 6, 7, 8, 9, 1, 2);
    // 9 is fused 5th but first of the dense list; 1 is first of the lexical list.
    expect(idsToRead(fused, [hits(9, 5), hits(1, 6)], 3, 1)).toEqual([5, 6, 7, 9, 1]);
    // Already among the top: nothing is added; depth 0 and each 0 read nothing.
    expect(idsToRead(fused, [hits(5), hits(6)], 3, 2)).toEqual([5, 6, 7]);
    expect(idsToRead(fused, [hits(9)], 0, 0)).toEqual([]);
    expect(idsToRead([], [], 8, 2)).toEqual([]);
  });
});

describe("a passage only one list found", () => {
  it("is still read when it is that list's first, however low fusion ranks it", async () => {
    const { createBuiltInEmbedder, createPipeline } = await import("../../src/pipeline");
    // Ten passages share one or two of the question's words; one holds its whole phrase.
    const filler = ["المجلس", "الأمن", "الدولة", "المجلس والدولة", "الأمن والدولة", "أمانة", "أمانة المجلس", "الدولة والأمن", "المجلس الأعلى", "الأمن العام"];
    const texts = [...filler.map((words, i) => `خبر رقم ${i + 1} عن ${words} في العاصمة.`), "يقع هذا ضمن اختصاص أمانة الدولة لمجلس الأمن في الجمهورية."];
    const { corpus: many } = buildCorpus(texts.map((text, i) => ({ name: `d${String(i).padStart(2, "0")}.txt`, bytes: encode(text) })));
    const target = many.passages.findIndex((p) => p.text.includes("اختصاص"));
    const embedder = createBuiltInEmbedder(many);
    // A dense list that ranks every other passage and not the target: fusion then ranks every
    // passage both lists found above it, and it falls below the eight passages read by default.
    const others = many.passages.map((_, id) => id).filter((id) => id !== target);
    const blindDense = { dimension: embedder.dimension, size: many.passages.length, search: (_: Float32Array, k: number) => others.slice(0, k).map((id, i) => ({ id, score: 1 - i / 100 })) };
    const question = "ما الذي يقع ضمن اختصاص أمانة الدولة لمجلس الأمن؟";
    const read = async (rerankFirstOfEach: number) => {
      const { retriever } = createPipeline({ corpus: many, embedder, vectorIndex: blindDense, retriever: { rerankFirstOfEach } });
      return (await retriever.retrieve(question, { topK: 3 })).cited[0]?.sentence.docId;
    };
    expect(await read(0)).not.toBe(`d${String(target).padStart(2, "0")}`);
    expect(await read(2)).toBe(`d${String(target).padStart(2, "0")}`);
  });
});

describe("retriever work per question", () => {
  it("embeds an Arabic question once when the same embedder serves search and sentence similarity", async () => {
    const { createBuiltInEmbedder, createPipeline } = await import("../../src/pipeline");
    const { createExactIndex } = await import("../../src/index/exact");
    const embedder = createBuiltInEmbedder(corpus);
    const vectors = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
    const queries: string[] = [];
    const counting = { ...embedder, embed: (texts: string[], kind: "query" | "passage") => (kind === "query" && queries.push(...texts), embedder.embed(texts, kind)) };
    const { retriever: counted } = createPipeline({ corpus, embedder: counting, vectorIndex: createExactIndex(embedder.dimension, vectors) });
    const r = await counted.retrieve("متى افتتحت محطة تحلية المياه؟", { topK: 3 });
    expect(r.cited[0]?.sentence.docId).toBe("water");
    expect(queries).toEqual(["متى افتتحت محطة تحلية المياه؟"]);
    // A follow-up is searched with the previous question, but its similarity still uses that same text.
    queries.length = 0;
    await counted.retrieve("ومتى افتتحت؟", { topK: 3, history: [{ role: "user", content: "محطة تحلية المياه" }] });
    expect(queries).toHaveLength(1);
  });
});

describe("words only the model's bridge found (retrieve/bridge.ts)", () => {
  // A stand-in bridge: each English word's Arabic corpus word, as the model would find it.
  const ARABIC: Record<string, string> = { water: "المياه", plant: "محطة", produce: "تنتج" };
  const lookUp = async (words: readonly string[]) => new Map(words.map((w) => [w, ARABIC[w] ? [{ text: ARABIC[w], similarity: 0.9 }] : []]));
  const bridge = Object.assign(lookUp, { unknown: () => [], learn: () => undefined });
  const crossLingual = { fusion: { dense: 1, lexical: 1, k: 60 }, sentenceWeights: DEFAULT_SENTENCE_WEIGHTS, abstainBelow: 0 };

  it("lift the ranking of the sentences they match but not the confidence the refusal reads", async () => {
    const { retriever: bridged } = await buildInMemoryPipeline(corpus, { abstainBelow: 0, retriever: { bridge, crossLingual } });
    const r = await bridged.retrieve("How much water does the plant produce?");
    expect(r.query.language).not.toBe("ar");
    const best = r.candidates[0];
    expect(best.sentence.text).toContain("المياه");
    expect(best.signals.coverage).toBeGreaterThan(0);
    // Its evidence score counts none of the bridged words: the question's own (English) words are in no sentence.
    expect(best.evidenceScore).toBeLessThan(best.score);
    expect(best.evidence.matched).toBe(0);
    expect(r.confidence).toBe(Math.max(...r.candidates.map((c) => c.evidenceScore)));
    for (const c of r.candidates) expect(c.evidenceScore).toBeLessThanOrEqual(c.score);
  });

  it("embeds a question and the words the bridge has not seen in one call, and leaves Arabic questions unbridged", async () => {
    const analyzer = createDefaultAnalyzer();
    const inner = createBuiltInEmbedder(corpus, analyzer);
    const calls: string[][] = [];
    const embedder = { ...inner, embed: (texts: string[], kind: EmbedKind) => (kind === "query" && calls.push(texts), inner.embed(texts, kind)) };
    const learned: string[] = [];
    const seen = new Set<string>();
    const counting = Object.assign(async (words: readonly string[]) => (words.forEach((w) => seen.add(w)), lookUp(words)), {
      unknown: (words: readonly string[]) => words.filter((w) => !learned.includes(w)),
      learn: (words: readonly string[], vectors: readonly Float32Array[]) => {
        expect(vectors).toHaveLength(words.length);
        learned.push(...words);
      },
    });
    const vectorIndex = createExactIndex(inner.dimension, await inner.embed(corpus.passages.map((p) => p.text), "passage"));
    const { retriever: bridged } = createPipeline({ corpus, embedder, vectorIndex, analyzer, abstainBelow: 0, retriever: { bridge: counting, crossLingual } });
    calls.length = 0;
    await bridged.retrieve("How much water does the plant produce?");
    expect(calls).toHaveLength(1);
    expect(calls[0][0]).toBe("How much water does the plant produce?");
    expect(calls[0].slice(1).sort()).toEqual([...learned].sort());
    expect(learned).toContain("water");
    // Known words are not embedded again.
    await bridged.retrieve("Where is the water plant?");
    expect(calls[1]).toEqual(["Where is the water plant?"]);
    // Arabic questions never reach the bridge.
    seen.clear();
    await bridged.retrieve("كم تنتج المحطة من المياه؟");
    expect(calls[2]).toHaveLength(1);
    expect(seen.size).toBe(0);
  });
});
