import { describe, expect, it } from "vitest";
import { normalizeArabic } from "../../src/text/normalize";
import { tokenize } from "../../src/text/tokenize";

describe("tokenize", () => {
  it("splits on Arabic and Latin punctuation", () => {
    expect(tokenize("مينسك – (رياليست عربي): قال، إن «التفاعل» “العملي”؛ لماذا؟")).toEqual([
      "مينسك", "رياليست", "عربي", "قال", "إن", "التفاعل", "العملي", "لماذا",
    ]);
  });

  it("keeps numbers as tokens and splits them from letters", () => {
    expect(tokenize("للفترة 2024-2026")).toEqual(["للفترة", "2024", "2026"]);
    expect(tokenize("عام 2025م وب2023")).toEqual(["عام", "2025", "م", "وب", "2023"]);
    expect(tokenize(normalizeArabic("٨ آلاف"))).toEqual(["8", "الاف"]);
  });

  it("handles mixed scripts", () => {
    expect(tokenize("دول الناتو NATO и Россия")).toEqual(["دول", "الناتو", "NATO", "и", "Россия"]);
  });

  it("keeps combining marks inside words", () => {
    expect(tokenize("مَفْهُومٌ café")).toEqual(["مَفْهُومٌ", "café"]);
  });

  it("drops emoji, symbols and lone surrogates without throwing", () => {
    expect(tokenize("سلام 👋🏽 peace ✓ \ud800 x\udc00y")).toEqual(["سلام", "peace", "x", "y"]);
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" ،.؛ ")).toEqual([]);
  });
});
