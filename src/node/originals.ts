// Node adapter: reads a document's original file for GET /api/documents/:id/original. Only files
// the loader indexed are served (by document id, never by a client's path), and only while their
// bytes are the ones indexed: a file changed since would not match the citations.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { OriginalFile } from "../corpus/load-node";
import { createError } from "../errors";
import type { SourceFormat } from "../types";

export function originalReader(originals: () => Map<string, OriginalFile> | undefined): (id: string) => Promise<{ bytes: Uint8Array; format: SourceFormat }> {
  return async (id) => {
    const original = originals()?.get(id);
    if (!original) throw createError("ORIGINAL_NOT_AVAILABLE", id, "this server keeps no file for it");
    let bytes: Uint8Array;
    try {
      bytes = await readFile(original.path);
    } catch {
      throw createError("ORIGINAL_NOT_AVAILABLE", id, "its file is gone from the corpus folder; reload the corpus (SIGHUP)");
    }
    if (createHash("sha256").update(bytes).digest("hex") !== original.sha256) {
      throw createError("ORIGINAL_NOT_AVAILABLE", id, "its file changed since it was indexed; reload the corpus (SIGHUP) to index the new version");
    }
    return { bytes, format: original.format };
  };
}
