// Chromium against the real server with a PDF in its corpus: a PDF citation shows its page in the
// citation line, copies it in the reference, and its link opens the original at that page
// (/api/documents/:id/original#page=N, new tab); in Arabic (RTL) and on a 375 px phone.
// Skips, saying so, when /usr/bin/chromium is missing.
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeb } from "../../scripts/build-web";
import { CHROMIUM, CHROMIUM_ARGS, READY_TIMEOUT_MS, startServer, type RunningServer } from "./support";

if (!existsSync(CHROMIUM)) console.warn(`PDF citation e2e skipped: ${CHROMIUM} not found (install with: apt-get install -y chromium).`);

const QUESTION = "من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟";

describe.skipIf(!existsSync(CHROMIUM))("a PDF citation in the chat", () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildWeb();
    dir = await mkdtemp(join(tmpdir(), "pdf-chat-"));
    // The seed article printed by Chromium onto 3 pages (scripts/fixtures/make-pdfs.ts).
    await copyFile("test/fixtures/documents/one-column.pdf", join(dir, "article.pdf"));
    server = await startServer({ CORPUS_DIR: dir, EMBEDDINGS_DIR: join(dir, ".embeddings"), EMBEDDER: "hashing" });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function askIn(options: BrowserContextOptions): Promise<{ page: Page; citation: { n: number; page: number; pageEnd?: number; docId: string } }> {
    const context = await browser.newContext({ locale: "ar", viewport: { width: 1280, height: 800 }, permissions: ["clipboard-read", "clipboard-write"], ...options });
    const page = await context.newPage();
    await page.goto(server.base + "/");
    await page.getByTestId("question").fill(QUESTION);
    const response = page.waitForResponse((r) => r.url().endsWith("/api/answer") && r.request().method() === "POST");
    await page.getByTestId("question").press("Enter");
    const body = (await (await response).json()) as { citations: { n: number; page: number; pageEnd?: number; docId: string }[] };
    expect(body.citations.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId("citation-page").count()).toBeGreaterThan(0);
    return { page, citation: body.citations[0] };
  }

  it("shows the page, copies it, and opens the original at that page in a new tab", async () => {
    const { page, citation } = await askIn({});
    expect(citation.page).toBe(1);
    const line = page.locator(".citations li").first();
    expect(await line.getByTestId("citation-page").textContent()).toBe(citation.pageEnd ? `ص ${citation.page}–${citation.pageEnd}` : `ص ${citation.page}`);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");

    const open = line.getByTestId("open-original");
    expect(await open.getAttribute("target")).toBe("_blank");
    expect(await open.getAttribute("rel")).toContain("noopener");
    expect(await open.getAttribute("href")).toBe(`/api/documents/${citation.docId}/original#page=${citation.page}`);
    const [tab] = await Promise.all([page.context().waitForEvent("page"), open.click()]);
    await expect.poll(() => tab.url()).toBe(`${server.base}/api/documents/${citation.docId}/original#page=${citation.page}`);
    // The tab was opened without a handle back to the chat.
    expect(await tab.evaluate(() => window.opener).catch(() => null)).toBeNull();
    const pdf = await fetch(`${server.base}/api/documents/${citation.docId}/original`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");

    await line.getByTestId("copy-citation").click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(`، ص ${citation.page}`);
    await page.context().close();
  }, 90_000);

  it("fits a 375 px phone without horizontal scrolling", async () => {
    const { page } = await askIn({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const box = await page.locator(".citations li").first().getByTestId("open-original").boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await page.context().close();
  }, 90_000);
});
