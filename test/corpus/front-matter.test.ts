import { describe, expect, it } from "vitest";
import { metaFromJson, parseFrontMatter } from "../../src/corpus/front-matter";

describe("parseFrontMatter", () => {
  it("returns text without a block unchanged", () => {
    const raw = "نص عادي\n---\nليس رأساً\n---\n";
    expect(parseFrontMatter(raw)).toEqual({ meta: {}, body: raw });
  });

  it("reads known keys, unquotes values and keeps the body byte for byte", () => {
    const raw = [
      "---",
      "title: \"عنوان: مع نقطتين\"",
      "source: 'رياليست عربي'",
      "url: https://example.com/a?b=1",
      "published: 2024-08-01",
      "language: ar",
      "author: ignored",
      "# a comment",
      "",
      "---",
      "\n  النص يبدأ هنا.\n",
    ].join("\n");
    const { meta, body, problem } = parseFrontMatter(raw);
    expect(meta).toEqual({
      title: "عنوان: مع نقطتين",
      source: "رياليست عربي",
      url: "https://example.com/a?b=1",
      published: "2024-08-01",
      language: "ar",
    });
    expect(body).toBe("\n  النص يبدأ هنا.\n");
    expect(raw.endsWith(body)).toBe(true);
    expect(problem).toBeUndefined();
  });

  it("handles CRLF line ends and an empty block", () => {
    expect(parseFrontMatter("---\r\ntitle: T\r\n---\r\nBody\r\n")).toEqual({ meta: { title: "T" }, body: "Body\r\n" });
    expect(parseFrontMatter("---\n---\nBody")).toEqual({ meta: {}, body: "Body" });
    expect(parseFrontMatter("---\ntitle: T\n---")).toEqual({ meta: { title: "T" }, body: "" });
  });

  it("reports an unclosed block and keeps the whole text", () => {
    const raw = "---\ntitle: T\nالنص\n----\n";
    const result = parseFrontMatter(raw);
    expect(result.body).toBe(raw);
    expect(result.meta).toEqual({});
    expect(result.problem).toMatch(/never closed/);
  });

  it("reports bad lines and bad quoting but keeps the good keys", () => {
    const result = parseFrontMatter('---\ntitle: T\nnot a pair\nsource: "unterminated\n---\nBody');
    expect(result.meta).toEqual({ title: "T" });
    expect(result.body).toBe("Body");
    expect(result.problem).toMatch(/line 3 is not "key: value"/);
    expect(result.problem).toMatch(/"source" has a badly quoted value/);
  });
});

describe("metaFromJson", () => {
  it("keeps known string fields and ignores the rest", () => {
    expect(metaFromJson({ title: " T ", source: "S", dateline: "x", language: "ar" })).toEqual({
      meta: { title: "T", source: "S", language: "ar" },
    });
  });

  it("reports non-objects and non-string fields", () => {
    expect(metaFromJson([1]).problem).toMatch(/JSON object/);
    expect(metaFromJson(null).problem).toMatch(/JSON object/);
    const result = metaFromJson({ title: 5, source: "S" });
    expect(result.meta).toEqual({ source: "S" });
    expect(result.problem).toMatch(/"title" must be a string/);
  });
});
