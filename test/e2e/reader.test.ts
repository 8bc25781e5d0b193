// End-to-end, for every reader (issue 17): the interface in six languages at desktop and phone
// widths, light and dark; a refusal with its closest passages; copying a citation (the clipboard
// read back); the documents view over the 40-article XQuAD corpus. Real servers, Debian Chromium.
// Screenshots go to test/.tmp/screenshots/ (git-ignored) for a human to look at.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildWeb } from "../../scripts/build-web";
import { CHROMIUM, CHROMIUM_ARGS, READY_TIMEOUT_MS, startServer, type RunningServer } from "./support";

const XQUAD_CORPUS = "../shared/eval/xquad/corpus";
const SHOTS = "test/.tmp/screenshots";
const missing = [!existsSync(CHROMIUM) && CHROMIUM, !existsSync(XQUAD_CORPUS) && XQUAD_CORPUS].filter(Boolean);
if (missing.length) console.warn(`reader e2e skipped: ${missing.join(" and ")} not found (Chromium: apt-get install -y chromium).`);

type Table = Record<string, string | Record<string, string>>;
/** The page's own string tables (plain ES modules), so the test expects what each language says. */
const TABLES: Record<string, Table> = {};
for (const language of ["ar", "en", "fr", "de", "es", "ru"]) {
  TABLES[language] = ((await import(`../../web/js/locales/${language}.js`)) as { default: Table }).default;
}
const { ar, en } = TABLES;
const text = (table: Table, key: string) => table[key] as string;

const ARABIC_QUESTION = "من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟";
const OFF_TOPIC_QUESTION = "ما هو لون السماء على المريخ؟";
const LIGHT_BACKGROUND = "rgb(246, 246, 243)";

interface Citation { n: number; docId: string; title: string; paragraph: number; sentence: number; start: number; end: number; text: string }
interface Passage { docId: string; paragraph: number; start: number; end: number; text: string; citations: number[] }
interface AnswerResponse { abstained: boolean; language: string; citations: Citation[]; passages: Passage[] }
interface DocumentList {
  documents: { id: string; title: string; meta: { language?: string }; paragraphs: number; sentences: number }[];
  examples: { question: string; language?: string }[];
}

describe.skipIf(missing.length > 0)("the chat for every reader, in Chromium", () => {
  let seed: RunningServer;
  let xquad: RunningServer;
  let browser: Browser;
  const open: { context: BrowserContext; errors: string[] }[] = [];

  beforeAll(async () => {
    // browser.test.ts rebuilds web/vendor too; only build it here when it is missing, so the two never race.
    if (!existsSync("web/vendor/deps.js")) await buildWeb();
    mkdirSync(SHOTS, { recursive: true });
    [seed, xquad] = await Promise.all([
      startServer({ EMBEDDINGS_DIR: "test/.tmp/e2e-reader/seed-embeddings" }),
      // The documents view does not depend on the embedder; the built-in one indexes 40 articles in seconds.
      startServer({ CORPUS_DIR: XQUAD_CORPUS, EMBEDDINGS_DIR: "test/.tmp/e2e-reader/xquad-embeddings", EMBEDDER: "hashing" }),
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([seed?.stop(), xquad?.stop()]);
  });

  // No console errors in any page of any test.
  afterEach(async () => {
    for (const { context, errors } of open.splice(0)) {
      await context.close();
      expect(errors, errors.join("\n")).toEqual([]);
    }
  });

  /** A page in a fresh browser profile (its own localStorage), 1280 × 800 unless told otherwise. */
  async function openPage(server: RunningServer, options: BrowserContextOptions = {}, path = "/"): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const errors: string[] = [];
    open.push({ context, errors });
    const page = await context.newPage();
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(server.base + path);
    await expect.poll(() => page.locator("h1").textContent()).not.toBe("");
    return page;
  }

  async function ask(page: Page, question: string): Promise<AnswerResponse> {
    const before = await page.getByTestId("answer").count();
    await page.getByTestId("question").fill(question);
    const response = page.waitForResponse((r) => r.url().endsWith("/api/answer") && r.request().method() === "POST");
    await page.getByTestId("question").press("Enter");
    const body = (await (await response).json()) as AnswerResponse;
    await expect.poll(() => page.getByTestId("answer").count()).toBe(before + 1);
    return body;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const pageLanguage = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
  const direction = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).direction);
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it("takes the interface language from the browser, switches it in one click and remembers it", async () => {
    const page = await openPage(seed, { locale: "en-GB" });
    expect(await pageLanguage(page)).toEqual(["en", "ltr"]);
    expect(await page.title()).toBe(text(en, "app.title"));
    expect(await page.getByTestId("language-en").getAttribute("aria-pressed")).toBe("true");

    // An Arabic question and its Arabic quote keep their own direction in an English interface.
    await ask(page, ARABIC_QUESTION);
    expect(await direction(page, ".message-user .bubble")).toBe("rtl");
    expect(await direction(page, "[data-testid=answer] .answer-body")).toBe("rtl");
    expect(await page.locator(".message-assistant .message-label").textContent()).toContain(text(en, "message.answer"));

    await page.getByTestId("language-ar").click();
    expect(await pageLanguage(page)).toEqual(["ar", "rtl"]);
    expect(await page.locator("h1").textContent()).toBe(text(ar, "app.title"));
    // The conversation is drawn again in the new language, and the focus stays on the switcher.
    expect(await page.locator(".message-assistant .message-label").textContent()).toContain(text(ar, "message.answer"));
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("language-ar");
    expect(await page.getByTestId("language-en").getAttribute("aria-pressed")).toBe("false");

    // By keyboard: the switcher is one tab stop; arrows move along it (leftwards in Arabic), Enter switches.
    await page.keyboard.press("ArrowLeft");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("language-en");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Enter");
    expect(await pageLanguage(page)).toEqual(["fr", "ltr"]);
    expect(await page.locator("#language-switcher button[tabindex='0']").getAttribute("lang")).toBe("fr");
    await page.getByTestId("language-ar").click();

    await page.reload();
    expect(await pageLanguage(page)).toEqual(["ar", "rtl"]);

    expect(await pageLanguage(await openPage(seed, { locale: "fr-CA" }))).toEqual(["fr", "ltr"]);
    // A browser asking for none of the six gets English.
    expect(await pageLanguage(await openPage(seed, { locale: "ja-JP" }))).toEqual(["en", "ltr"]);
  }, 60_000);

  for (const language of Object.keys(TABLES)) {
    for (const colorScheme of ["light", "dark"] as const) {
      it(`reads in ${language}, ${colorScheme}, at 1280 and 375 px`, async () => {
        const table = TABLES[language];
        for (const width of [1280, 375]) {
          const phone = width < 400;
          const page = await openPage(seed, { locale: language, colorScheme, viewport: { width, height: phone ? 740 : 800 }, isMobile: phone, hasTouch: phone });
          expect(await pageLanguage(page)).toEqual([language, language === "ar" ? "rtl" : "ltr"]);
          expect(await page.locator("h1").textContent()).toBe(text(table, "app.title"));
          expect(await page.getByTestId("send").textContent()).toBe(text(table, "composer.send"));
          expect(await page.getByTestId("question").getAttribute("placeholder")).toBe(text(table, "composer.placeholder"));
          // Every string of the markup was filled from the table.
          expect(await page.locator("[data-i18n]").evaluateAll((nodes) => nodes.filter((n) => !n.textContent?.trim()).length)).toBe(0);
          const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          if (colorScheme === "light") expect(background).toBe(LIGHT_BACKGROUND);
          else expect(background).not.toBe(LIGHT_BACKGROUND);
          await expect.poll(() => page.getByTestId("examples").locator("button").count()).toBeGreaterThan(0);
          expect(await fitsWidth(page)).toBe(true);
          await shot(page, `${language}-${width}-${colorScheme}-welcome`);

          await ask(page, ARABIC_QUESTION);
          const answer = page.getByTestId("answer").last();
          expect(await answer.locator(".message-label").textContent()).toContain(text(table, "message.answer"));
          expect(await answer.getByTestId("copy-citation").first().textContent()).toBe(text(table, "copy.button"));
          expect(await direction(page, ".message-user .bubble")).toBe("rtl");
          expect(await fitsWidth(page)).toBe(true);
          await shot(page, `${language}-${width}-${colorScheme}-answer`);
        }
      }, 90_000);
    }
  }

  it("shows a refusal with its closest passages, collapsed and labelled, each opening the source panel", async () => {
    const page = await openPage(seed, { locale: "en" });
    const response = await ask(page, OFF_TOPIC_QUESTION);
    expect(response.abstained).toBe(true);
    expect(response.citations).toEqual([]);
    expect(response.passages.length).toBeGreaterThan(0);

    const answer = page.getByTestId("answer").last();
    expect(await answer.locator(".message-label").textContent()).toContain(text(en, "message.refusal"));
    const box = answer.getByTestId("closest-passages");
    expect(await box.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    expect(await answer.getByTestId("closest-passage").first().isVisible()).toBe(false);
    await shot(page, "refusal-collapsed");

    await box.locator("summary").click();
    const passages = answer.getByTestId("closest-passage");
    expect(await passages.count()).toBe(response.passages.length);
    expect(await box.locator(".closest-note").textContent()).toBe(text(en, "closest.note"));
    expect(await passages.first().getAttribute("aria-label")).toMatch(/not an answer/);
    await shot(page, "refusal-open");

    await passages.first().click();
    const panel = page.getByTestId("source-panel");
    const highlight = panel.getByTestId("closest-highlight");
    await expect.poll(() => highlight.textContent()).toBe(response.passages[0].text);
    expect(await panel.getByTestId("cited-sentence").count()).toBe(0);
    expect(await page.locator("#source-location").textContent()).toContain("does not answer");
    await shot(page, "refusal-panel");

    await page.keyboard.press("Escape");
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(await passages.first().evaluate((el) => el === document.activeElement)).toBe(true);

    // The refusal and its passages survive a reload.
    await page.reload();
    expect(await page.getByTestId("closest-passage").count()).toBe(response.passages.length);
  }, 60_000);

  it("copies a citation with its reference and link, by keyboard, and says so", async () => {
    const page = await openPage(seed, { locale: "ar", permissions: ["clipboard-read", "clipboard-write"] });
    const response = await ask(page, ARABIC_QUESTION);
    const cited = response.citations[0];
    const link = `${seed.base}/#doc=${cited.docId}&start=${cited.start}&end=${cited.end}`;

    // Keyboard: from the citation's link, Tab reaches its copy button, Enter presses it.
    await page.locator(".citations .citation-link").first().focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("copy-citation");
    await page.keyboard.press("Enter");
    const button = page.getByTestId("copy-citation").first();
    await expect.poll(() => button.textContent()).toBe(text(ar, "copy.done"));
    await expect.poll(() => page.getByTestId("announcer").textContent()).toContain(String(cited.n));
    await shot(page, "copy-confirmed");

    const clipboard = await page.evaluate(async () => {
      const found: Record<string, string> = {};
      for (const item of await navigator.clipboard.read()) for (const type of item.types) found[type] = await (await item.getType(type)).text();
      return found;
    });
    const reference = `${cited.title}، الفقرة ${cited.paragraph}، الجملة ${cited.sentence}`;
    // Plain text that is also markdown: the quote verbatim, the reference, the link.
    expect(clipboard["text/plain"]).toBe(`> ${cited.text}\n>\n> — ${reference}\n> <${link}>\n`);
    const html = clipboard["text/html"];
    expect(html).toContain(cited.text);
    expect(html).toContain(`href="${link.replaceAll("&", "&amp;")}"`);
    expect(html).toContain(`>${reference}</a>`);

    // The copied link opens the same sentence for whoever receives it.
    const shared = await openPage(seed, { locale: "ar" }, link.slice(seed.base.length));
    await expect.poll(() => shared.getByTestId("cited-sentence").textContent()).toBe(cited.text);

    // The confirmation goes away again.
    await expect.poll(() => button.textContent(), { timeout: 5000 }).toBe(text(ar, "copy.button"));
  }, 60_000);

  it("offers the corpus's own example questions on the welcome screen, each answered", async () => {
    const list = (await (await fetch(`${seed.base}/api/documents`)).json()) as DocumentList;
    expect(list.examples.length).toBeGreaterThan(0);
    const page = await openPage(seed, { locale: "ar" });
    const shown = page.getByTestId("examples").locator("button");
    await expect.poll(() => shown.count()).toBe(Math.min(4, list.examples.length));
    expect((await shown.allTextContents()).sort()).toEqual(list.examples.slice(0, 4).map((e) => e.question).sort());
    expect(await page.getByTestId("intro-documents").isVisible()).toBe(false);
    for (const { question } of list.examples) {
      const res = await fetch(`${seed.base}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question }) });
      expect(((await res.json()) as AnswerResponse).abstained, question).toBe(false);
    }
    const english = page.getByTestId("examples").locator('button[lang="en"]');
    if (await english.count()) expect(await direction(page, '[data-testid=examples] button[lang="en"]')).toBe("ltr");
    await shown.first().click();
    await expect.poll(() => page.getByTestId("answer").count()).toBe(1);
  }, 60_000);

  it("lists the 40 XQuAD documents with their counts, filters them by title and opens one with linked paragraph numbers", async () => {
    const list = (await (await fetch(`${xquad.base}/api/documents`)).json()) as DocumentList;
    expect(list.documents).toHaveLength(40);
    expect(list.examples).toEqual([]);

    // No example questions in that corpus: the welcome shows its documents instead.
    const page = await openPage(xquad, { locale: "en" });
    await expect.poll(() => page.getByTestId("intro-documents").isVisible()).toBe(true);
    expect(await page.getByTestId("examples").isVisible()).toBe(false);
    expect(await page.getByTestId("intro-document").count()).toBeGreaterThan(0);
    await shot(page, "xquad-welcome");

    await page.getByTestId("open-documents").click();
    const items = page.getByTestId("document-list").getByTestId("document-item");
    await expect.poll(() => items.count()).toBe(40);
    expect(await page.getByTestId("document-count").textContent()).toBe("40 documents");
    const rows = await items.allTextContents();
    list.documents.forEach((doc, i) => {
      expect(rows[i]).toContain(doc.title);
      expect(rows[i]).toContain(`Arabic · ${doc.paragraphs} paragraphs · ${doc.sentences} sentences`);
    });
    expect(new URL(page.url()).hash).toBe("#documents");
    await shot(page, "xquad-documents");

    const filter = page.getByTestId("document-filter");
    await filter.fill("TESLA");
    await expect.poll(() => items.filter({ visible: true }).count()).toBe(1);
    expect(await page.getByTestId("document-count").textContent()).toBe("1 of 40 documents");
    await filter.fill("no such title");
    await expect.poll(() => items.filter({ visible: true }).count()).toBe(0);
    expect(await page.locator(".document-none").textContent()).toContain("no such title");
    await filter.fill("tesla");
    await shot(page, "xquad-documents-filtered");

    const tesla = list.documents.find((d) => d.title === "Nikola Tesla")!;
    await items.filter({ visible: true }).first().click();
    const panel = page.getByTestId("source-panel");
    await expect.poll(() => page.locator("#source-title").textContent()).toBe("Nikola Tesla");
    const numbers = panel.getByTestId("paragraph-link");
    expect(await numbers.count()).toBe(tesla.paragraphs);
    const doc = (await (await fetch(`${xquad.base}/api/documents/${tesla.id}`)).json()) as { text: string; paragraphs: { start: number; end: number }[] };
    for (let i = 0; i < tesla.paragraphs; i++) {
      const paragraph = panel.locator(`[data-paragraph="${i + 1}"]`);
      expect(await numbers.nth(i).getAttribute("href")).toBe(`#doc=${tesla.id}&p=${i + 1}`);
      // The paragraph's text is the document's, verbatim, after its number.
      expect(await paragraph.evaluate((p) => [...p.childNodes].slice(1).map((n) => n.textContent).join(""))).toBe(doc.text.slice(doc.paragraphs[i].start, doc.paragraphs[i].end));
    }
    await numbers.nth(3).click();
    expect(new URL(page.url()).hash).toBe(`#doc=${tesla.id}&p=4`);
    await expect.poll(() => panel.locator('[data-paragraph="4"]').getAttribute("class")).toContain("paragraph-target");
    await shot(page, "xquad-document-paragraph");

    // Back to the list, filter kept; Back in the browser returns to the document.
    await panel.getByTestId("all-documents").click();
    await expect.poll(() => items.filter({ visible: true }).count()).toBe(1);
    expect(await filter.inputValue()).toBe("tesla");
    await page.goBack();
    await expect.poll(() => page.locator("#source-title").textContent()).toBe("Nikola Tesla");

    // A paragraph's link, opened afresh, shows that paragraph.
    const direct = await openPage(xquad, { locale: "ar", viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, colorScheme: "dark" }, `/#doc=${tesla.id}&p=2`);
    await expect.poll(() => direct.locator('[data-paragraph="2"]').getAttribute("class")).toContain("paragraph-target");
    expect(await direct.locator("#source-kicker").textContent()).toBe(text(ar, "panel.document"));
    expect(await fitsWidth(direct)).toBe(true);
    await shot(direct, "xquad-ar-375-dark-paragraph");
    await direct.getByTestId("all-documents").click();
    await expect.poll(() => direct.getByTestId("document-item").count()).toBe(40);
    expect(await fitsWidth(direct)).toBe(true);
    await shot(direct, "xquad-ar-375-dark-documents");
  }, 90_000);
});
