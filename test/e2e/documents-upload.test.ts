// End-to-end: adding and removing a document from the chat, in Debian's Chromium against the real
// server. The admin link's token leaves the address bar; a file dropped on "Add documents" shows
// its progress to done, is then cited; deleted (after confirming), its citations are gone.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeb } from "../../scripts/build-web";
import { CHROMIUM, CHROMIUM_ARGS, READY_TIMEOUT_MS, startServer, type RunningServer } from "./support";

const TOKEN = "browser-admin-token-0123456789";
const LAB = "أعلنت جامعة النيل الأزرق عن افتتاح مختبر جديد لأبحاث المياه في مدينة ود مدني خلال شهر أكتوبر.\n";
const QUESTION = "أين افتتحت جامعة النيل الأزرق مختبر أبحاث المياه؟";

describe.skipIf(!existsSync(CHROMIUM))("adding and removing documents in the chat", () => {
  let root: string;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildWeb();
    root = await mkdtemp(join(tmpdir(), "upload-browser-"));
    await mkdir(join(root, "corpus"));
    await copyFile("corpus/000_c1add9699fc6f4ec.txt", join(root, "corpus", "article.txt"));
    server = await startServer({ CORPUS_DIR: join(root, "corpus"), EMBEDDINGS_DIR: join(root, "embeddings"), EMBEDDER: "hashing", ADMIN_TOKEN: TOKEN });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function openPage(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: "ar" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(server.base + path);
    return { page, errors };
  }

  async function ask(page: Page, question: string): Promise<{ citations: { docId: string; text: string }[] }> {
    await page.getByTestId("question").fill(question);
    const response = page.waitForResponse((r) => r.url().endsWith("/api/answer"));
    await page.getByTestId("question").press("Enter");
    return (await (await response).json()) as { citations: { docId: string; text: string }[] };
  }

  it("without a token there is no way to add or delete", async () => {
    const { page } = await openPage("/#documents");
    await expect.poll(() => page.getByTestId("document-item").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("uploads").count()).toBe(0);
    expect(await page.getByTestId("document-delete").count()).toBe(0);
    await page.context().close();
  });

  it("drop a file, watch it reach done, ask about it and see it cited; delete it and its citations are gone", async () => {
    const { page, errors } = await openPage(`/#admin=${TOKEN}`);
    // The token left the address bar (and the history entry); the tab keeps it.
    expect(new URL(page.url()).hash).toBe("");
    expect(await page.evaluate(() => sessionStorage.getItem("ask-sources:admin-token"))).toBe(TOKEN);

    await page.getByTestId("open-documents").click();
    const uploads = page.getByTestId("uploads");
    await expect.poll(() => uploads.isVisible()).toBe(true);
    // Reachable from the keyboard, with a name for screen readers.
    await page.getByTestId("upload-button").focus();
    expect(await page.getByTestId("upload-button").evaluate((el) => el === document.activeElement && el.textContent === "إضافة وثائق")).toBe(true);

    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "مختبر المياه.txt", { type: "text/plain" }));
      return transfer;
    }, LAB);
    await uploads.dispatchEvent("dragover", { dataTransfer });
    await uploads.dispatchEvent("drop", { dataTransfer });
    const job = page.getByTestId("upload-job").first();
    await expect.poll(() => job.getAttribute("data-stage"), { timeout: 60_000 }).toBe("done");
    expect(await job.getByTestId("upload-status").textContent()).toContain("أُضيفت");
    expect(await job.getByTestId("upload-progress").getAttribute("aria-label")).toContain("مختبر المياه");
    // The list shows the new document under its file name.
    await expect.poll(() => page.getByTestId("document-item").filter({ hasText: "مختبر المياه" }).count()).toBe(1);

    await page.keyboard.press("Escape");
    const answer = await ask(page, QUESTION);
    const uploaded = answer.citations.find((c) => c.text === LAB.trim());
    expect(uploaded?.docId).toMatch(/^uploads-[0-9a-f]{16}$/);
    await expect.poll(() => page.getByTestId("answer").last().getByTestId("citation").count()).toBeGreaterThan(0);

    // Delete, after the confirmation.
    await page.getByTestId("open-documents").click();
    page.once("dialog", (dialog) => void dialog.accept());
    const remove = page.getByTestId("document-delete");
    expect(await remove.count()).toBe(1); // only the uploaded document can be deleted here
    expect(await remove.getAttribute("aria-label")).toContain("مختبر المياه");
    await remove.click();
    await expect.poll(() => page.getByTestId("upload-job").count()).toBe(2); // the removal's own line, above the upload's
    const removal = page.getByTestId("upload-job").first();
    await expect.poll(() => removal.getAttribute("data-stage"), { timeout: 60_000 }).toBe("done");
    expect(await removal.getByTestId("upload-status").textContent()).toBe("حُذفت.");
    await expect.poll(() => page.getByTestId("document-item").filter({ hasText: "مختبر المياه" }).count()).toBe(0);
    await page.keyboard.press("Escape");
    const after = await ask(page, QUESTION);
    expect(after.citations.map((c) => c.docId)).not.toContain(uploaded!.docId);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("a file nobody reads is refused in the reader's language; the controls fit 375 px right-to-left", async () => {
    const { page } = await openPage(`/#admin=${TOKEN}`, 375);
    await page.getByTestId("open-documents").click();
    const uploads = page.getByTestId("uploads");
    await expect.poll(() => uploads.isVisible()).toBe(true);
    expect(await uploads.evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.getByTestId("upload-input").setInputFiles({ name: "photo.txt", mimeType: "text/plain", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) });
    const error = page.getByTestId("upload-error");
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain("بصيغة لا تقرؤها الخدمة");
    await page.context().close();
  });
});
