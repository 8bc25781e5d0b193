import { describe, expect, it } from "vitest";
import { extractHtml } from "../../../src/corpus/formats/html";
import { UnreadableSource } from "../../../src/corpus/formats/unreadable";
import { makeNewsPage, SAMPLE, seedArticle } from "../../../scripts/fixtures/make-office";
import { fidelity } from "./fidelity";

const encode = (html: string) => new TextEncoder().encode(html);
// Words only the page around the article holds (the seed article itself says "الرئيسية").
const CHROME = ["سياسة الخصوصية", "رياضة", "ملفات تعريف الارتباط", "اشترك الآن", "محتوى ممول", "جميع الحقوق", "اقرأ أيضا", "تم حقن", "never run", "dataLayer"];

describe("extractHtml", () => {
  it("reads the seed article out of a page full of menus, adverts, banners and scripts, with fidelity 1", async () => {
    const seed = await seedArticle();
    const page = makeNewsPage({ title: seed.title, sections: [{ paragraphs: seed.text.split("\n").filter(Boolean) }], published: "2024-12-01T10:00:00Z", url: "https://news.example/article/1" });
    const extracted = await extractHtml(encode(page));
    expect(fidelity(seed.text, extracted.text)).toBe(1);
    for (const chrome of CHROME) expect(extracted.text).not.toContain(chrome);
    expect(extracted.meta).toEqual({ title: seed.title, language: "ar", published: "2024-12-01T10:00:00Z", url: "https://news.example/article/1" });
  });

  it("records sections under the article's headings", async () => {
    const { text, sections } = await extractHtml(encode(makeNewsPage({ title: SAMPLE.title, sections: SAMPLE.sections })));
    const expected = SAMPLE.sections.flatMap((s) => [s.heading, ...s.paragraphs]).join("\n");
    expect(fidelity(expected, text)).toBeGreaterThanOrEqual(0.99);
    expect(sections?.map((s) => s.heading)).toEqual(SAMPLE.sections.map((s) => s.heading));
    const second = sections![1];
    expect(text.slice(second.start, second.end)).toBe([SAMPLE.sections[1].heading, ...SAMPLE.sections[1].paragraphs].join("\n"));
  });

  it("refuses a page with no article", async () => {
    const page = `<!doctype html><html><head><title>x</title><script>alert(1)</script></head><body><nav><a href="/">الرئيسية</a></nav></body></html>`;
    const error = await extractHtml(encode(page)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableSource);
    expect((error as UnreadableSource).code).toBe("CORPUS_HTML_NO_ARTICLE");
  });

  it("reads a fragment saved as .html, and refuses an empty page as having no article", async () => {
    const fragment = `<h2>${SAMPLE.sections[0].heading}</h2>${SAMPLE.sections[0].paragraphs.map((p) => `<p>${p}</p>`).join("")}`;
    const { text } = await extractHtml(encode(fragment));
    expect(text).toContain(SAMPLE.sections[0].paragraphs[1]);
    const error = await extractHtml(encode("<!doctype html>   ")).then(() => undefined, (e: unknown) => e);
    expect((error as UnreadableSource).code).toBe("CORPUS_HTML_NO_ARTICLE");
  });

  it("decodes a page in its declared charset", async () => {
    const paragraph = "Caf\u00e9 cr\u00e8me is served every morning in the old town, and visitors come from far away to taste it. ".repeat(4);
    const html = `<html><head><meta charset="windows-1252"><title>t</title></head><body><article><p>${paragraph}</p><p>${paragraph}</p></article></body></html>`;
    const bytes = Uint8Array.from(html, (c) => c.charCodeAt(0));
    const { text } = await extractHtml(bytes);
    expect(text).toContain("Café crème");
  });
});
