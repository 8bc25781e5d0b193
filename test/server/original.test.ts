// GET /api/documents/:id/original and citations with pages, through app.request() over a corpus
// of a PDF (its extraction given as a PDF reader gives it: text and page spans), a DOCX, an HTML
// page and a text file, read by the real readers.
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCorpus, type CorpusFile } from "../../src/corpus/build";
import { extractDocx } from "../../src/corpus/formats/docx";
import { extractHtml } from "../../src/corpus/formats/html";
import type { OriginalFile } from "../../src/corpus/load-node";
import { originalReader } from "../../src/node/originals";
import { AnswerResponseSchema, DocumentResponseSchema, ErrorSchema } from "../../src/schemas";
import { createApp } from "../../src/server/app";
import type { SourceFormat } from "../../src/types";
import { buildInMemoryPipeline } from "../../scripts/lib/engine";
import { makeNewsPage, makeSampleDocx, SAMPLE, seedArticle } from "../../scripts/fixtures/make-office";
import { READY_HEALTH } from "../support/health";

let dir: string;
let app: ReturnType<typeof createApp>;
let worker: ReturnType<typeof createApp>;
const originals = new Map<string, OriginalFile>();
/** Where page 2 of the "PDF" starts: inside the first sentence, so that sentence crosses a page break. */
const PAGE_BREAK = 60;
const PDF_BYTES = new TextEncoder().encode("%PDF-1.4\n% stands in for the printed article; only its bytes are served\n%%EOF\n");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "originals-"));
  const seed = await seedArticle();
  const docx = await makeSampleDocx();
  const html = new TextEncoder().encode(makeNewsPage({ title: "خبر القمح", sections: [{ paragraphs: ["قالت وزارة الزراعة إن محصول القمح هذا العام بلغ مستوى قياسيا بفضل الأمطار الغزيرة في الشتاء الماضي."] }] }));
  const note = new TextEncoder().encode("ملاحظة قصيرة عن الاجتماع القادم للجنة.");
  const files: { name: string; bytes: Uint8Array; format: SourceFormat; file: CorpusFile }[] = [
    { name: "article.pdf", bytes: PDF_BYTES, format: "pdf", file: { name: "article.pdf", extracted: { format: "pdf", text: seed.text, pages: [{ page: 1, start: 0, end: PAGE_BREAK }, { page: 2, start: PAGE_BREAK, end: seed.text.length }], meta: { title: seed.title } } } },
    { name: "water.docx", bytes: docx, format: "docx", file: { name: "water.docx", extracted: await extractDocx(docx) } },
    { name: "wheat.html", bytes: html, format: "html", file: { name: "wheat.html", extracted: await extractHtml(html) } },
    { name: "note.txt", bytes: note, format: "text", file: { name: "note.txt", bytes: note } },
  ];
  for (const { name, bytes } of files) await writeFile(join(dir, name), bytes);
  const built = buildCorpus(files.map((f) => f.file));
  expect(built.warnings).toEqual([]);
  for (const [id, name] of built.fileOfDocument) {
    const f = files.find((x) => x.name === name)!;
    originals.set(id, { path: join(dir, name), format: f.format, sha256: createHash("sha256").update(f.bytes).digest("hex") });
  }
  const { engine } = await buildInMemoryPipeline(built.corpus);
  app = createApp({ engine: () => engine, health: () => READY_HEALTH, readOriginal: originalReader(() => originals), logError: () => {} });
  worker = createApp({ engine: () => engine, health: () => READY_HEALTH, logError: () => {} });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function expectError(res: Response, status: number, code: string, mentions?: string) {
  expect(res.status).toBe(status);
  const body = ErrorSchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  if (mentions) expect(body.error.message).toContain(mentions);
  expect(body.error.message).not.toContain(dir); // never a path on disk
}

describe("GET /api/documents/:id/original", () => {
  it("serves a PDF inline, byte for byte, so the browser's viewer opens it at #page=N", async () => {
    const res = await app.request("/api/documents/article/original");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe('inline; filename="article.pdf"');
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF_BYTES);
  });

  it("serves HTML and DOCX as sandboxed attachments that never render on this origin", async () => {
    for (const [id, type, name] of [["wheat", "text/html; charset=utf-8", "wheat.html"], ["water", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "water.docx"], ["note", "text/plain; charset=utf-8", "note.txt"]]) {
      const res = await app.request(`/api/documents/${id}/original`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${name}"`);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toMatch(/^sandbox;/);
    }
  });

  it("answers HEAD with the headers alone", async () => {
    const res = await app.request("/api/documents/article/original", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
  });

  it("is 404 JSON for an unknown id, and for a document whose file changed since it was indexed", async () => {
    await expectError(await app.request("/api/documents/nope/original"), 404, "DOCUMENT_NOT_FOUND", "nope");
    await expectError(await app.request("/api/documents/..%2F..%2Fetc%2Fpasswd/original"), 404, "DOCUMENT_NOT_FOUND");
    await writeFile(join(dir, "note.txt"), "نص آخر.");
    await expectError(await app.request("/api/documents/note/original"), 404, "ORIGINAL_NOT_AVAILABLE", "changed since it was indexed");
  });

  it("is 404 JSON where no originals are kept (the Worker)", async () => {
    await expectError(await worker.request("/api/documents/article/original"), 404, "ORIGINAL_NOT_AVAILABLE", "keeps no original files");
  });

  it("is 405 for other methods", async () => {
    const res = await app.request("/api/documents/article/original", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  it("is in the OpenAPI document", async () => {
    const spec = (await (await app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(spec.paths["/api/documents/{id}/original"]).toBeDefined();
  });
});

describe("citations and documents with pages and sections", () => {
  const ask = async (question: string) =>
    AnswerResponseSchema.parse(await (await app.request("/api/answer", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) })).json());

  it("cites a PDF sentence with the page it starts on and the page it ends on, in JSON and in the answer's words", async () => {
    const ar = await ask("من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟");
    const first = ar.citations.find((c) => c.docId === "article" && c.start === 0)!;
    expect(first).toMatchObject({ page: 1, pageEnd: 2 });
    expect(ar.answer).toContain(`ص 1–2، الفقرة 1، الجملة 1`);
    const later = ar.citations.filter((c) => c.docId === "article" && c.start >= PAGE_BREAK);
    for (const c of later) {
      expect(c.page).toBe(2);
      expect(c.pageEnd).toBeUndefined();
    }
  });

  it("cites a DOCX sentence with its section, and no page", async () => {
    const answer = await ask("كم بلغ ارتفاع الاستهلاك اليومي للمياه مقارنة بالعام السابق؟");
    const cited = answer.citations.find((c) => c.docId === "water")!;
    expect(cited.section).toBe(SAMPLE.sections[1].heading);
    expect(cited.page).toBeUndefined();
    expect(cited.ocr).toBeUndefined();
  });

  it("returns each document's format, pages and sections", async () => {
    const pdf = DocumentResponseSchema.parse(await (await app.request("/api/documents/article")).json());
    expect(pdf.format).toBe("pdf");
    expect(pdf.pages?.map((p) => p.page)).toEqual([1, 2]);
    const docx = DocumentResponseSchema.parse(await (await app.request("/api/documents/water")).json());
    expect(docx.format).toBe("docx");
    expect(docx.sections?.map((s) => s.heading)).toEqual(SAMPLE.sections.map((s) => s.heading));
    const text = DocumentResponseSchema.parse(await (await app.request("/api/documents/note")).json());
    expect(text.format).toBe("text");
    expect(text.pages).toBeUndefined();
  });
});
