// Node adapter: what the format readers made of each file, kept on disk by the file's sha256
// (EMBEDDINGS_DIR/extracted/<sha256>.json), so a restart or SIGHUP re-reads only changed files.
// Each entry names the readers' version; an entry from other readers is read again. A refusal is
// kept too (an encrypted PDF stays encrypted), except a timeout or a crash, which depend on the
// limits and the machine and so are tried again.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { ExtractedText } from "../types";
import { UnreadableSource, type UnreadableCode } from "./formats/unreadable";

export interface ExtractionCache {
  dir: string;
  /** READERS_VERSION of formats/index.ts. */
  version: string;
}

const span = { start: z.number().int().min(0), end: z.number().int().min(0) };
const metaSchema = z.object({ title: z.string(), source: z.string(), url: z.string(), published: z.string(), language: z.string() }).partial();
const ExtractedSchema = z.object({
  format: z.enum(["text", "pdf", "docx", "html"]),
  text: z.string(),
  pages: z.array(z.object({ ...span, page: z.number().int().min(1), ocr: z.boolean().optional(), ocrConfidence: z.number().optional() })).optional(),
  sections: z.array(z.object({ ...span, heading: z.string() })).optional(),
  meta: metaSchema.optional(),
});
const EntrySchema = z.object({
  version: z.string(),
  extracted: ExtractedSchema.optional(),
  refusal: z.object({ code: z.string(), detail: z.string() }).optional(),
});
const RETRIED: ReadonlySet<string> = new Set<UnreadableCode>(["CORPUS_EXTRACTION_TIMEOUT", "CORPUS_EXTRACTION_FAILED"]);

/** The cached extraction of the file with this sha256, or `extract()`'s, which is then cached. */
export async function readExtraction(cache: ExtractionCache | undefined, sha256: string, extract: () => Promise<ExtractedText>): Promise<ExtractedText> {
  if (!cache) return extract();
  const path = join(cache.dir, `${sha256}.json`);
  const entry = await readEntry(path, cache.version);
  if (entry?.extracted) return entry.extracted as ExtractedText;
  if (entry?.refusal) throw new UnreadableSource(entry.refusal.code as UnreadableCode, entry.refusal.detail);
  try {
    const extracted = await extract();
    await writeEntry(cache.dir, path, { version: cache.version, extracted });
    return extracted;
  } catch (error) {
    if (error instanceof UnreadableSource && !RETRIED.has(error.code)) {
      await writeEntry(cache.dir, path, { version: cache.version, refusal: { code: error.code, detail: error.detail } });
    }
    throw error;
  }
}

async function readEntry(path: string, version: string): Promise<z.infer<typeof EntrySchema> | undefined> {
  try {
    const parsed = EntrySchema.safeParse(JSON.parse(await readFile(path, "utf8")));
    return parsed.success && parsed.data.version === version ? parsed.data : undefined;
  } catch {
    return undefined; // missing or damaged: read the file again
  }
}

/** Written beside and renamed into place, so a reader never sees half an entry. A cache that cannot be written only costs speed. */
async function writeEntry(dir: string, path: string, entry: z.infer<typeof EntrySchema>): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, path);
  } catch {
    // e.g. a read-only EMBEDDINGS_DIR: the extraction is still used
  }
}
