// The loader with PDF, DOCX and HTML sources: format by content, worker-thread readers, the
// extraction cache, warnings per bad file, and each document's original file.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createExtractor, type Extractor } from "../../src/corpus/formats/extract-node";
import { loadCorpusDir } from "../../src/corpus/load-node";
import { makeNewsPage, makeSampleDocx, SAMPLE } from "../../scripts/fixtures/make-office";

let dir: string;
let cacheDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "corpus-formats-"));
  cacheDir = await mkdtemp(join(tmpdir(), "extracted-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

const pool = createExtractor({ poolSize: 2 });
afterAll(() => pool.close());
/** The shared pool, counting the files it is asked to read. */
function countingExtractor(): Extractor & { calls: number } {
  const counting = { calls: 0, extract: (bytes: Uint8Array, format: Parameters<Extractor["extract"]>[1]) => (counting.calls++, pool.extract(bytes, format)), close: async () => {} };
  return counting;
}

async function put(name: string, content: string | Uint8Array) {
  await mkdir(join(dir, name, ".."), { recursive: true });
  await writeFile(join(dir, name), content);
}

const page = (title: string, paragraphs: string[]) => makeNewsPage({ title, sections: [{ paragraphs }] });
const ARTICLE = ["قالت وزارة الزراعة إن محصول القمح هذا العام بلغ مستوى قياسيا بفضل الأمطار الغزيرة.", "وأضافت أن الصادرات ستزيد بنسبة عشرة في المئة خلال الربع القادم."];

describe("loadCorpusDir with PDF, DOCX and HTML", () => {
  it("reads a mixed folder by content, warns once per bad file, and loads the rest", async () => {
    await put("notes.txt", "نص أول. جملة ثانية.");
    await put("reports/water.docx", await makeSampleDocx());
    await put("reports/water.meta.json", JSON.stringify({ source: "بلدية المدينة" }));
    await put("news/wheat.html", page("محصول القمح", ARTICLE));
    await put("news/mislabelled.pdf", page("خبر بامتداد خاطئ", ["هذا الخبر محفوظ بامتداد ملف PDF لكنه صفحة ويب في الحقيقة، ويقرأ على أنه صفحة ويب.", "والجملة الثانية تؤكد ذلك بوضوح تام."]));
    await put("bad/bomb.docx", zipSync({ "word/document.xml": new Uint8Array(32 * 1024 * 1024) }, { level: 9 }));
    await put("bad/menu.html", `<!doctype html><html><body><nav><a href="/">الرئيسية</a><a href="/x">أخبار</a></nav></body></html>`);
    await put("bad/sheet.docx", zipSync({ "xl/workbook.xml": new TextEncoder().encode("<workbook/>") }));
    await put("bad/picture.pdf", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await put("bad/binary.txt", new Uint8Array([0x41, 0x00, 0x42]));

    const { corpus, warnings, originals } = await loadCorpusDir(dir, { extractor: pool });
    expect(warnings.map((w) => [w.file, w.code])).toEqual([
      ["bad/binary.txt", "CORPUS_BINARY"],
      ["bad/bomb.docx", "CORPUS_DOCX_INVALID"],
      ["bad/menu.html", "CORPUS_HTML_NO_ARTICLE"],
      ["bad/picture.pdf", "CORPUS_UNSUPPORTED_FORMAT"],
      ["bad/sheet.docx", "CORPUS_UNSUPPORTED_FORMAT"],
    ]);
    for (const warning of warnings) expect(warning.message).toContain(warning.file);

    expect(corpus.documents.map((d) => [d.id, d.format ?? "text", d.meta.title])).toEqual([
      ["news-mislabelled", "html", "خبر بامتداد خاطئ"],
      ["news-wheat", "html", "محصول القمح"],
      ["notes", "text", "notes"],
      ["reports-water", "docx", SAMPLE.title],
    ]);
    const water = corpus.documents.find((d) => d.id === "reports-water")!;
    expect(water.meta.source).toBe("بلدية المدينة");
    expect(water.sections?.map((s) => s.heading)).toEqual(SAMPLE.sections.map((s) => s.heading));
    const result = corpus.sentences.find((s) => s.text.startsWith("ارتفع الاستهلاك"))!;
    expect(result.section).toBe("النتائج");
    expect(result.paragraph).toBeGreaterThan(1);
    for (const s of corpus.sentences) expect(corpus.documents.find((d) => d.id === s.docId)!.text.slice(s.start, s.end)).toBe(s.text);

    const withoutHash = [...originals].map(([id, { path, format, sha256 }]) => (expect(sha256).toMatch(/^[0-9a-f]{64}$/), [id, { path, format }]));
    expect(Object.fromEntries(withoutHash)).toEqual({
      "news-mislabelled": { path: join(dir, "news/mislabelled.pdf"), format: "html" },
      "news-wheat": { path: join(dir, "news/wheat.html"), format: "html" },
      notes: { path: join(dir, "notes.txt"), format: "text" },
      "reports-water": { path: join(dir, "reports/water.docx"), format: "docx" },
    });
  });

  it("skips a file over the size limit before reading it", async () => {
    await put("big.html", "<!doctype html>" + "x".repeat(5000));
    await put("ok.txt", "نص.");
    const { warnings, corpus } = await loadCorpusDir(dir, { extractor: pool, maxBytes: 1000 });
    expect(warnings.map((w) => w.code)).toEqual(["CORPUS_TOO_LARGE"]);
    expect(corpus.documents.map((d) => d.id)).toEqual(["ok"]);
  });

  it("reads each file once: a second load comes from the cache, a changed file is read again", async () => {
    await put("a.docx", await makeSampleDocx());
    await put("b.html", page("خبر", ARTICLE));
    await put("c.html", `<!doctype html><html><body><nav><a href="/">الرئيسية</a></nav></body></html>`);
    const first = countingExtractor();
    const loaded = await loadCorpusDir(dir, { extractor: first, extractedDir: cacheDir });
    expect(first.calls).toBe(3);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith(".json"))).toHaveLength(3); // refusals are kept too

    const second = countingExtractor();
    const again = await loadCorpusDir(dir, { extractor: second, extractedDir: cacheDir });
    expect(second.calls).toBe(0);
    expect(again.corpus).toEqual(loaded.corpus);
    expect(again.warnings).toEqual(loaded.warnings);
    expect(again.hash).toBe(loaded.hash);

    await put("b.html", page("خبر", [ARTICLE[1], ARTICLE[0]]));
    const third = countingExtractor();
    const changed = await loadCorpusDir(dir, { extractor: third, extractedDir: cacheDir });
    expect(third.calls).toBe(1);
    expect(changed.hash).not.toBe(loaded.hash);
    expect(changed.corpus.documents.find((d) => d.id === "b")!.text.startsWith(ARTICLE[1])).toBe(true);
  });

  it("makes and closes its own reader threads when given none", async () => {
    await put("b.html", page("خبر", ARTICLE));
    const { corpus } = await loadCorpusDir(dir);
    expect(corpus.documents[0].format).toBe("html");
  });
});
