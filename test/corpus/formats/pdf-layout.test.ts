// Page layout without a PDF: running lines, columns, paragraphs and page spans over hand-made lines.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dropRunningLines, joinParagraphs, readingOrder, writePages, type FlowLine } from "../../../src/corpus/formats/pdf-layout";
import type { Line } from "../../../src/corpus/formats/pdf-lines";

const line = (text: string, y: number, x0 = 100, x1 = 500, rtl = true): Line => ({ text, y, x0, x1, size: 10, rtl });

describe("dropRunningLines", () => {
  it("drops a header and page numbers found on most pages, keeping the body", () => {
    const bodies = [["بداية الفصل", "عن الماء", "والنهر"], ["تتمة الحديث", "عن الزراعة", "في الوادي"], ["خاتمة", "النتائج", "والتوصيات"]];
    const pages = bodies.map((body, i) => [line("تقرير الأمن الإقليمي", 800), ...body.map((text, k) => line(text, 700 - k * 15)), line(`- ${i + 1} -`, 40, 290, 310)]);
    const kept = dropRunningLines(pages);
    expect(kept.map((page) => page.map((l) => l.text))).toEqual(bodies);
  });

  it("keeps a first line that recurs on only a few pages, and everything on a one-page document", () => {
    const pages = [line("عنوان مكرر", 800), line("متن", 700)];
    const other = [line("عنوان آخر", 800), line("متن ثان", 700)];
    expect(dropRunningLines([pages, other, other.map((l) => ({ ...l, text: l.text + " ٣" }))])[0]).toHaveLength(2);
    expect(dropRunningLines([pages])[0]).toHaveLength(2);
  });
});

describe("readingOrder", () => {
  const column = (x0: number, x1: number, label: string, rtl = true) => [780, 765, 750, 735].map((y, i) => line(`${label} ${i + 1}`, y, x0, x1, rtl));

  it("reads an Arabic page's right column first, each top to bottom, after a full-width title", () => {
    const lines = [...column(60, 280, "يسار"), ...column(320, 540, "يمين"), line("عنوان", 820, 60, 540)];
    expect(readingOrder(lines).map((flow) => flow.map((l) => l.text))).toEqual([["عنوان"], ["يمين 1", "يمين 2", "يمين 3", "يمين 4"], ["يسار 1", "يسار 2", "يسار 3", "يسار 4"]]);
  });

  it("reads a left-to-right page's left column first", () => {
    const lines = [...column(320, 540, "right", false), ...column(60, 280, "left", false)];
    expect(readingOrder(lines).map((flow) => flow[0].text)).toEqual(["left 1", "right 1"]);
  });

  it("keeps one column as one flow, top to bottom", () => {
    const lines = [line("ثان", 765), line("أول", 780), line("قصير", 750, 300, 500)];
    expect(readingOrder(lines).map((flow) => flow.map((l) => l.text))).toEqual([["أول", "ثان", "قصير"]]);
  });
});

describe("joinParagraphs", () => {
  const texts = (pages: FlowLine[][]) => pages.map((page) => page.map((l) => (l.startsParagraph ? "¶" : "") + l.text));

  it("starts a paragraph after a wider vertical gap, at an indent, and after a line that ended early", () => {
    const flow = [
      line("سطر أول كامل", 780),
      line("سطر ثان كامل", 765),
      line("فجوة", 735), // gap
      line("سطر كامل", 720),
      line("مسافة بادئة", 705, 100, 470), // indented from the right edge (500)
      line("سطر كامل آخر", 690),
      line("قصير", 675, 440, 500), // ends early
      line("بعد القصير", 660),
    ];
    expect(texts(joinParagraphs([[flow]]))).toEqual([["¶سطر أول كامل", "سطر ثان كامل", "¶فجوة", "سطر كامل", "¶مسافة بادئة", "سطر كامل آخر", "قصير", "¶بعد القصير"]]);
  });

  it("in justified text, ends a paragraph at a line that stops short of the edge, even across columns", () => {
    const ltr = (text: string, y: number, x1 = 280) => line(text, y, 60, x1, false);
    const left = [ltr("full", 780), ltr("full", 765), ltr("full", 750), ltr("nearly full", 735, 240)];
    const right = [line("next", 780, 320, 540, false), line("full", 765, 320, 540, false), line("full", 750, 320, 540, false)];
    expect(texts(joinParagraphs([[left, right]]))[0].map((t) => t.startsWith("¶"))).toEqual([true, false, false, false, true, false, false]);
  });

  it("continues a paragraph across a page break when the page was full, not when it stopped early", () => {
    const full = [line("أ", 780), line("ب", 765), line("ج", 60)];
    const next = [line("د", 780), line("هـ", 765)];
    expect(texts(joinParagraphs([[full], [next]]))[1][0]).toBe("د");
    const early = [line("أ", 780), line("ب", 765)];
    const floor = [line("ز", 780), line("ح", 60)];
    expect(texts(joinParagraphs([[early], [next], [floor]]))[1][0]).toBe("¶د");
  });
});

describe("writePages", () => {
  it("writes one paragraph per line and records OCR pages with their confidence", () => {
    const result = writePages([
      { kind: "text", lines: [{ text: "أول", startsParagraph: true }, { text: "تتمة", startsParagraph: false }] },
      { kind: "text", lines: [{ text: "تكملة", startsParagraph: false }, { text: "ثان", startsParagraph: true }] },
      { kind: "ocr", paragraphs: ["ممسوح"], confidence: 88.5 },
    ]);
    expect(result.text).toBe("أول تتمة تكملة\nثان\nممسوح");
    expect(result.pages).toEqual([
      { page: 1, start: 0, end: 8 },
      { page: 2, start: 9, end: 18 },
      { page: 3, start: 19, end: 24, ocr: true, ocrConfidence: 88.5 },
    ]);
  });

  it("joins a line broken after a dash without a space", () => {
    const result = writePages([{ kind: "text", lines: [{ text: "للفترة 2024-", startsParagraph: true }, { text: "2026 تمت", startsParagraph: false }] }]);
    expect(result.text).toBe("للفترة 2024-2026 تمت");
  });

  it("gives page spans in order, disjoint, inside the text, each holding exactly its page's lines (property)", () => {
    const text = fc.stringMatching(/^[ا-ي0-9 ]{0,12}$/u);
    const page = fc.array(fc.record({ text, startsParagraph: fc.boolean() }), { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(page, { minLength: 1, maxLength: 8 }), (pages) => {
        const result = writePages(pages.map((lines) => ({ kind: "text" as const, lines })));
        let end = 0;
        result.pages.forEach((span, i) => {
          expect(span.page).toBe(i + 1);
          expect(span.start).toBeGreaterThanOrEqual(end);
          expect(span.end).toBeGreaterThanOrEqual(span.start);
          expect(span.end).toBeLessThanOrEqual(result.text.length);
          const printed = pages[i].map((l) => l.text.trim()).filter(Boolean);
          expect(result.text.slice(span.start, span.end).split(/[ \n]+/u).filter(Boolean)).toEqual(printed.join(" ").split(/ +/u).filter(Boolean));
          end = span.end;
        });
        // Outside the spans there is only the space or line break that joins two pages.
        const outside = result.text.split("").filter((_, at) => !result.pages.some((s) => s.start <= at && at < s.end));
        expect(outside.every((c) => c === " " || c === "\n")).toBe(true);
      }),
    );
  });
});
