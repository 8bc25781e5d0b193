import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { assetPath, serveWeb } from "../../src/server/web";

const encoder = new TextEncoder();
const files: Record<string, string> = {
  "index.html": "<!doctype html><title>t</title>",
  "styles.css": "body{}",
  "js/main.js": "export {};",
  "vendor/deps.js": 'export { Marked } from "./marked.6aa69d6a2ac7.js";',
  "vendor/marked.6aa69d6a2ac7.js": "export const Marked = 1;",
  "favicon.svg": "<svg/>",
  "notes.unknownext": "x",
};

function createTestApp(readAsset = async (path: string) => (path in files ? encoder.encode(files[path]) : null)) {
  const requested: string[] = [];
  const app = new Hono();
  app.use(serveWeb({ readAsset: (path) => (requested.push(path), readAsset(path)) }));
  app.get("/api/health", (c) => c.json({ ready: true }));
  app.all("*", (c) => c.json({ error: { code: "NOT_FOUND", message: "none" } }, 404));
  return { app, requested };
}

describe("serveWeb", () => {
  it("serves / as index.html, not cached, with a CSP that allows no inline script", async () => {
    const { app } = createTestApp();
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = res.headers.get("content-security-policy") ?? "";
    const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("default-src 'none'");
    expect(await res.text()).toBe(files["index.html"]);
  });

  it.each([
    ["/styles.css", "text/css; charset=utf-8", "no-cache"],
    ["/js/main.js", "text/javascript; charset=utf-8", "no-cache"],
    ["/vendor/deps.js", "text/javascript; charset=utf-8", "no-cache"],
    ["/vendor/marked.6aa69d6a2ac7.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"],
    ["/favicon.svg", "image/svg+xml", "no-cache"],
  ])("serves %s as %s with Cache-Control %s", async (path, type, cache) => {
    const { app } = createTestApp();
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("cache-control")).toBe(cache);
    expect(res.headers.get("content-length")).toBe(String(encoder.encode(files[path.slice(1)]).byteLength));
  });

  it("answers HEAD without a body and a matching If-None-Match with 304", async () => {
    const { app } = createTestApp();
    const head = await app.request("/styles.css", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const etag = head.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await app.request("/styles.css", { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await app.request("/styles.css", { headers: { "If-None-Match": '"other"' } })).status).toBe(200);
  });

  it("falls through for API routes, other methods, unknown files and unknown types", async () => {
    const { app, requested } = createTestApp();
    expect(await (await app.request("/api/health")).json()).toEqual({ ready: true });
    expect((await app.request("/missing.js")).status).toBe(404);
    expect((await app.request("/notes.unknownext")).status).toBe(404);
    expect((await app.request("/styles.css", { method: "POST" })).status).toBe(404);
    expect((await app.request("/api")).status).toBe(404);
    expect(requested).toEqual(["missing.js"]);
  });

  it.each([
    "/..%2fpackage.json",
    "/js/..%2F..%2Fpackage.json",
    "/%2e%2e%2fsecret.txt",
    "/js%5c..%5c..%5cpackage.json",
    "/.env.json",
    "/js/.hidden.js",
    "/a//b.js",
    "/%252e%252e/x.js",
    "/%E0%A4%A.js",
    "/x%00.js",
  ])("rejects the traversal attempt %s with 400, without reading anything", async (path) => {
    const { app, requested } = createTestApp();
    const res = await app.request(path);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("INVALID_REQUEST");
    expect(requested).toEqual([]);
  });

  it("never asks the reader for a path that could leave the web root", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom("..", ".", "%2e", "%2f", "%5c", "%2e%2e", "/", "\\", "a", "b.js", "%"), fc.string()), { maxLength: 8 }), async (parts) => {
        const { app, requested } = createTestApp(async () => null);
        let request: Request;
        try {
          request = new Request("http://localhost/" + parts.join(""));
        } catch {
          return; // not a URL a client could send
        }
        await app.request(request);
        for (const asked of requested) {
          expect(asked.split("/")).not.toContain("..");
          expect(asked).not.toMatch(/^\/|\\|%|\0/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("assetPath decodes once and refuses what is unsafe", () => {
    expect(assetPath("/js/main.js")).toBe("js/main.js");
    expect(assetPath("/%D8%B9.txt")).toBe("ع.txt");
    expect(assetPath("/js/../x.js")).toBeNull();
    expect(assetPath("/js/")).toBeNull();
  });
});

describe("the web/ sources", () => {
  const root = join(import.meta.dirname, "../../web");
  const htmlFiles = readdirSync(root).filter((f) => f.endsWith(".html"));

  it.each(htmlFiles)("%s has no inline script, no on* handlers and no inline styles", (file) => {
    const html = readFileSync(join(root, file), "utf8");
    for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(match[1]).toMatch(/\bsrc=/);
      expect(match[2].trim()).toBe("");
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
  });

  it("the scripts never assign HTML strings except the sanitizer's output", () => {
    const dir = join(root, "js");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
    expect(files).toContain("locales/en.js");
    for (const file of files) {
      const code = readFileSync(join(dir, file), "utf8");
      expect(code, file).not.toMatch(/\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
    }
  });
});
