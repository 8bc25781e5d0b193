// Web page reader: Mozilla's Readability (Firefox's reader view) finds the article in a page
// parsed by linkedom, leaving menus, footers, adverts, cookie banners and scripts behind; the
// article is written as one paragraph per line with its sections (blocks.ts). linkedom builds a
// DOM only: no script runs, nothing is fetched or rendered.
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import type { DocumentMeta, ExtractedText } from "../../types";
import { writeBlocks } from "./blocks";
import { UnreadableSource } from "./unreadable";

export const HTML_READER_VERSION = 1;
/**
 * Readability always returns its best candidate, even on a page of links; a page whose best
 * candidate has less prose than one short sentence outside links is a menu, not an article.
 */
const MIN_ARTICLE_CHARS = 40;

export async function extractHtml(bytes: Uint8Array): Promise<ExtractedText> {
  const html = decodeHtml(bytes);
  const document = parsePage(html);
  const meta = pageMeta(document); // read before Readability, which rewrites the document
  const article = new Readability(document as unknown as Document, { serializer: (node: Node) => node }).parse();
  const content = article?.content as unknown as Parameters<typeof writeBlocks>[0] | undefined;
  if (!article || !content) throw new UnreadableSource("CORPUS_HTML_NO_ARTICLE", "Readability found no article text");
  const { text, sections } = writeBlocks(content);
  const prose = proseLength(content);
  if (prose < MIN_ARTICLE_CHARS) {
    throw new UnreadableSource("CORPUS_HTML_NO_ARTICLE", `what Readability found holds ${prose} characters of text outside links, under ${MIN_ARTICLE_CHARS}`);
  }
  const title = meta.title ?? article.title?.trim();
  const language = meta.language ?? article.lang ?? undefined;
  const published = meta.published ?? article.publishedTime ?? undefined;
  const found: Partial<DocumentMeta> = {
    ...meta,
    ...(title && { title }),
    ...(language && { language }),
    ...(published && { published }),
  };
  return { format: "html", text, ...(sections.length > 0 && { sections }), ...(Object.keys(found).length > 0 && { meta: found }) };
}

/**
 * linkedom builds no <html> element for a page that opens without one (a fragment, or a bare
 * doctype), and Readability needs it: such a page is parsed again inside a skeleton.
 */
function parsePage(html: string): ReturnType<typeof parseHTML>["document"] {
  const { document } = parseHTML(html);
  if (document.documentElement?.nodeName === "HTML" && document.body) return document;
  return parseHTML(`<!doctype html><html><head></head><body>${html.replace(/<!doctype[^>]*>/i, "")}</body></html>`).document;
}

/** UTF-8 unless the page declares another charset that the platform's TextDecoder knows. */
function decodeHtml(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  try {
    return new TextDecoder(declared ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** og:title or <title>, article:published_time, the canonical URL and <html lang>. */
function pageMeta(document: ReturnType<typeof parseHTML>["document"]): Partial<DocumentMeta> {
  const content = (selector: string) => document.querySelector(selector)?.getAttribute("content")?.trim() || undefined;
  const title = content('meta[property="og:title"]') ?? (document.querySelector("title")?.textContent?.replace(/\s+/g, " ").trim() || undefined);
  const published = content('meta[property="article:published_time"]');
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute("href")?.trim() ?? content('meta[property="og:url"]');
  const url = canonical && /^https?:\/\//i.test(canonical) ? canonical : undefined;
  const language = document.documentElement?.getAttribute("lang")?.trim() || undefined;
  return { ...(title && { title }), ...(published && { published }), ...(url && { url }), ...(language && { language }) };
}

/** Characters of text outside links (menus are all links). */
function proseLength(node: Parameters<typeof writeBlocks>[0]): number {
  if (node.nodeType === 3) return (node.textContent ?? "").replace(/\s+/g, "").length;
  if (node.nodeType !== 1 || node.nodeName.toLowerCase() === "a") return 0;
  let length = 0;
  for (const child of Array.from(node.childNodes)) length += proseLength(child);
  return length;
}
