// The real server with hostile files in its corpus folder: each gives its warning in /api/health
// (naming the file, never a path), and the rest of the corpus is answered from.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerResponseSchema, HealthSchema } from "../../src/schemas";
import { oversizePage, pageWithoutArticle, zipBombDocx } from "../../scripts/fixtures/make-hostile";
import { makeSampleDocx, SAMPLE, SEED_ARTICLE } from "../../scripts/fixtures/make-office";
import { READY_TIMEOUT_MS, startServer, type RunningServer } from "./support";

const MAX_DOCUMENT_BYTES = 200_000;
const PDF_FIXTURES = "test/fixtures/documents";

describe("the server with hostile files in corpus/", () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hostile-corpus-"));
    const corpus = join(dir, "corpus");
    await mkdir(join(corpus, "incoming"), { recursive: true });
    await copyFile(SEED_ARTICLE, join(corpus, "seed.txt"));
    await writeFile(join(corpus, "water.docx"), await makeSampleDocx());
    // Made by scripts/fixtures/make-pdfs.ts: the seed article's PDF with a password, and cut at 60%.
    await copyFile(join(PDF_FIXTURES, "encrypted.pdf"), join(corpus, "incoming/encrypted.pdf"));
    await copyFile(join(PDF_FIXTURES, "truncated.pdf"), join(corpus, "incoming/truncated.pdf"));
    await copyFile(join(PDF_FIXTURES, "two-columns.pdf"), join(corpus, "two-columns.pdf"));
    await writeFile(join(corpus, "incoming/bomb.docx"), zipBombDocx());
    await writeFile(join(corpus, "incoming/menu.html"), pageWithoutArticle());
    await writeFile(join(corpus, "incoming/oversize.html"), oversizePage(MAX_DOCUMENT_BYTES + 1));
    server = await startServer({
      CORPUS_DIR: corpus,
      EMBEDDINGS_DIR: join(dir, "embeddings"),
      EMBEDDER: "hashing",
      MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES),
      EXTRACTION_TIMEOUT_MS: "60000",
    });
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("names each hostile file with its own warning in /api/health", async () => {
    const health = HealthSchema.parse(await (await fetch(`${server.base}/api/health`)).json());
    expect(health.ready).toBe(true);
    const codeOf = Object.fromEntries(health.warnings.map((w) => [w.file, w.code]));
    expect(codeOf["incoming/bomb.docx"]).toBe("CORPUS_DOCX_INVALID");
    expect(codeOf["incoming/menu.html"]).toBe("CORPUS_HTML_NO_ARTICLE");
    expect(codeOf["incoming/oversize.html"]).toBe("CORPUS_TOO_LARGE");
    expect(codeOf["incoming/encrypted.pdf"]).toBe("CORPUS_PDF_ENCRYPTED");
    expect(codeOf["incoming/truncated.pdf"]).toBe("CORPUS_PDF_CORRUPT");
    for (const warning of health.warnings) {
      expect(warning.message).toContain(warning.file);
      expect(warning.message).not.toContain(dir);
    }
    expect(Object.keys(codeOf)).toHaveLength(5);
    expect(health.counts.documents).toBe(3);
  });

  it("answers from the files that loaded", async () => {
    const ask = async (question: string) =>
      AnswerResponseSchema.parse(await (await fetch(`${server.base}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) })).json());
    const seed = await ask("من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟");
    expect(seed.abstained).toBe(false);
    expect(seed.citations[0].text).toContain("ألكسندر فولفوفيتش");
    const water = await ask("كم بلغ ارتفاع الاستهلاك اليومي للمياه مقارنة بالعام السابق؟");
    expect(water.citations.some((c) => c.docId === "water" && c.section === SAMPLE.sections[1].heading)).toBe(true);
    const nile = await ask("كم يبلغ طول نهر النيل بالكيلومترات؟");
    const pdfCitation = nile.citations.find((c) => c.docId === "two-columns")!;
    expect(pdfCitation.page).toBe(1);
    expect(nile.answer).toContain("ص 1");
    const pdf = await fetch(`${server.base}/api/documents/two-columns/original`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toBe('inline; filename="two-columns.pdf"');
    const original = await fetch(`${server.base}/api/documents/water/original`);
    expect(original.status).toBe(200);
    expect(original.headers.get("content-disposition")).toBe('attachment; filename="water.docx"');
  });
});
