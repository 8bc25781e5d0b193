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
  });
});
