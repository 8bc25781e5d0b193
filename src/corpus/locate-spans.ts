// Carries a paginated or structured source's spans onto its sentences: the page a sentence starts
// on (and the one it ends on, when it crosses a break), the heading it sits under, and whether its
// page was read by OCR. Sentences and spans both come in document order, so one pass suffices.
import type { PageSpan, SectionSpan, Sentence } from "../types";

export function locateSpans(sentences: Sentence[], pages: PageSpan[] | undefined, sections: SectionSpan[] | undefined): Sentence[] {
  if (!pages?.length && !sections?.length) return sentences;
  const pageAt = cursor(pages ?? []);
  const sectionAt = cursor(sections ?? []);
  return sentences.map((sentence) => {
    const first = pageAt(sentence.start);
    const section = sectionAt(sentence.start);
    const located: Sentence = { ...sentence };
    if (first) {
      located.page = first.page;
      // The last character's page, found without moving the cursor back.
      const last = pageContaining(pages!, sentence.end - 1, first);
      if (last && last.page !== first.page) located.pageEnd = last.page;
      if (first.ocr) {
        located.ocr = true;
        if (first.ocrConfidence !== undefined) located.ocrConfidence = first.ocrConfidence;
      }
    }
    if (section && sentence.start < section.end) located.section = section.heading;
    return located;
  });
}

/** For offsets met in increasing order: the last span starting at or before each. */
function cursor<T extends { start: number }>(spans: T[]): (offset: number) => T | undefined {
  let i = -1;
  return (offset) => {
    while (i + 1 < spans.length && spans[i + 1].start <= offset) i++;
    return i >= 0 ? spans[i] : undefined;
  };
}

function pageContaining(pages: PageSpan[], offset: number, from: PageSpan): PageSpan | undefined {
  let found: PageSpan | undefined;
  for (let i = pages.indexOf(from); i < pages.length && pages[i].start <= offset; i++) found = pages[i];
  return found;
}
