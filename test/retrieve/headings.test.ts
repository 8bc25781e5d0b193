// A heading of a structured source (a DOCX or web page's section title, read as a line of its own)
// names a subject but answers nothing: asked "What is the population of Warsaw?", a Word file's
// title "Warsaw" was cited as the answer. Headings are never cited; the sentences under them are.
import { describe, expect, it } from "vitest";
import { buildPassages, segmentDocument } from "../../src/corpus";
import { locateSpans } from "../../src/corpus/locate-spans";
import type { Corpus, SectionSpan } from "../../src/types";
import { buildInMemoryPipeline } from "../../scripts/lib/engine";

/** One document whose lines alternate heading / body, with each heading's section spanning its body. */
function sectionedCorpus(parts: [heading: string, body: string][]): Corpus {
  const text = parts.map(([heading, body]) => `${heading}\n${body}\n`).join("");
  const sections: SectionSpan[] = [];
  let at = 0;
  // Fixture offsets, laid out here as the text is written (a reader records them the same way).
  for (const [heading, body] of parts) {
    const end = at + heading.length + 1 + body.length;
    sections.push({ heading, start: at, end });
    at = end + 1;
  }
  const segmented = segmentDocument({ id: "city", meta: { title: "City" }, text });
  const document = { ...segmented.document, format: "docx" as const, sections };
  const sentences = locateSpans(segmented.sentences, undefined, sections);
  return { documents: [document], sentences, passages: buildPassages([document], sentences) };
}

const corpus = sectionedCorpus([
  ["Warsaw", "Warsaw is the capital of Poland and stands on the Vistula river."],
  ["Population", "In 2021 Warsaw had a population of 1.86 million residents."],
  ["Climate", "Winters in the city are cold and summers are warm."],
]);

describe("headings", () => {
  it("are located as sentences of their own section", () => {
    const heading = corpus.sentences.find((s) => s.text === "Population");
    expect(heading?.section).toBe("Population");
  });

  it("are never cited, even when they hold the question's words", async () => {
    const { engine } = await buildInMemoryPipeline(corpus, { abstainBelow: 0 });
    for (const question of ["What is the population of Warsaw?", "Warsaw population", "Population"]) {
      const answer = await engine.answer({ question, topK: 3, history: [] });
      const headings = new Set(corpus.documents[0].sections!.map((s) => s.heading));
      for (const citation of answer.citations) expect(headings.has(citation.text), `${question}: ${citation.text}`).toBe(false);
    }
    const answer = await engine.answer({ question: "What is the population of Warsaw?", topK: 3, history: [] });
    expect(answer.citations[0]?.text).toBe("In 2021 Warsaw had a population of 1.86 million residents.");
  });
});
