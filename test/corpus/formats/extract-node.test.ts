import { afterAll, describe, expect, it } from "vitest";
import { zipSync } from "fflate";
import { createExtractor } from "../../../src/corpus/formats/extract-node";
import { UnreadableSource } from "../../../src/corpus/formats/unreadable";
import { makeSampleDocx, SAMPLE } from "../../../scripts/fixtures/make-office";

const HOSTILE = new URL("./hostile-reader.ts", import.meta.url).href;
const encode = (text: string) => new TextEncoder().encode(text);

async function refusal(promise: Promise<unknown>): Promise<UnreadableSource> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UnreadableSource);
  return error as UnreadableSource;
}

describe("createExtractor (worker threads)", () => {
  const extractor = createExtractor({ timeoutMs: 3000, memoryMb: 64, poolSize: 2, readerModule: HOSTILE });
  afterAll(() => extractor.close());

  it("reads a DOCX in a worker thread", async () => {
    const extracted = await extractor.extract(await makeSampleDocx(), "docx");
    expect(extracted.text).toContain(SAMPLE.sections[0].paragraphs[0]);
    expect(extracted.sections?.length).toBe(2);
  });

  it("passes a reader's refusal through with its code (a zip bomb)", async () => {
    const bomb = zipSync({ "word/document.xml": new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    expect((await refusal(extractor.extract(bomb, "docx"))).code).toBe("CORPUS_DOCX_INVALID");
  });

  it("stops a reader that never returns, and keeps serving", async () => {
    const error = await refusal(extractor.extract(encode("hang"), "html"));
    expect(error.code).toBe("CORPUS_EXTRACTION_TIMEOUT");
    expect(error.detail).toBe("3000 ms");
    expect((await extractor.extract(await makeSampleDocx(), "docx")).format).toBe("docx");
  });

  it("ends a reader that allocates past the memory limit, and keeps serving", async () => {
    // A time limit that filling 64 MB never reaches, even on a busy machine.
    const roomy = createExtractor({ timeoutMs: 120_000, memoryMb: 64, poolSize: 1, readerModule: HOSTILE });
    try {
      const error = await refusal(roomy.extract(encode("allocate"), "html"));
      expect(error.code).toBe("CORPUS_EXTRACTION_FAILED");
      expect(error.detail).toMatch(/64 MB memory limit/);
      expect((await roomy.extract(await makeSampleDocx(), "docx")).format).toBe("docx");
    } finally {
      await roomy.close();
    }
  }, 150_000);

  it("turns a thread's exit and a reader's bug into CORPUS_EXTRACTION_FAILED", async () => {
    expect((await refusal(extractor.extract(encode("exit"), "html"))).detail).toMatch(/exited \(code 3\)/);
    const bug = await refusal(extractor.extract(encode("throw"), "html"));
    expect(bug.code).toBe("CORPUS_EXTRACTION_FAILED");
    expect(bug.detail).toBe("a bug in a reader");
  });

  it("reads several files at once, one per thread", async () => {
    const docx = await makeSampleDocx();
    const results = await Promise.all(Array.from({ length: 5 }, () => extractor.extract(docx, "docx")));
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
  });

  it("fails pending files once closed", async () => {
    const closing = createExtractor({ poolSize: 1 });
    await closing.close();
    expect((await refusal(closing.extract(encode("x"), "html"))).code).toBe("CORPUS_EXTRACTION_FAILED");
  });
});
