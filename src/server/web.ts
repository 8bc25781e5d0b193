// Serves the chat page and its assets from any byte source (Node files, Worker assets).
// Core module: Web APIs only, so it runs unchanged in a Cloudflare Worker.
import type { MiddlewareHandler } from "hono";
import { formatMessage } from "../errors";

export interface ServeWebOptions {
  /** Bytes of an asset by its path relative to the web root ("index.html", "js/main.js"); null when absent. */
  readAsset: (path: string) => Promise<Uint8Array | null>;
  /** Asset served for "/". */
  indexFile?: string;
  /** Requests under this prefix are left to the API untouched. */
  apiPrefix?: string;
  contentSecurityPolicy?: string;
}

/** No inline script or style anywhere: only files from this origin run or style the page. */
export const defaultContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const contentTypes: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json; charset=utf-8",
  webmanifest: "application/manifest+json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  woff2: "font/woff2",
};

// A content hash in the name ("marked.6aa69d6a2ac7.js") means the bytes never change under it.
const hashedName = /\.[0-9a-f]{8,}\.[a-z0-9]+$/;
const immutable = "public, max-age=31536000, immutable";
// Everything else is revalidated on every load (cheap thanks to the ETag), so a deploy shows at once.
const revalidate = "no-cache";

export function serveWeb(options: ServeWebOptions): MiddlewareHandler {
  const { readAsset, indexFile, apiPrefix, contentSecurityPolicy } = {
    indexFile: "index.html",
    apiPrefix: "/api/",
    contentSecurityPolicy: defaultContentSecurityPolicy,
    ...options,
  };

  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    // The raw pathname, still percent-encoded (Hono's c.req.path may already be decoded).
    const pathname = new URL(c.req.url).pathname;
    if (pathname.startsWith(apiPrefix) || pathname === apiPrefix.replace(/\/$/, "")) return next();

    const path = pathname === "/" ? indexFile : assetPath(pathname);
    if (path === null) {
      const message = formatMessage("INVALID_REQUEST", "path", "must not contain '..', '.'-files, backslashes or encoded separators");
      return c.json({ error: { code: "INVALID_REQUEST", message } }, 400);
    }
    const contentType = contentTypes[extension(path)];
    if (!contentType) return next();
    const bytes = await readAsset(path);
    if (!bytes) return next();

    const etag = `"${await digest(bytes)}"`;
    const headers = new Headers({
      "Content-Type": contentType,
      "Cache-Control": hashedName.test(path) ? immutable : revalidate,
      ETag: etag,
      "Content-Security-Policy": contentSecurityPolicy,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
    if (matchesEtag(c.req.header("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
    headers.set("Content-Length", String(bytes.byteLength));
    return new Response(c.req.method === "HEAD" ? null : (bytes as Uint8Array<ArrayBuffer>), { status: 200, headers });
  };
}

/**
 * The asset path for a URL pathname, or null when it tries to leave the web root or reach hidden files.
 * Decoding happens once, here; the result never contains "..", "\\", "%" or an empty segment.
 */
export function assetPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.replace(/^\//, "").split("/");
  const safe = segments.every(
    (segment) => segment !== "" && !segment.startsWith(".") && !/[\\%\0]/.test(segment) && !/[\u0000-\u001f]/.test(segment),
  );
  return safe ? segments.join("/") : null;
}

function extension(path: string): string {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") ? path.slice(dot + 1).toLowerCase() : "";
}

async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(hash.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*");
}
