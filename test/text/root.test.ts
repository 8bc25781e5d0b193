import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeArabic } from "../../src/text/normalize";
import { ROOT_MARK, rootCandidates } from "../../src/text/root";

const roots = (word: string) => rootCandidates(normalizeArabic(word)).map((r) => r.slice(ROOT_MARK.length));

describe("rootCandidates", () => {
  it.each([
    // Different patterns of one root, which no stemmer conflates.
    ["توقيعها", "وقع"], ["وقعت", "وقع"], ["وستوقع", "وقع"],
    ["تصعيد", "صعد"], ["التصاعد", "صعد"],
    ["سلاح", "سلح"], ["الأسلحة", "سلح"],
    ["اجتماع", "جمع"], ["المتعلقة", "علق"], ["يتعلق", "علق"],
    ["تطوير", "طور"], ["المطور", "طور"], ["الوثائق", "وثق"], ["الوثيقة", "وثق"],
    ["استخدام", "خدم"], ["التدريبات", "درب"],
  ])("finds the root of %s among its candidates (%s)", (word, root) => {
    expect(roots(word)).toContain(root);
  });

  it("never reads an article as part of the root", () => {
    expect(roots("الضمانات")).toContain("ضمن");
    for (const root of [...roots("الضمانات"), ...roots("الاتفاقية"), ...roots("بالأمن")]) expect(root.startsWith("ل")).toBe(false);
  });

  it("gives nothing for words no pattern fits, and at most three candidates", () => {
    expect(roots("العسكريون")).toEqual([]);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ابتثجحخدذرزسشصضطظعغفقكلمنهوي") , maxLength: 12 }), (word) => {
        const found = rootCandidates(word);
        expect(found.length).toBeLessThanOrEqual(3);
        for (const r of found) expect(r).toMatch(new RegExp(`^${ROOT_MARK}.{3}$`, "u"));
      }),
    );
  });
});
