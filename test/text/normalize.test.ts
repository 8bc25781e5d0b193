import { describe, expect, it } from "vitest";
import { normalizeArabic } from "../../src/text/normalize";

describe("normalizeArabic", () => {
  it("removes tashkeel, superscript alef, Quranic marks and tatweel", () => {
    expect(normalizeArabic("مَفْهُومٌ")).toBe("مفهوم");
    expect(normalizeArabic("رَحْمٰن")).toBe("رحمن");
    expect(normalizeArabic("الأمــــن")).toBe("الامن");
    expect(normalizeArabic("قُلْ\u06d6")).toBe("قل");
  });

  it("drops the alef that carries tanween fath, with the mark on either side", () => {
    expect(normalizeArabic("مفهوماً")).toBe("مفهوم");
    expect(normalizeArabic("جزءًا")).toBe("جزء");
    expect(normalizeArabic("مفهوما")).toBe("مفهوما"); // unmarked: ambiguous (روسيا), left alone
  });

  it("unifies alef forms, alef maqsura and taa marbuta", () => {
    expect(normalizeArabic("أإآٱ")).toBe("اااا");
    expect(normalizeArabic("إلى")).toBe("الي");
    expect(normalizeArabic("مستشفى")).toBe("مستشفي");
    expect(normalizeArabic("الدولة")).toBe("الدوله");
  });

  it("folds hamza seats so common misspellings match", () => {
    const forms = ["مسؤول", "مسئول", "مسءول"].map(normalizeArabic);
    expect(new Set(forms).size).toBe(1);
    expect(normalizeArabic("شؤون")).toBe(normalizeArabic("شئون"));
    expect(normalizeArabic("سؤال")).not.toBe(normalizeArabic("سال"));
  });

  it("maps Arabic-Indic and Persian digits to ASCII", () => {
    expect(normalizeArabic("٢٠٢٤-٢٠٢٦")).toBe("2024-2026");
    expect(normalizeArabic("۱۲۳۴۵۶۷۸۹۰")).toBe("1234567890");
  });

  it("applies NFKC: presentation forms, lam-alef ligature, full-width Latin", () => {
    expect(normalizeArabic("\ufe8d\ufedf\ufee4\ufea0\ufee0\ufeb2")).toBe("المجلس");
    expect(normalizeArabic("\ufefb")).toBe("لا");
    expect(normalizeArabic("ＮＡＴＯ")).toBe("nato");
  });

  it("lowercases Latin and keeps other text as is", () => {
    expect(normalizeArabic("NATO و Putin")).toBe("nato و putin");
    expect(normalizeArabic("Москва")).toBe("москва");
    expect(normalizeArabic("")).toBe("");
  });

  it("removes invisible format characters that would split words", () => {
    expect(normalizeArabic("الأ\u200cمن\u200f")).toBe("الامن");
    expect(normalizeArabic("\ufeffنص")).toBe("نص");
  });

  it("folds Persian keyboard letters", () => {
    expect(normalizeArabic("کبیر")).toBe("كبير");
  });

  it("is idempotent", () => {
    const text = "وقال القائمُ بأعمال المسؤول: “نبلغكم أنّ ٢٠٢٤ مفهوماً”";
    expect(normalizeArabic(normalizeArabic(text))).toBe(normalizeArabic(text));
  });
});
