// Node adapter: uploads with VECTOR_STORE=pgvector. The store is the truth for them (qa_uploads
// names each upload and its sidecar, qa_originals holds its bytes); CORPUS_DIR/uploads/ is a cache.
//
// - Saving (server/upload-node.ts through `createPgUploadStore`): the bytes and the row go into the
//   store in one transaction before the file is renamed into the folder, so a file whose insert
//   failed is never left there to be indexed; the same bytes are recognised whichever server took them.
// - Deleting: the row goes first, then the local files; every other server drops its copy at its
//   next indexing run.
// - Indexing (`syncUploads`, before each run reads CORPUS_DIR): every upload the store lists is
//   written into the folder (atomically, under the store's name, never a client's), with its sidecar,
//   and every upload file the store no longer lists is removed. So a run on any server includes
//   every server's uploads, and a deletion made anywhere is not brought back by another server.
//   The run's list of uploads is checked again in its flip's transaction (`uploadsUnchanged`): a
//   run that missed an upload or deletion made while it ran does not replace the index.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";
import { unavailable } from "../index/pgvector/schema";
import { slowQuery } from "../index/pgvector/originals";
import { activeGenerationId } from "../index/pgvector/reader";
import type { SourceFormat } from "../types";
import { sidecarText, syncFile, UPLOAD_NAME, uploadDocumentId, UPLOADS_FOLDER, writeDurably, type UploadStore } from "../server/upload-node";

/** A name as the saver makes it: the only kind written into, or removed from, the folder. */
const STORED_NAME = /^uploads\/([0-9a-f]{16})\.(txt|pdf|docx|html)$/;
const FORMATS = new Set<SourceFormat>(["text", "pdf", "docx", "html"]);

export function createPgUploadStore(pool: () => Promise<pg.Pool>): UploadStore {
  return {
    async existing(sha256) {
      const db = await pool();
      const key = Buffer.from(sha256, "hex");
      try {
        const upload = (await db.query<{ name: string }>("SELECT name FROM qa_uploads WHERE sha256 = $1 LIMIT 1", [key])).rows[0];
        if (upload) return idOfName(upload.name);
        const generation = await activeGenerationId(db);
        if (generation === undefined) return undefined;
        const document = (await db.query<{ id: string }>("SELECT id FROM qa_documents WHERE generation = $1 AND original_sha256 = $2 LIMIT 1", [generation, key])).rows[0];
        return document?.id;
      } catch (error) {
        throw unavailable(error);
      }
    },
    async add({ name, sha256, format, path, sidecar }) {
      const bytes = await readFile(path);
      const client = await (await pool()).connect().catch((error: unknown) => {
        throw unavailable(error);
      });
      try {
        await client.query("BEGIN");
        const key = Buffer.from(sha256, "hex");
        await client.query(slowQuery("INSERT INTO qa_originals (sha256, format, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING", [key, format, bytes]));
        const inserted = await client.query("INSERT INTO qa_uploads (name, sha256, sidecar) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", [name, key, JSON.stringify(sidecar)]);
        await client.query("COMMIT");
        return inserted.rowCount === 1 ? "added" : "exists";
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw unavailable(error);
      } finally {
        client.release();
      }
    },
    async remove(hex) {
      if (!/^[0-9a-f]{16}$/.test(hex)) return [];
      try {
        const removed = await (await pool()).query<{ name: string }>("DELETE FROM qa_uploads WHERE name LIKE $1 RETURNING name", [`${UPLOADS_FOLDER}/${hex}.%`]);
        return removed.rows.map((r) => r.name);
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}

export interface UploadsSync {
  /** What the store listed (name and sha256, in name order): the flip checks it is unchanged. */
  fingerprint: string;
  written: number;
  removed: number;
  adopted: number;
}

/**
 * Makes CORPUS_DIR/uploads/ hold exactly the store's uploads: missing or different files are
 * written from the store (one at a time), sidecars rewritten when they differ, and upload files the
 * store does not list removed. Files not named like an upload (an operator's, temporary dot-files
 * of uploads in progress) are never touched.
 *
 * One exception to "not listed, so removed": an upload saved before the store kept uploads (schema
 * 1) is in this folder only. It is recognised by its document in the active generation having no
 * stored original (every document indexed since has one), and is adopted into the store instead.
 * A client, not a pool: the adoption is a transaction.
 */
export async function syncUploads(db: pg.Client, corpusDir: string, log: (message: string) => void = () => {}): Promise<UploadsSync> {
  const dir = join(corpusDir, UPLOADS_FOLDER);
  await mkdir(dir, { recursive: true });
  const adopted = await adoptLegacyUploads(db, dir, log);
  const rows = await listUploads(db);
  const local = new Set((await readdir(dir)).filter((n) => UPLOAD_NAME.test(n)));
  const listed = new Set<string>();
  let written = 0;
  for (const row of rows) {
    const match = STORED_NAME.exec(row.name);
    if (!match || match[1] !== row.sha256.slice(0, 16)) {
      log(`uploads: the store lists "${row.name.slice(0, 80)}", which is not an upload's name; skipped`);
      continue;
    }
    const file = row.name.slice(UPLOADS_FOLDER.length + 1);
    listed.add(file).add(`${match[1]}.meta.json`);
    // Named by the bytes' hash, written only whole (rename): a file of the right size is the right file.
    const size = await stat(join(dir, file)).then((s) => s.size, () => -1);
    if (size !== row.size) {
      const bytes = (await db.query<{ bytes: Buffer }>(slowQuery("SELECT bytes FROM qa_originals WHERE sha256 = $1", [Buffer.from(row.sha256, "hex")]))).rows[0]?.bytes;
      if (!bytes) continue; // removed meanwhile
      await writeDurably(join(dir, `.tmp-${randomUUID()}`), join(dir, file), bytes);
      written++;
    }
    const sidecar = sidecarText(row.sidecar ?? {});
    const current = await readFile(join(dir, `${match[1]}.meta.json`), "utf8").catch(() => undefined);
    if (current !== sidecar) await writeDurably(join(dir, `.tmp-${randomUUID()}`), join(dir, `${match[1]}.meta.json`), sidecar);
  }
  // Gone from the store: asked again just before removing, so an upload saved since the list was read stays.
  let removed = 0;
  for (const name of local) {
    if (listed.has(name)) continue;
    const hex = UPLOAD_NAME.exec(name)![1];
    const again = await db.query("SELECT 1 FROM qa_uploads WHERE name LIKE $1", [`${UPLOADS_FOLDER}/${hex}.%`]);
    if (again.rowCount) continue;
    await rm(join(dir, name), { force: true });
    if (!name.endsWith(".meta.json")) removed++;
  }
  if (written || removed) await syncFile(dir);
  if (written || removed || adopted) log(`uploads: ${written} written from the store, ${removed} removed (deleted on some server), ${adopted} adopted into the store`);
  return { fingerprint: fingerprintOf(rows), written, removed, adopted };
}

/** In the flip's transaction: the uploads are still the ones the run indexed (their writes wait for the commit). */
export async function uploadsUnchanged(client: pg.Client, fingerprint: string): Promise<boolean> {
  await client.query("LOCK TABLE qa_uploads IN SHARE MODE");
  return fingerprintOf(await listUploads(client)) === fingerprint;
}

interface UploadRow {
  name: string;
  sha256: string;
  size: number;
  sidecar: Record<string, unknown> | null;
}

async function listUploads(db: Pick<pg.Pool, "query"> | Pick<pg.Client, "query">): Promise<UploadRow[]> {
  const result = await db.query<{ name: string; sha256: string; size: string; sidecar: Record<string, unknown> | null }>(
    `SELECT u.name, encode(u.sha256, 'hex') AS sha256, octet_length(o.bytes) AS size, u.sidecar
     FROM qa_uploads u JOIN qa_originals o ON o.sha256 = u.sha256 ORDER BY u.name`,
  );
  return result.rows.map((r) => ({ ...r, size: Number(r.size) }));
}

function fingerprintOf(rows: UploadRow[]): string {
  const hash = createHash("sha256");
  for (const row of rows) hash.update(`${row.name}\0${row.sha256}\n`);
  return hash.digest("hex");
}

const idOfName = (name: string) => uploadDocumentId(STORED_NAME.exec(name)?.[1] ?? "");

/** Uploads saved before migration 2, served by the active generation without an original: into the store. */
async function adoptLegacyUploads(db: pg.Client, dir: string, log: (message: string) => void): Promise<number> {
  const generation = await activeGenerationId(db);
  if (generation === undefined) return 0;
  const legacy = new Set(
    (await db.query<{ id: string }>("SELECT id FROM qa_documents WHERE generation = $1 AND id LIKE 'uploads-%' AND original_sha256 IS NULL", [generation])).rows.map((r) => r.id),
  );
  if (legacy.size === 0) return 0;
  let adopted = 0;
  for (const name of await readdir(dir)) {
    const match = UPLOAD_NAME.exec(name);
    if (!match || match[2] === "meta.json" || !legacy.has(uploadDocumentId(match[1]))) continue;
    const storedName = `${UPLOADS_FOLDER}/${name}`;
    if ((await db.query("SELECT 1 FROM qa_uploads WHERE name = $1", [storedName])).rowCount) continue;
    const bytes = await readFile(join(dir, name));
    const sha256 = createHash("sha256").update(bytes).digest();
    if (sha256.toString("hex").slice(0, 16) !== match[1]) continue; // not the bytes it is named after
    const format = ({ txt: "text", pdf: "pdf", docx: "docx", html: "html" } as const)[match[2] as "txt" | "pdf" | "docx" | "html"];
    if (!FORMATS.has(format)) continue;
    const sidecar = await readFile(join(dir, `${match[1]}.meta.json`), "utf8").then((text) => JSON.parse(text) as object, () => ({}));
    await db.query("BEGIN");
    try {
      await db.query(slowQuery("INSERT INTO qa_originals (sha256, format, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING", [sha256, format, bytes]));
      await db.query("INSERT INTO qa_uploads (name, sha256, sidecar) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", [storedName, sha256, JSON.stringify(sidecar)]);
      await db.query("COMMIT");
    } catch (error) {
      await db.query("ROLLBACK").catch(() => {});
      throw error;
    }
    log(`uploads: ${storedName}, saved before the store kept uploads, is now in the store`);
    adopted++;
  }
  return adopted;
}
