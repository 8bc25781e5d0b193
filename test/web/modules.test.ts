// The chat's pure helpers, run in Node: language choice, links, the title filter's folding.
import { describe, expect, it } from "vitest";

// Plain browser ES modules without types; imported dynamically so they type as `any`.
const i18n = await import("../../web/js/i18n.js" as string);
const links = await import("../../web/js/links.js" as string);
const documents = await import("../../web/js/documents.js" as string);

describe("chooseLanguage", () => {
  it.each([
    [null, ["ar-EG", "en"], "ar"],
    [null, ["en-US"], "en"],
    [null, ["ja-JP", "de-AT", "en"], "de"],
    [null, ["ja-JP"], "en"],
    [null, [], "en"],
    ["ru", ["ar"], "ru"],
    ["xx", ["fr-CA"], "fr"],
  ])("stored %s, browser %j → %s", (stored, browser, expected) => {
    expect(i18n.chooseLanguage(stored, browser)).toBe(expected);
  });

  it("gives a text's direction by the majority of its letters, not its first one", () => {
    // dir="auto" would lay this Arabic question out left to right, its ؟ in the middle of the line.
    expect(i18n.directionOfText("NATO ما هو موقفه من المفهوم الجديد؟")).toBe("rtl");
    expect(i18n.directionOfText("What does المفهوم mean for the Union State?")).toBe("ltr");
    expect(i18n.directionOfText("2024 ؟ !")).toBe("auto");
  });

  it("labels quoted source text Arabic when most of its letters are, for screen readers", () => {
    expect(i18n.sourceLanguageOf("قال ألكسندر فولفوفيتش، أمين مجلس الأمن")).toBe("ar");
    expect(i18n.sourceLanguageOf("According to the sources:")).toBeUndefined();
    expect(i18n.sourceLanguageOf("")).toBeUndefined();
  });

  it("gives the direction of a language tag", () => {
    expect([i18n.directionOf("ar"), i18n.directionOf("ar-EG"), i18n.directionOf("en"), i18n.directionOf("")]).toEqual(["rtl", "rtl", "ltr", "auto"]);
  });
});

describe("location hashes", () => {
  it("round-trips spans, documents, paragraphs and the list", () => {
    const span = { docId: "03_Nikola_Tesla", start: 10, end: 42 };
    expect(links.parseHash(links.spanHash(span))).toEqual({ kind: "span", ...span });
    expect(links.parseHash(links.documentHash("a b", 3))).toEqual({ kind: "document", docId: "a b", paragraph: 3 });
    expect(links.parseHash(links.documentHash("x"))).toEqual({ kind: "document", docId: "x" });
    expect(links.parseHash(links.DOCUMENTS_HASH)).toEqual({ kind: "documents" });
  });

  it.each(["", "#", "#doc=", "#doc=x&start=5&end=5", "#doc=x&start=-1&end=3", "#doc=x&p=0", "#doc=x&p=1.5", "#other"])("ignores %s", (hash) => {
    expect(links.parseHash(hash)).toBeNull();
  });
});

describe("the title filter", () => {
  it("folds case, accents, Arabic diacritics and letter variants", () => {
    expect(documents.searchKey("Nikola TESLA")).toBe("nikola tesla");
    expect(documents.searchKey("Huguenot Église")).toBe("huguenot eglise");
    expect(documents.searchKey("الأمنُ")).toBe(documents.searchKey("الامن"));
    expect(documents.searchKey("مدرسة كبرى")).toBe(documents.searchKey("مدرسه كبري"));
  });
});
