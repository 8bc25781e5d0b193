// The real server with hostile files in its corpus folder: each gives its warning in /api/health
// (naming the file, never a path), and the rest of the corpus is answered from.
import { execFileSync } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerResponseSchema, HealthSchema } from "../../src/schemas";
import { encryptedPdf, oversizePage, pageWithoutArticle, truncatedPdf, zipBombDocx } from "../../scripts/fixtures/make-hostile";
import { makeSampleDocx, SAMPLE, SEED_ARTICLE } from "../../scripts/fixtures/make-office";
import { READY_TIMEOUT_MS, startServer, type RunningServer } from "./support";

const hasQpdf = (() => {
  try {
    execFileSync("qpdf", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();
if (!hasQpdf) console.warn("hostile-corpus e2e skipped: qpdf not found (install with: apt-get install -y qpdf).");

const MAX_DOCUMENT_BYTES = 200_000;

describe.skipIf(!hasQpdf)("the server with hostile files in corpus/", () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hostile-corpus-"));
    const corpus = join(dir, "corpus");
    execFileSync("mkdir", ["-p", join(corpus, "incoming")]);
    await copyFile(SEED_ARTICLE, join(corpus, "seed.txt"));
    await writeFile(join(corpus, "water.docx"), await makeSampleDocx());
    await writeFile(join(corpus, "incoming/encrypted.pdf"), encryptedPdf());
    await writeFile(join(corpus, "incoming/truncated.pdf"), truncatedPdf());
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
    // Until the PDF reader (branch pdf) lands, its placeholder fails every PDF with CORPUS_EXTRACTION_FAILED.
    expect(codeOf["incoming/encrypted.pdf"]).toMatch(/^CORPUS_(PDF_ENCRYPTED|EXTRACTION_FAILED)$/);
    expect(codeOf["incoming/truncated.pdf"]).toMatch(/^CORPUS_(PDF_CORRUPT|EXTRACTION_FAILED)$/);
    for (const warning of health.warnings) {
      expect(warning.message).toContain(warning.file);
      expect(warning.message).not.toContain(dir);
    }
    expect(health.counts.documents).toBe(2);
  });

  it("answers from the files that loaded", async () => {
    const ask = async (question: string) =>
      AnswerResponseSchema.parse(await (await fetch(`${server.base}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) })).json());
    const seed = await ask("من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟");
    expect(seed.abstained).toBe(false);
    expect(seed.citations[0].text).toContain("ألكسندر فولفوفيتش");
    const water = await ask("كم بلغ ارتفاع الاستهلاك اليومي للمياه مقارنة بالعام السابق؟");
    expect(water.citations.some((c) => c.docId === "water" && c.section === SAMPLE.sections[1].heading)).toBe(true);
    const original = await fetch(`${server.base}/api/documents/water/original`);
    expect(original.status).toBe(200);
    expect(original.headers.get("content-disposition")).toBe('attachment; filename="water.docx"');
  });
});
