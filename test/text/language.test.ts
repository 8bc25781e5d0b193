import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../src/text/language";

describe("detectLanguage", () => {
  it("detects Arabic, also with Latin names inside", () => {
    expect(detectLanguage("متى ستتبنى روسيا وبيلاروسيا مفهوماً أمنياً جديداً؟")).toBe("ar");
    expect(detectLanguage("ما موقف NATO؟")).toBe("ar");
  });

  it("tells English, French, Spanish and German apart", () => {
    expect(detectLanguage("When will Russia and Belarus adopt the new security concept?")).toBe("en");
    expect(detectLanguage("Quand la Russie et la Biélorussie adopteront-elles le nouveau concept de sécurité ?")).toBe("fr");
    expect(detectLanguage("¿Cuándo adoptarán Rusia y Bielorrusia el nuevo concepto de seguridad?")).toBe("es");
    expect(detectLanguage("Wann werden Russland und Belarus das neue Sicherheitskonzept annehmen?")).toBe("de");
    expect(detectLanguage("Minsk Moscow")).toBe("en");
  });

  it("knows German questions with few function words by their interrogatives and letters", () => {
    expect(detectLanguage("Welches Werk versorgt Kairo typischerweise?")).toBe("de");
    expect(detectLanguage("Wo können Ausschüsse außerhalb tagen?")).toBe("de"); // "des" and "wo" no longer tie with French
    expect(detectLanguage("In welchem Jahr eröffnete Sisi die Anlage?")).toBe("de"); // "in" is German as much as English
    expect(detectLanguage("Wie viele Stationen gibt es?")).toBe("de");
    // Spanish writes ü after g only: not a German letter there.
    expect(detectLanguage("¿Cuántos pingüinos hay en la bahía?")).toBe("es");
    expect(detectLanguage("In which year did the plant open?")).toBe("en");
  });

  it("tells Persian and Urdu from Arabic: same script, their own function words and letters", () => {
    expect(detectLanguage("چه کسی دبیر شورای امنیت بلاروس است؟")).toBe("fa");
    expect(detectLanguage("وزیر دفاع بلاروس کیست؟")).toBe("fa");
    expect(detectLanguage("مفهوم امنیتی جدید چه زمانی تصویب می\u200cشود؟")).toBe("fa");
    expect(detectLanguage("بیلاروس کی سلامتی کونسل کا سیکرٹری کون ہے؟")).toBe("ur");
    // Arabic typed on a Persian keyboard (ی, ک) has no Persian function word: still Arabic.
    expect(detectLanguage("من هو وزیر الدفاع فی بیلاروسیا؟")).toBe("ar");
    expect(detectLanguage("ما هي الدول التي تصعد الوضع على الحدود؟")).toBe("ar");
  });

  it("detects Russian", () => {
    expect(detectLanguage("Когда Россия и Беларусь примут новую концепцию безопасности?")).toBe("ru");
  });

  it("lets the dominant script win in mixed text", () => {
    expect(detectLanguage("What does المفهوم الأمني mean for the Union State and its neighbours?")).toBe("en");
    expect(detectLanguage("ما معنى concept في هذه الوثيقة الجديدة؟")).toBe("ar");
  });

  it("returns und for empty, letterless or other-script text", () => {
    expect(detectLanguage("")).toBe("und");
    expect(detectLanguage("2024 — ?! 👋")).toBe("und");
    expect(detectLanguage("新的安全概念是什么")).toBe("und");
    expect(detectLanguage("\ud800")).toBe("und");
  });
});

describe("detectLanguage ignores markup and links", () => {
  it("keeps an Arabic question with HTML in it Arabic", () => {
    expect(detectLanguage('ما هو المفهوم الأمني؟ <img src=x onerror=alert(1)> <script>window.__xss=1</script>')).toBe("ar");
    expect(detectLanguage("ما هذا الرابط https://example.com/some/long/english/path")).toBe("ar");
    expect(detectLanguage("`const answer = document.querySelector(x)` ما هو المفهوم الأمني؟")).toBe("ar");
  });
});
