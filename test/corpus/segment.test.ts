import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { segmentDocument, splitParagraphs, splitSentences } from "../../src/corpus/segment";

const ARTICLE_ID = "000_c1add9699fc6f4ec";
const article = readFileSync(new URL(`../../corpus/${ARTICLE_ID}.txt`, import.meta.url), "utf8");

/** Sentence texts of a one-paragraph string. */
function sentencesOf(text: string): string[] {
  return splitSentences(text, { start: 0, end: text.length }).map((s) => text.slice(s.start, s.end));
}

describe("the real article", () => {
  const { document, sentences } = segmentDocument({ id: ARTICLE_ID, meta: { title: "t" }, text: article });
  const inParagraph = (n: number) => sentences.filter((s) => s.paragraph === n);

  it("keeps the text untouched and finds its 18 paragraphs", () => {
    expect(document.text).toBe(article);
    expect(document.paragraphs).toHaveLength(18);
    expect(document.paragraphs.map((p) => p.index)).toEqual([...Array(18).keys()].map((i) => i + 1));
    expect(article.slice(document.paragraphs[0].start, document.paragraphs[0].end)).toMatch(/^مينسك – \(رياليست عربي\)/);
    expect(article.slice(document.paragraphs[17].start, document.paragraphs[17].end)).toMatch(/لدول الكومنولث\.$/);
  });

  it("gives every sentence text equal to its slice of the document, with stable ids", () => {
    for (const s of sentences) {
      expect(article.slice(s.start, s.end)).toBe(s.text);
      expect(s.id).toBe(`${ARTICLE_ID}:${s.paragraph}:${s.sentence}`);
      expect(s.docId).toBe(ARTICLE_ID);
    }
    expect(sentences).toHaveLength(20);
  });

  it("splits only paragraphs 12 and 16, each in two", () => {
    const counts = document.paragraphs.map((p) => inParagraph(p.index).length);
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1]);
  });

  it("splits paragraph 12 (opening with a stray ”) at النووية.", () => {
    const [first, second] = inParagraph(12);
    expect(first.text.startsWith("” تصوغ هذه الوثيقة")).toBe(true);
    expect(first.text.endsWith("في مجال الأسلحة النووية.")).toBe(true);
    expect(second.text).toBe("وقال النائب: “سيتم أيضاً توضيح إمكانيات اتخاذ القرار المشترك في المجالات التكتيكية والاستراتيجية”.");
    expect(second.id).toBe(`${ARTICLE_ID}:12:2`);
  });

  it("splits paragraph 16 after الخارجية.", () => {
    const [first, second] = inParagraph(16);
    expect(first.text).toBe("كما تمت مناقشة التعاون في مجال الدفاع بين وزارتي الخارجية.");
    expect(second.text.startsWith("على وجه الخصوص، ناقش")).toBe(true);
    expect(second.text.endsWith("للفترة 2024-2026”.")).toBe(true);
  });

  it("never splits inside ranges, dates or counts", () => {
    for (const needle of ["2024-2026", "2026-2030", "6 أبريل 2023", "29 يناير 2024", "8 آلاف", "26 أغسطس 2005"]) {
      let at = article.indexOf(needle);
      expect(at).toBeGreaterThanOrEqual(0);
      for (; at >= 0; at = article.indexOf(needle, at + 1)) {
        const holder = sentences.find((s) => s.start <= at && at + needle.length <= s.end);
        expect(holder, needle).toBeDefined();
      }
    }
  });

  it("keeps a closing ”. or ». with its sentence", () => {
    const closing = sentences.filter((s) => /[”»]\.$/.test(s.text)).map((s) => s.id.split(":").slice(1).join(":"));
    expect(closing).toEqual(["3:1", "5:1", "7:1", "10:1", "12:2", "16:2"]);
    for (const s of sentences) expect(s.text).not.toMatch(/^[”»]\./);
  });
});

describe("splitParagraphs", () => {
  it("splits on every kind of line break and skips blank lines", () => {
    const text = "  أول  \r\n\r\nثان\rثالث\u2028رابع\u2029خامس\n \t\u00a0\n\u200f\nسادس\n";
    const paragraphs = splitParagraphs(text);
    expect(paragraphs.map((p) => text.slice(p.start, p.end))).toEqual(["أول", "ثان", "ثالث", "رابع", "خامس", "سادس"]);
    expect(paragraphs.map((p) => p.index)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("returns nothing for empty or blank text", () => {
    expect(splitParagraphs("")).toEqual([]);
    expect(splitParagraphs(" \n\r\n\t\u200f ")).toEqual([]);
  });

  it("keeps emoji whole at the edges", () => {
    const text = "😀 نص 👍🏽";
    expect(splitParagraphs(text)).toEqual([{ index: 1, start: 0, end: text.length }]);
  });
});

describe("splitSentences", () => {
  it("ends sentences at . ؟ ? ! ؛ and at runs of them", () => {
    expect(sentencesOf("هل جاء؟ نعم! جاء أمس. ثم ماذا?! لا شيء... انتهى؛ حقاً… نعم")).toEqual([
      "هل جاء؟", "نعم!", "جاء أمس.", "ثم ماذا?!", "لا شيء...", "انتهى؛", "حقاً…", "نعم",
    ]);
  });

  it("never splits decimals, thousands, Arabic decimals, ranges or dates", () => {
    const text = "بلغ النمو 3.5 بالمئة و1,000 دولار و٣٫٥ مليون في 2024-2026 منذ 6 أبريل 2023. وقال 8 آلاف شخص.";
    expect(sentencesOf(text)).toEqual([
      "بلغ النمو 3.5 بالمئة و1,000 دولار و٣٫٥ مليون في 2024-2026 منذ 6 أبريل 2023.",
      "وقال 8 آلاف شخص.",
    ]);
  });

  it("splits after a number that ends a sentence", () => {
    expect(sentencesOf("صدر في عام 1999. وهذه وثيقة رقم 2. انتهى")).toEqual(["صدر في عام 1999.", "وهذه وثيقة رقم 2.", "انتهى"]);
  });

  it("does not split at an initial's period, so a name and the words after it stay one sentence", () => {
    // XQuAD's Fresno article: the answer to "who was Kearney Boulevard named after?" is م. ثيو كيرني,
    // which a break after م. would leave in an uncited second half.
    expect(sentencesOf("المسماة تيمنا بالمليونير م. ثيو كيرني الذي عاش هنا. وقال آخر.")).toEqual([
      "المسماة تيمنا بالمليونير م. ثيو كيرني الذي عاش هنا.",
      "وقال آخر.",
    ]);
    expect(sentencesOf("على طول ط. و. 99 ونظراً للرغبة. ثم")).toEqual(["على طول ط. و. 99 ونظراً للرغبة.", "ثم"]);
    expect(sentencesOf("He met J. K. Rowling in the U.S. last year. Then he left.")).toEqual(["He met J. K. Rowling in the U.S. last year.", "Then he left."]);
    // Only a lone period: one letter before ! or ? or a run of terminators still ends a sentence.
    expect(sentencesOf("هل جاء ع؟ نعم. وقال ب... ثم")).toEqual(["هل جاء ع؟", "نعم.", "وقال ب...", "ثم"]);
    // A word of two letters or more before the period still ends its sentence.
    expect(sentencesOf("جاء من. ذهب إلى.")).toEqual(["جاء من.", "ذهب إلى."]);
  });

  it("splits after a calendar era that follows a number (1990 م., 500 ق.م.), which initials never do", () => {
    expect(sentencesOf("ولد عام 1950 م. ثم انتقل إلى القاهرة.")).toEqual(["ولد عام 1950 م.", "ثم انتقل إلى القاهرة."]);
    expect(sentencesOf("بنيت المدينة عام 500 ق.م. وكانت عاصمة.")).toEqual(["بنيت المدينة عام 500 ق.م.", "وكانت عاصمة."]);
    expect(sentencesOf("توفي سنة ١٤٤٥ هـ. ودفن هناك.")).toEqual(["توفي سنة ١٤٤٥ هـ.", "ودفن هناك."]);
    // Initials after a number are still initials when a word stands between them.
    expect(sentencesOf("في 1990 التقى م. ثيو كيرني. ثم")).toEqual(["في 1990 التقى م. ثيو كيرني.", "ثم"]);
  });

  it("does not split where no space follows the terminator", () => {
    expect(sentencesOf("زر example.com أو الخارجية.على الفور.")).toEqual(["زر example.com أو الخارجية.على الفور."]);
  });

  it("keeps balanced quotes and brackets whole, with the closer after the terminator", () => {
    expect(sentencesOf("قال: “ذهبت. ثم عدت.” وانتهى.")).toEqual(["قال: “ذهبت. ثم عدت.”", "وانتهى."]);
    expect(sentencesOf("قال «هذا. ذاك» ثم مضى. بعدها")).toEqual(["قال «هذا. ذاك» ثم مضى.", "بعدها"]);
    expect(sentencesOf('قال "أ. ب." ثم. ج')).toEqual(['قال "أ. ب."', "ثم.", "ج"]);
    expect(sentencesOf("انظر (ص. 5) و[ج. 2] هنا. ثم")).toEqual(["انظر (ص. 5) و[ج. 2] هنا.", "ثم"]);
    expect(sentencesOf("(قال ذلك.) ثم مضى.")).toEqual(["(قال ذلك.)", "ثم مضى."]);
    expect(sentencesOf("“خارج (داخل. ما زال) هنا. أيضاً” آخر. ثم")).toEqual(["“خارج (داخل. ما زال) هنا. أيضاً” آخر.", "ثم"]);
  });

  it("lets unbalanced quotes and brackets split as if they were absent", () => {
    expect(sentencesOf("” تصوغ الوثيقة. وقال النائب.")).toEqual(["” تصوغ الوثيقة.", "وقال النائب."]);
    expect(sentencesOf("“ بدأ الاقتباس. ولم ينته.")).toEqual(["“ بدأ الاقتباس.", "ولم ينته."]);
    expect(sentencesOf("قوس (مفتوح. وجملة.")).toEqual(["قوس (مفتوح.", "وجملة."]);
    expect(sentencesOf('علامة " وحيدة. ثانية.')).toEqual(['علامة " وحيدة.', "ثانية."]);
    // An opener left open inside a closed pair does not hold back later breaks.
    expect(sentencesOf("«أ “ب» جيم. د")).toEqual(["«أ “ب» جيم.", "د"]);
  });

  it("keeps list markers and letterless bits with the words around them", () => {
    expect(sentencesOf("1. البند الأول. 2. البند الثاني.")).toEqual(["1. البند الأول.", "2. البند الثاني."]);
    expect(sentencesOf("؟ سؤال غريب. 😀")).toEqual(["؟ سؤال غريب. 😀"]);
    expect(sentencesOf("...")).toEqual(["..."]);
  });

  it("returns trimmed spans as offsets into the whole text", () => {
    const text = "مقدمة\n  أولى. \u200fثانية!  \nخاتمة";
    const line = splitParagraphs(text)[1];
    const spans = splitSentences(text, { start: line.start - 2, end: line.end + 2 });
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["أولى.", "ثانية!"]);
    expect(spans[0].start).toBe(text.indexOf("أولى"));
  });

  it("returns nothing for a blank span", () => {
    expect(splitSentences("  \t ", { start: 0, end: 4 })).toEqual([]);
    expect(splitSentences("abc", { start: 1, end: 1 })).toEqual([]);
  });
});

describe("segmentDocument", () => {
  it("numbers sentences within each paragraph", () => {
    const text = "أول. ثان.\r\n\r\nج؟ د! هـ";
    const { document, sentences } = segmentDocument({ id: "d", meta: { title: "x" }, text });
    expect(document.paragraphs).toHaveLength(2);
    expect(sentences.map((s) => [s.id, s.text])).toEqual([
      ["d:1:1", "أول."], ["d:1:2", "ثان."], ["d:2:1", "ج؟"], ["d:2:2", "د!"], ["d:2:3", "هـ"],
    ]);
  });
});

describe("segmentation cost", () => {
  // A quadratic scan takes 20 s to minutes on these; a linear one well under a second each
  // (the budget is generous because tests share the machine).
  it.each([
    ["many bracketed sentences on one line", "(أ) ب. ".repeat(100_000)],
    ["many lines without terminators", "سطر بلا نقطة\n".repeat(100_000) + "."],
    ["openers, then closers that match none", "(".repeat(100_000) + "» نص. ".repeat(100_000)],
  ])("stays linear for %s", (_, text) => {
    const started = performance.now();
    const { sentences } = segmentDocument({ id: "big", meta: { title: "big" }, text });
    expect(sentences.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(8000);
  });
});
