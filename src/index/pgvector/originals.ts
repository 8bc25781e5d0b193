// Node adapter: documents' original files in the Postgres store (qa_originals, content-addressed by
// sha256), so any server answers GET /api/documents/:id/original for any document of the generation
// it serves, whichever server's folder the file was read from.
//
// Memory: files are read, checked and written one at a time (a 50 MB PDF is one bytea parameter);
// nothing loads all originals at once.
import { createHash } from "node:crypto";
import type pg from "pg";
import { createError } from "../../errors";
import type { SourceFormat } from "../../types";
import { unavailable } from "./schema";

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.Client, "query">;

/** A document's original as the indexer gets it: what it was read from, and how to read it again. */
export interface OriginalSource {
  format: SourceFormat;
  /** Of the bytes that were indexed (hex). */
  sha256: string;
  read(): Promise<Uint8Array>;
}

/** Moving a 50 MB file in or out of the store takes longer than a search's 5 s (the pool's query_timeout). */
export const BYTES_TIMEOUT_MS = 120_000;

/** A query with its own read timeout (pg honours `query_timeout` per query; its types do not list it). */
export function slowQuery(text: string, values: unknown[], timeoutMs = BYTES_TIMEOUT_MS): pg.QueryConfig {
  return { text, values, query_timeout: timeoutMs } as pg.QueryConfig;
}

/**
 * Gives every document of `generation` that has none yet its original: bytes not in qa_originals
 * are read and inserted (skipped when the sha256 is there), then the rows point at them. A file that
 * changed since it was indexed, or cannot be read, is left without one (its original answers 404).
 */
export async function storeOriginals(
  client: Queryable,
  generation: number,
  originals: Map<string, OriginalSource>,
  log: (message: string) => void = () => {},
): Promise<{ documents: number; stored: number; bytes: number }> {
  const lacking = (await client.query<{ id: string }>("SELECT id FROM qa_documents WHERE generation = $1 AND original_sha256 IS NULL", [generation])).rows.map((r) => r.id);
  const wanted = lacking.filter((id) => originals.has(id));
  if (wanted.length === 0) return { documents: 0, stored: 0, bytes: 0 };
  const shas = [...new Set(wanted.map((id) => originals.get(id)!.sha256))];
  const present = new Set(
    (await client.query<{ sha256: Buffer }>("SELECT sha256 FROM qa_originals WHERE sha256 = ANY($1::bytea[])", [shas.map((h) => Buffer.from(h, "hex"))])).rows.map((r) => r.sha256.toString("hex")),
  );
  const missing = new Set<string>();
  let stored = 0;
  let bytesStored = 0;
  for (const id of wanted) {
    const original = originals.get(id)!;
    if (present.has(original.sha256) || missing.has(original.sha256)) continue;
    let bytes: Uint8Array;
    try {
      bytes = await original.read();
    } catch (error) {
      log(`pgvector: the original of ${id} cannot be read (${error instanceof Error ? error.message.split(",")[0] : String(error)}); it is not stored`);
      missing.add(original.sha256);
      continue;
    }
    if (createHash("sha256").update(bytes).digest("hex") !== original.sha256) {
      log(`pgvector: the file of ${id} changed since it was read; its original is not stored (the next run indexes the new version)`);
      missing.add(original.sha256);
      continue;
    }
    await client.query(slowQuery("INSERT INTO qa_originals (sha256, format, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING", [Buffer.from(original.sha256, "hex"), original.format, bytes]));
    present.add(original.sha256);
    stored++;
    bytesStored += bytes.length;
  }
  const linked = wanted.filter((id) => present.has(originals.get(id)!.sha256));
  await client.query(
    `UPDATE qa_documents d SET original_sha256 = u.sha256, original_format = u.format
     FROM unnest($2::text[], $3::bytea[], $4::text[]) AS u(id, sha256, format)
     WHERE d.generation = $1 AND d.id = u.id`,
    [generation, linked, linked.map((id) => Buffer.from(originals.get(id)!.sha256, "hex")), linked.map((id) => originals.get(id)!.format)],
  );
  return { documents: linked.length, stored, bytes: bytesStored };
}

/** The original of document `id` in `generation`: GET /api/documents/:id/original on a pgvector server. */
export async function readStoredOriginal(db: Queryable, generation: number, id: string): Promise<{ bytes: Uint8Array; format: SourceFormat }> {
  let row: { bytes: Buffer; format: SourceFormat } | undefined;
  try {
    row = (
      await db.query<{ bytes: Buffer; format: SourceFormat }>(
        slowQuery(
          `SELECT o.bytes, o.format FROM qa_documents d JOIN qa_originals o ON o.sha256 = d.original_sha256
           WHERE d.generation = $1 AND d.id = $2`,
          [generation, id],
        ),
      )
    ).rows[0];
  } catch (error) {
    throw unavailable(error);
  }
  if (!row) throw createError("ORIGINAL_NOT_AVAILABLE", id, "the store keeps no file for it (its file could not be read when it was indexed); index the corpus again");
  return { bytes: row.bytes, format: row.format };
}

/**
 * Removes originals that no remaining generation's document and no upload refers to, and that
 * existed before `before` (the run's start: a concurrent run's fresh originals are left alone).
 */
export async function collectOriginals(db: Queryable, before: Date): Promise<number> {
  const result = await db.query(
    `DELETE FROM qa_originals o WHERE o.created_at < $1
       AND NOT EXISTS (SELECT 1 FROM qa_documents d WHERE d.original_sha256 = o.sha256)
       AND NOT EXISTS (SELECT 1 FROM qa_uploads u WHERE u.sha256 = o.sha256)`,
    [before],
  );
  return result.rowCount ?? 0;
}
