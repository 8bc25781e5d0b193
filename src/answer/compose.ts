// Composes the reply: the cited sentences quoted verbatim in markdown with markers [n], the
// citations that locate each one in its document, and the passages they came from.
import type { AnswerResponse, Citation, PassageHit, SourceDocument } from "../types";
import type { Retrieval, ScoredPassage } from "../retrieve";
import { messagesFor, type AnswerMessages } from "./messages";

/** Characters that markdown interprets inside a line; escaped so the rendered quote reads as the source. */
const INLINE_SPECIAL = /[\\`*_[\]<>|~]/g;
/** Headings, list items and quotes are only markdown at the start of a line. */
const LINE_START_SPECIAL = /^(\s*)([#>+-])/;
const ORDERED_LIST_START = /^(\s*\d+)([.)])/;

export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(LINE_START_SPECIAL, "$1\\$2")
    .replace(ORDERED_LIST_START, "$1\\$2");
}

/** Closest passages returned with a refusal: enough to judge by, few enough to read. */
export const REFUSAL_PASSAGES = 3;

export function composeAnswer(retrieval: Retrieval, documentsById: ReadonlyMap<string, SourceDocument>): AnswerResponse {
  const messages = messagesFor(retrieval.query.language);
  const titleOf = (docId: string) => documentsById.get(docId)?.meta.title ?? docId;
  const base = { language: retrieval.query.language, confidence: retrieval.confidence, timings: retrieval.timings };

  if (retrieval.abstained) {
    // No citations (nothing answers), but the closest passages still go back, each citing nothing,
    // so a reader can judge for themselves what the sources hold near the question.
    const passages = retrieval.passages.slice(0, REFUSAL_PASSAGES).map((hit) => passageHit(hit, titleOf, []));
    // Refused for a name the closest document never mentions: say which, so the reader knows why.
    const unmentioned = retrieval.unmentioned ?? [];
    if (unmentioned.length > 0) return { ...base, answer: messages.unmentioned(messages.quote(unmentioned)), abstained: true, citations: [], passages, unmentioned };
    return { ...base, answer: messages.refusal, abstained: true, citations: [], passages };
  }

  const citations: Citation[] = retrieval.cited.map(({ sentence, score }, i) => ({
    n: i + 1,
    docId: sentence.docId,
    title: titleOf(sentence.docId),
    paragraph: sentence.paragraph,
    sentence: sentence.sentence,
    start: sentence.start,
    end: sentence.end,
    text: sentence.text,
    score,
    ...(sentence.page !== undefined && { page: sentence.page }),
    ...(sentence.pageEnd !== undefined && sentence.pageEnd !== sentence.page && { pageEnd: sentence.pageEnd }),
    ...(sentence.section !== undefined && { section: sentence.section }),
    ...(sentence.ocr && { ocr: true as const }),
  }));

  const passages = retrieval.passages.map((hit) => passageHit(hit, titleOf, citations));

  const quotes = citations.map((c) => `> ${escapeMarkdown(c.text)} [${c.n}]`).join("\n>\n");
  const sources = citations
    .map((c) => `${c.n}. ${escapeMarkdown(c.title)} — ${citedPlace(c, messages)}`)
    .join("\n");
  const answer = `${messages.lead}\n\n${quotes}\n\n**${messages.sources}**\n\n${sources}\n`;
  return { ...base, answer, abstained: false, citations, passages };
}

/** "p. 12, paragraph 3, sentence 1": the page first, when the source has pages, as a reader looks it up. */
function citedPlace(citation: Citation, messages: AnswerMessages): string {
  const location = messages.location(citation.paragraph, citation.sentence);
  return citation.page === undefined ? location : `${messages.page(citation.page, citation.pageEnd)}${messages.separator}${location}`;
}

/** A retrieved passage as the API returns it, listing the numbers of the citations inside it. */
function passageHit({ passage, score }: ScoredPassage, titleOf: (docId: string) => string, citations: Citation[]): PassageHit {
  return {
    docId: passage.docId,
    title: titleOf(passage.docId),
    paragraph: passage.paragraph,
    start: passage.start,
    end: passage.end,
    text: passage.text,
    score: Math.round(score * 10000) / 10000,
    citations: citations
      .filter((c) => c.docId === passage.docId && c.start >= passage.start && c.end <= passage.end)
      .map((c) => c.n),
  };
}
