import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { composeAnswer, escapeMarkdown, REFUSAL_PASSAGES } from "../../src/answer/compose";
import { messagesFor } from "../../src/answer/messages";
import type { Retrieval } from "../../src/retrieve";
import type { Passage, Sentence, SourceDocument } from "../../src/types";

const text = "جملة أولى *مهمة* [1]. جملة ثانية <b>x</b>.";
const doc: SourceDocument = { id: "d", meta: { title: "عنوان_1" }, text, paragraphs: [{ index: 1, start: 0, end: text.length }] };
const first = text.indexOf("جملة ثانية");
const sentences: Sentence[] = [
  { id: "d:1:1", docId: "d", paragraph: 1, sentence: 1, start: 0, end: first - 1, text: text.slice(0, first - 1) },
  { id: "d:1:2", docId: "d", paragraph: 1, sentence: 2, start: first, end: text.length, text: text.slice(first) },
];
const passage: Passage = { index: 0, docId: "d", paragraph: 1, start: 0, end: text.length, sentenceIndices: [0, 1], text };

const retrieval = (overrides: Partial<Retrieval> = {}): Retrieval => ({
  query: { language: "ar", groups: [], denseText: "" },
  abstained: false,
  confidence: 0.8,
  passages: [{ passage, score: 1 }],
  cited: [
    { sentence: sentences[1], score: 0.8, evidenceScore: 0.8, coverage: 1, evidence: { matched: 3, total: 3, ownMatched: 3, ownTotal: 3 }, signals: { coverage: 1, similarity: 0.5, passage: 1, proximity: 1, densePassage: 0 } },
    { sentence: sentences[0], score: 0.7, evidenceScore: 0.7, coverage: 0.8, evidence: { matched: 2, total: 3, ownMatched: 2, ownTotal: 3 }, signals: { coverage: 0.8, similarity: 0.4, passage: 1, proximity: 0.5, densePassage: 0 } },
  ],
  candidates: [],
  timings: { total: 1 },
  ...overrides,
});

describe("composeAnswer", () => {
  it("numbers citations in rank order and quotes each verbatim with its marker", () => {
    const answer = composeAnswer(retrieval(), new Map([["d", doc]]));
    expect(answer.citations.map((c) => [c.n, c.sentence])).toEqual([[1, 2], [2, 1]]);
    for (const c of answer.citations) expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(answer.answer).toContain("[1]");
    expect(answer.answer).toContain("[2]");
    expect(answer.passages[0].citations).toEqual([1, 2]);
    expect(answer.citations[0].title).toBe("عنوان_1");
  });

  it("renders the quotes as the source reads: markdown and HTML in a source stay text", () => {
    const html = marked.parse(composeAnswer(retrieval(), new Map([["d", doc]])).answer) as string;
    expect(html).toContain("*مهمة*");
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).not.toContain("<b>x</b>");
    expect(html).not.toContain("<em>");
  });

  it("refuses in the question's language with no citations", () => {
    const en = composeAnswer(retrieval({ abstained: true, cited: [], query: { language: "en", groups: [], denseText: "" } }), new Map([["d", doc]]));
    expect(en).toMatchObject({ abstained: true, citations: [], answer: messagesFor("en").refusal });
    const fr = composeAnswer(retrieval({ abstained: true, cited: [], query: { language: "fr", groups: [], denseText: "" } }), new Map());
    expect(fr.answer).toBe(messagesFor("fr").refusal);
    expect(messagesFor("xx").refusal).toBe(messagesFor("en").refusal);
    // Persian and Urdu share the sources' script but not their language: their own words, not Arabic ones.
    for (const language of ["fa", "ur"]) expect(messagesFor(language).refusal).not.toBe(messagesFor("ar").refusal);
    expect(messagesFor("fa").lead).toBe("بر پایهٔ منابع:");
  });

  it("says which named words the closest source never mentions, when that is why it refused", () => {
    const ar = composeAnswer(retrieval({ abstained: true, cited: [], unmentioned: ["الجزائر", "2019"] }), new Map([["d", doc]]));
    expect(ar).toMatchObject({ abstained: true, citations: [], unmentioned: ["الجزائر", "2019"] });
    expect(ar.answer).toBe("المصدر الأقرب إلى السؤال لا يذكر «الجزائر»، «2019»، فهو لا يجيب عنه.");
    const en = composeAnswer(retrieval({ abstained: true, cited: [], unmentioned: ["Libya"], query: { language: "en", groups: [], denseText: "" } }), new Map());
    expect(en.answer).toBe("The closest source never mentions “Libya”, so it does not answer this question.");
    // Every answer language says it in its own words, naming the word as the question wrote it.
    for (const language of ["ar", "en", "fr", "es", "de", "fa", "ur", "ru"]) {
      const messages = messagesFor(language);
      expect(messages.unmentioned(messages.quote(["X1"]))).toContain("X1");
      if (language !== "en") expect(messages.unmentioned("x")).not.toBe(messagesFor("en").unmentioned("x"));
    }
    // Refused for another reason: the plain refusal, and no unmentioned field.
    const plain = composeAnswer(retrieval({ abstained: true, cited: [], unmentioned: [] }), new Map());
    expect(plain.answer).toBe(messagesFor("ar").refusal);
    expect(plain).not.toHaveProperty("unmentioned");
  });

  it("returns the closest passages with a refusal, each citing nothing, at most REFUSAL_PASSAGES of them", () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ passage, score: 1 - i / 10 }));
    const refused = composeAnswer(retrieval({ abstained: true, cited: [], passages: many }), new Map([["d", doc]]));
    expect(refused.citations).toEqual([]);
    expect(refused.passages).toHaveLength(REFUSAL_PASSAGES);
    expect(refused.passages.map((p) => p.score)).toEqual([1, 0.9, 0.8]);
    for (const p of refused.passages) {
      expect(p).toMatchObject({ docId: "d", title: "عنوان_1", paragraph: 1, citations: [] });
      expect(text.slice(p.start, p.end)).toBe(p.text);
    }
    // Nothing retrieved at all: still a well-formed refusal.
    expect(composeAnswer(retrieval({ abstained: true, cited: [], passages: [] }), new Map()).passages).toEqual([]);
  });
});

describe("escapeMarkdown", () => {
  it.each([
    ["a*b*", "a\\*b\\*"],
    ["# heading", "\\# heading"],
    ["1. item", "1\\. item"],
    ["- item", "\\- item"],
    ["x - y. 3.5", "x - y. 3.5"],
    ["[link](url)", "\\[link\\](url)"],
  ])("escapes %s", (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it("names the page of a paginated source before the paragraph, in the question's language", () => {
    const paged = (page: number, pageEnd?: number): Retrieval =>
      retrieval({ cited: [{ ...retrieval().cited[0], sentence: { ...sentences[1], page, ...(pageEnd !== undefined && { pageEnd }), section: "المقدمة", ocr: true, ocrConfidence: 71 } }] });
    const ar = composeAnswer(paged(12), new Map([["d", doc]]));
    expect(ar.citations[0]).toMatchObject({ page: 12, section: "المقدمة", ocr: true });
    expect(ar.citations[0].pageEnd).toBeUndefined();
    expect(ar.answer).toContain("ص 12، الفقرة 1، الجملة 2");
    const en = composeAnswer({ ...paged(12, 13), query: { language: "en", groups: [], denseText: "" } }, new Map([["d", doc]]));
    expect(en.citations[0]).toMatchObject({ page: 12, pageEnd: 13 });
    expect(en.answer).toContain("pp. 12–13, paragraph 1, sentence 2");
    expect(composeAnswer({ ...paged(3), query: { language: "en", groups: [], denseText: "" } }, new Map([["d", doc]])).answer).toContain("p. 3, paragraph 1");
    expect(composeAnswer(retrieval(), new Map([["d", doc]])).answer).not.toMatch(/ص \d/);
  });
});
