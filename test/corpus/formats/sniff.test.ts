import { describe, expect, it } from "vitest";
import { sniffFormat } from "../../../src/corpus/formats/sniff";

const bytes = (text: string) => new TextEncoder().encode(text);
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("sniffFormat", () => {
  it("reads PDFs by their header, also after junk within the first 1024 bytes", () => {
    expect(sniffFormat(latin1("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"))).toBe("pdf");
    expect(sniffFormat(latin1(`${" ".repeat(500)}%PDF-1.4`))).toBe("pdf");
    expect(sniffFormat(latin1(`${"x".repeat(1100)}%PDF-1.4`))).toBe("text");
  });

  it("takes a zip for DOCX only when it holds word/document.xml", () => {
    expect(sniffFormat(latin1("PK\x03\x04\x14\x00\x00\x00[Content_Types].xml...word/document.xml..."))).toBe("docx");
    expect(sniffFormat(latin1("PK\x03\x04\x14\x00\x00\x00xl/workbook.xml"))).toBeUndefined();
  });

  it("finds HTML behind a BOM, an XML declaration and comments, but not in Markdown", () => {
    expect(sniffFormat(bytes("\uFEFF  <!DOCTYPE html><html lang=ar>"))).toBe("html");
    expect(sniffFormat(bytes('<?xml version="1.0"?>\n<!-- saved page -->\n<html>'))).toBe("html");
    expect(sniffFormat(bytes("<body>\n<p>نص</p>"))).toBe("html");
    expect(sniffFormat(bytes("# عنوان\n\n<b>نص</b> عادي"))).toBe("text");
    expect(sniffFormat(bytes("<htmlish> not a tag we know"))).toBe("text");
  });

  it("refuses images, programs, archives and anything with NUL bytes", () => {
    for (const magic of ["\x89PNG\r\n", "\xFF\xD8\xFF\xE0", "GIF89a", "\x7FELF\x02", "\x1F\x8B\x08", "\xD0\xCF\x11\xE0"]) {
      expect(sniffFormat(latin1(magic + "rest"))).toBeUndefined();
    }
    expect(sniffFormat(latin1("text\x00more"))).toBeUndefined();
  });

  it("reads plain UTF-8 as text, whatever its name would say", () => {
    expect(sniffFormat(bytes("مرحبا بالعالم.\nسطر ثانٍ."))).toBe("text");
    expect(sniffFormat(new Uint8Array())).toBe("text");
  });
});
