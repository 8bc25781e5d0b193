import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { CELL_SEPARATOR } from "../../../src/corpus/formats/blocks";
import { extractDocx } from "../../../src/corpus/formats/docx";
import { UnreadableSource } from "../../../src/corpus/formats/unreadable";
import { makeSampleDocx, makeTextDocx, SAMPLE, sampleText, seedArticle } from "../../../scripts/fixtures/make-office";
import { fidelity } from "./fidelity";

async function refusal(promise: Promise<unknown>): Promise<UnreadableSource> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UnreadableSource);
  return error as UnreadableSource;
}

describe("extractDocx", () => {
  it("reads headings, paragraphs, a table row per line and the footnote, with the core title", async () => {
    const extracted = await extractDocx(await makeSampleDocx());
    expect(extracted.format).toBe("docx");
    expect(extracted.meta?.title).toBe(SAMPLE.title);
    expect(fidelity(sampleText(CELL_SEPARATOR), extracted.text)).toBeGreaterThanOrEqual(0.99);
    expect(extracted.text.split("\n")).toContain(SAMPLE.sections[1].table![1].join(CELL_SEPARATOR));
    expect(extracted.text.trimEnd().endsWith(SAMPLE.footnote)).toBe(true);
    expect(extracted.text).not.toMatch(/↑|\[1\]/);
  });

  it("records each heading's section over the text under it", async () => {
    const { text, sections } = await extractDocx(await makeSampleDocx());
    expect(sections?.map((s) => s.heading)).toEqual(SAMPLE.sections.map((s) => s.heading));
    for (const [i, section] of sections!.entries()) {
      expect(text.slice(section.start, section.start + section.heading.length)).toBe(section.heading);
      for (const paragraph of SAMPLE.sections[i].paragraphs) {
        const at = text.indexOf(paragraph);
        expect(at).toBeGreaterThanOrEqual(section.start);
        expect(at + paragraph.length).toBeLessThanOrEqual(section.end);
      }
    }
  });

  it("gives the seed article back with fidelity 1", async () => {
    const seed = await seedArticle();
    const extracted = await extractDocx(await makeTextDocx(seed.text, seed.title));
    expect(fidelity(seed.text, extracted.text)).toBe(1);
    expect(extracted.text.split("\n")).toHaveLength(seed.text.split("\n").filter((l) => l.trim()).length);
    expect(extracted.meta?.title).toBe(seed.title);
  });

  it("refuses bytes that are not a zip", async () => {
    const error = await refusal(extractDocx(new TextEncoder().encode("PK\x03\x04 but not really a zip archive")));
    expect(error.code).toBe("CORPUS_DOCX_INVALID");
  });

  it("refuses a zip that is not a Word document", async () => {
    const error = await refusal(extractDocx(zipSync({ "hello.txt": new TextEncoder().encode("hello") })));
    expect(error.code).toBe("CORPUS_DOCX_INVALID");
  });

  it("refuses a zip bomb from its central directory, before inflating it", async () => {
    // 64 MiB of zeros compresses to ~64 KiB: a 1000:1 part, past the ratio limit.
    const bomb = zipSync({ "word/document.xml": new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await refusal(extractDocx(bomb));
    expect(error.code).toBe("CORPUS_DOCX_INVALID");
    expect(error.detail).toMatch(/zip bomb/);
    const bySize = await refusal(extractDocx(bomb, { maxRatio: 10_000, maxPartBytes: 16 * 1024 * 1024 }));
    expect(bySize.detail).toMatch(/over the 16777216-byte limit/);
    const byTotal = await refusal(extractDocx(bomb, { maxRatio: 10_000, maxTotalBytes: 32 * 1024 * 1024 }));
    expect(byTotal.detail).toMatch(/over 33554432 bytes/);
  });
});
