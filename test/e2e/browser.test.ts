// End-to-end: the real server (npx tsx src/server/node.ts) driven by headless Debian Chromium.
// Skips, saying so, when /usr/bin/chromium or the server entry is missing.
// E2E_SHOTS=/tmp/shots saves screenshots (desktop and 375 px, light and dark) for a human to look at.
// UPDATE_SCREENSHOTS=1 rewrites the README's picture of the chat (docs/images/chat.png) from this run.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildWeb } from "../../scripts/build-web";
import { freePort, READY_TIMEOUT_MS, waitForHealth } from "./support";

const CHROMIUM = "/usr/bin/chromium";
// Overridable only to develop against a stand-in; the committed default is the real server.
const SERVER_ENTRY = process.env.E2E_SERVER_ENTRY ?? "src/server/node.ts";
const SHOTS = process.env.E2E_SHOTS;
const README_SHOT = process.env.UPDATE_SCREENSHOTS === "1" ? "docs/images/chat.png" : undefined;

const missing = [!existsSync(CHROMIUM) && CHROMIUM, !existsSync(SERVER_ENTRY) && SERVER_ENTRY].filter(Boolean);
if (missing.length) console.warn(`browser e2e skipped: ${missing.join(" and ")} not found (install with: apt-get install -y chromium).`);

const ARABIC_QUESTION = "من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟";
const ENGLISH_QUESTION = "Who is the Secretary of the Security Council of Belarus?";
const XSS_QUESTION = "ما هذا؟ <img src=x onerror=window.__xss=1> <script>window.__xss=1</script>";

interface Citation {
  n: number;
  docId: string;
  start: number;
  end: number;
  text: string;
}
interface AnswerResponse {
  answer: string;
  abstained: boolean;
  language: string;
  citations: Citation[];
}

describe.skipIf(missing.length > 0)("web chat in Chromium against the real server", () => {
  let server: ChildProcess;
  let serverLog = "";
  let base = "";
  let browser: Browser;
  const pages: { page: Page; errors: string[]; allow: RegExp[] }[] = [];
  // One context per set of options: a new page (tab) already starts with empty sessionStorage,
  // and a context's first page is the slow one to open.
  const contexts = new Map<string, Promise<BrowserContext>>();

  beforeAll(async () => {
    await buildWeb();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // detached: its own process group, so stopping it also stops the tsx/node children npx starts.
    server = spawn("npx", ["tsx", SERVER_ENTRY], {
      // No rate limit: the run loads the page (some twenty files) far more often than one reader would.
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "0" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout?.on("data", (d) => (serverLog += d));
    server.stderr?.on("data", (d) => (serverLog += d));
    await waitForHealth(`${base}/api/health`, () => server.exitCode !== null, () => serverLog);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    for (const context of contexts.values()) await (await context).close();
    await browser?.close();
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (server.exitCode === null) process.kill(-server.pid, "SIGKILL");
    }
  });

  // No console errors anywhere in the run, except those a test provokes on purpose.
  afterEach(async () => {
    for (const { page, errors, allow } of pages.splice(0)) {
      await page.close();
      expect(errors.filter((e) => !allow.some((pattern) => pattern.test(e)))).toEqual([]);
    }
  });

  async function openPage(options: BrowserContextOptions = {}, path = "/") {
    // An Arabic reader's browser: the interface follows the browser's language (test/e2e/reader.test.ts).
    const contextOptions = { viewport: { width: 1280, height: 800 }, locale: "ar", ...options };
    const key = JSON.stringify(contextOptions);
    if (!contexts.has(key)) contexts.set(key, browser.newContext(contextOptions));
    const page = await (await contexts.get(key)!).newPage();
    const entry = { page, errors: [] as string[], allow: [] as RegExp[] };
    page.on("console", (message) => message.type() === "error" && entry.errors.push(message.text()));
    page.on("pageerror", (error) => entry.errors.push(error.message));
    pages.push(entry);
    await page.goto(base + path);
    return { page, allowErrors: (...patterns: RegExp[]) => entry.allow.push(...patterns) };
  }

  /** Types and sends a question; resolves with the API's JSON as the page received it. */
  async function ask(page: Page, question: string, how: "enter" | "button" = "enter"): Promise<AnswerResponse> {
    const before = await page.getByTestId("answer").count();
    await page.getByTestId("question").fill(question);
    const response = page.waitForResponse((r) => r.url().endsWith("/api/answer") && r.request().method() === "POST");
    if (how === "enter") await page.getByTestId("question").press("Enter");
    else await page.getByTestId("send").click();
    const body = (await (await response).json()) as AnswerResponse;
    await expect.poll(() => page.getByTestId("answer").count()).toBe(before + 1);
    return body;
  }

  async function shot(page: Page, name: string) {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  const direction = (page: Page, selector: string) => page.locator(selector).evaluate((el) => getComputedStyle(el).direction);

  it("answers an Arabic question right-to-left, with a citation that opens, highlights and shares its sentence", async () => {
    const { page } = await openPage();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(["ar", "rtl"]);
    await shot(page, "desktop-light-empty");

    const response = await ask(page, ARABIC_QUESTION);
    expect(response.abstained).toBe(false);
    expect(response.citations.length).toBeGreaterThan(0);
    const answer = page.getByTestId("answer").last();
    expect(await direction(page, "[data-testid=answer] .answer-body")).toBe("rtl");
    await expect.poll(() => answer.getByTestId("citation").count()).toBeGreaterThan(0);

    // The cited text is exactly the document's text at the cited offsets (fetched from the API directly).
    const cited = response.citations[0];
    const doc = (await (await fetch(`${base}/api/documents/${encodeURIComponent(cited.docId)}`)).json()) as { text: string };
    expect(doc.text.slice(cited.start, cited.end)).toBe(cited.text);

    const link = answer.locator(`[data-testid=citation][data-n="${cited.n}"]`).first();
    await link.click();
    const panel = page.getByTestId("source-panel");
    await expect.poll(() => panel.isVisible()).toBe(true);
    const sentence = panel.getByTestId("cited-sentence");
    await expect.poll(() => sentence.textContent()).toBe(cited.text);
    expect(await sentence.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top < window.innerHeight && box.bottom > 0;
    })).toBe(true);
    const hash = new URL(page.url()).hash;
    expect(new URLSearchParams(hash.slice(1)).get("doc")).toBe(cited.docId);
    expect(hash).toContain(`start=${cited.start}&end=${cited.end}`);
    // The answer's other cited sentences are marked lightly.
    if (response.citations.filter((c) => c.docId === cited.docId).length > 1) {
      expect(await panel.locator("mark.cited-related").count()).toBeGreaterThan(0);
    }
    await shot(page, "desktop-light-panel");
    if (README_SHOT) {
      // An answer with its source open: the README shows what the chat does at a glance.
      const writtenAfter = Date.now();
      mkdirSync(dirname(README_SHOT), { recursive: true });
      await page.screenshot({ path: README_SHOT });
      expect(statSync(README_SHOT).mtimeMs).toBeGreaterThanOrEqual(writtenAfter - 1000);
    }

    await page.keyboard.press("Escape");
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(new URL(page.url()).hash).toBe("");
    expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);

    // The shareable link, loaded in a fresh page, opens the panel on the same sentence.
    const shared = await openPage({}, "/" + hash);
    const sharedSentence = shared.page.getByTestId("source-panel").getByTestId("cited-sentence");
    await expect.poll(() => sharedSentence.textContent()).toBe(cited.text);
    await shared.page.getByRole("button", { name: /إغلاق/ }).click();
    await expect.poll(() => shared.page.getByTestId("source-panel").isVisible()).toBe(false);
  }, 60_000);

  it("shows HTML and script in a question as text and never runs them", async () => {
    const { page } = await openPage();
    await ask(page, XSS_QUESTION, "button");
    await expect.poll(() => page.locator(".message-user .bubble").last().textContent()).toBe(XSS_QUESTION);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("#conversation script").count()).toBe(0);
    await shot(page, "desktop-light-xss");
  }, 60_000);

  it("shows a searching state, then renders an English question left-to-right", async () => {
    const { page } = await openPage();
    // Hold the request back so the searching state can be seen.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/answer", async (route) => {
      await held;
      await route.continue();
    });
    const answered = ask(page, ENGLISH_QUESTION);
    await expect.poll(() => page.getByTestId("pending").isVisible()).toBe(true);
    expect(await page.getByTestId("send").isDisabled()).toBe(true);
    await shot(page, "desktop-light-searching");
    release();
    const response = await answered;
    expect(await page.getByTestId("pending").count()).toBe(0);
    expect(await direction(page, ".message-user .bubble")).toBe("ltr");
    if (response.language === "en") expect(await direction(page, "[data-testid=answer] .answer-body")).toBe("ltr");
    // The quotes are Arabic in an English answer: a screen reader must read them as Arabic.
    if (!response.abstained) expect(await page.locator("[data-testid=answer] blockquote").first().getAttribute("lang")).toBe("ar");
  }, 60_000);

  it("says how many characters are left near the limit, so a long paste is never cut silently", async () => {
    const { page } = await openPage();
    const box = page.getByTestId("question");
    await box.fill("س".repeat(850));
    expect(await page.getByTestId("count").isHidden()).toBe(true);
    await box.fill("س".repeat(960));
    await expect.poll(() => page.getByTestId("count").textContent()).toMatch(/960\D+1000/);
    await box.fill("سؤال قصير؟");
    expect(await page.getByTestId("count").isHidden()).toBe(true);
  }, 60_000);

  it("lays out an Arabic question that starts with a Latin word right to left, in the box and in the conversation", async () => {
    const { page } = await openPage();
    const question = "NATO ما هو موقفه من المفهوم الأمني الجديد؟";
    await page.getByTestId("question").fill(question);
    expect(await direction(page, "[data-testid=question]")).toBe("rtl");
    await page.getByTestId("send").click();
    await expect.poll(() => page.locator(".message-user .bubble").count()).toBe(1);
    expect(await direction(page, ".message-user .bubble")).toBe("rtl");
  }, 60_000);

  it("shows 5xx and network errors with a retry, keeping the typed question", async () => {
    const { page, allowErrors } = await openPage();
    allowErrors(/Failed to load resource/);
    const question = "متى سيتم اعتماد المفهوم الأمني الجديد؟";

    await page.route("**/api/answer", (route) =>
      route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "INTERNAL", message: "boom" } }) }),
    );
    await page.getByTestId("question").fill(question);
    await page.getByTestId("send").click();
    await expect.poll(() => page.getByTestId("error").count()).toBe(1);
    expect(await page.getByTestId("question").inputValue()).toBe(question);
    await shot(page, "desktop-light-error");

    await page.unroute("**/api/answer");
    await page.route("**/api/answer", (route) => route.abort("internetdisconnected"));
    await page.getByTestId("retry").click();
    await expect.poll(() => page.getByTestId("error").textContent()).toContain("الاتصال");
    expect(await page.getByTestId("question").inputValue()).toBe(question);

    // A 503 says which kind of "come back soon" it is: load shed (BUSY), not "still indexing".
    await page.unroute("**/api/answer");
    await page.route("**/api/answer", (route) =>
      route.fulfill({ status: 503, contentType: "application/json", headers: { "retry-after": "1" }, body: JSON.stringify({ error: { code: "BUSY", message: "busy" } }) }),
    );
    await page.getByTestId("retry").click();
    await expect.poll(() => page.getByTestId("error").textContent()).toContain("أسئلة كثيرة");

    await page.unroute("**/api/answer");
    await page.getByTestId("retry").click();
    await expect.poll(() => page.getByTestId("answer").count()).toBe(1);
    expect(await page.getByTestId("error").count()).toBe(0);
    expect(await page.locator(".message-user").count()).toBe(1);
    expect(await page.getByTestId("question").inputValue()).toBe("");
  }, 60_000);

  it("keeps the conversation across a reload, sends it as history, and starts over on request", async () => {
    const { page } = await openPage();
    const first = await ask(page, ARABIC_QUESTION);
    await page.reload();
    expect(await page.getByTestId("answer").count()).toBe(1);
    expect(await page.locator(".message-user .bubble").first().textContent()).toBe(ARABIC_QUESTION);

    const request = page.waitForRequest((r) => r.url().endsWith("/api/answer"));
    await ask(page, "ومتى سيقدّم مشروع الوثيقة؟");
    const sent = (await request).postDataJSON() as { history: { role: string; content: string }[] };
    expect(sent.history).toEqual([
      { role: "user", content: ARABIC_QUESTION },
      { role: "assistant", content: first.answer.slice(0, 1000) },
    ]);

    await page.getByTestId("new-conversation").click();
    expect(await page.getByTestId("answer").count()).toBe(0);
    await page.reload();
    expect(await page.getByTestId("answer").count()).toBe(0);
  }, 60_000);

  it("works by keyboard alone", async () => {
    const { page } = await openPage();
    let focused = "";
    for (let i = 0; i < 12 && focused !== "question"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? "");
    }
    expect(focused).toBe("question");
    await page.keyboard.type("سطر أول");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("من هو أمين مجلس الأمن؟");
    expect(await page.getByTestId("question").inputValue()).toBe("سطر أول\nمن هو أمين مجلس الأمن؟");
    await page.getByTestId("question").fill(ARABIC_QUESTION);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("answer").count()).toBe(1);

    await page.getByTestId("citation").first().focus();
    await shot(page, "desktop-light-keyboard-focus");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("source-panel").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("source-title");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("source-panel").isVisible()).toBe(false);
  }, 60_000);

  for (const colorScheme of ["light", "dark"] as const) {
    it(`fits a 375 px phone without horizontal scrolling (${colorScheme})`, async () => {
      const { page } = await openPage({ viewport: { width: 375, height: 740 }, colorScheme, isMobile: true, hasTouch: true });
      const noHorizontalScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      await ask(page, ARABIC_QUESTION, "button");
      expect(await noHorizontalScroll()).toBe(true);
      await shot(page, `mobile-${colorScheme}-answer`);
      await page.getByTestId("citation").first().click();
      const panel = page.getByTestId("source-panel");
      await expect.poll(() => panel.getByTestId("cited-sentence").isVisible()).toBe(true);
      expect(await panel.evaluate((el) => Math.round(el.getBoundingClientRect().width))).toBe(375);
      expect(await noHorizontalScroll()).toBe(true);
      await shot(page, `mobile-${colorScheme}-panel`);
      // Covering the page, the panel is modal: Tab cycles inside it and never reaches the page behind.
      expect(await panel.getAttribute("aria-modal")).toBe("true");
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press(i % 2 ? "Tab" : "Shift+Tab");
        expect(await page.evaluate(() => !document.activeElement || document.activeElement === document.body || !!document.activeElement.closest("#source-panel"))).toBe(true);
      }
      await page.keyboard.press("Escape");
      await expect.poll(() => panel.isHidden()).toBe(true);
      expect(await page.evaluate(() => (document.getElementById("main") as HTMLElement & { inert: boolean }).inert)).toBe(false);
    }, 60_000);
  }

  it("looks right on a desktop in dark mode", async () => {
    const { page } = await openPage({ colorScheme: "dark" });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe("rgb(246, 246, 243)");
    await ask(page, ARABIC_QUESTION);
    await ask(page, "ما هو لون السماء على المريخ؟");
    await shot(page, "desktop-dark-answer");
    await page.getByTestId("citation").first().click();
    await expect.poll(() => page.getByTestId("cited-sentence").isVisible()).toBe(true);
    // Beside the conversation on a wide screen, the panel is not modal: the page stays usable.
    expect(await page.getByTestId("source-panel").getAttribute("aria-modal")).toBe("false");
    expect(await page.evaluate(() => (document.getElementById("main") as HTMLElement & { inert: boolean }).inert)).toBe(false);
    await shot(page, "desktop-dark-panel");
  }, 60_000);
});

