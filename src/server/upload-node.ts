// Node adapter: reads a multipart upload (busboy) and saves each file into CORPUS_DIR/uploads/.
// Each part is streamed to a temporary dot-file in that folder (the corpus loader skips dot-files)
// while it is hashed and counted; past maxFileBytes reading stops and every temporary file of the
// request is deleted (413). The type is decided by content (sniffFormat), never by the client's
// name, which is kept only as the default title. Files are named by their sha256
// (uploads/<16 hex>.<ext>), so the same bytes uploaded again are recognised, and are fsynced and
// renamed into place (metadata sidecar first) before the request is answered: a crash after the
// 202 loses nothing, since the next start reads the folder as part of the corpus.
// With VECTOR_STORE=pgvector (`store`), the bytes and the sidecar go into the store first, in one
// transaction, and only then is the file renamed into the folder: the store is the truth for
// uploads (src/node/pg-uploads.ts), so a file whose insert failed is never left behind answering.
import Busboy from "busboy";
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createError } from "../errors";
import { documentId } from "../corpus/build";
import { sniffFormat } from "../corpus/formats/sniff";
import { UPLOAD_LIMITS, UploadFieldsSchema, type UploadFields } from "../schemas";
import type { SourceFormat } from "../types";

/** The folder under CORPUS_DIR that uploads go to, and the only one DELETE removes files from. */
export const UPLOADS_FOLDER = "uploads";
export const EXTENSIONS: Record<SourceFormat, string> = { text: "txt", pdf: "pdf", docx: "docx", html: "html" };
/** The only names a saved upload's files have in the uploads folder: its document and its sidecar. */
export const UPLOAD_NAME = /^([0-9a-f]{16})\.(txt|pdf|docx|html|meta\.json)$/;
/** How much of each file is kept in memory to decide its type (a PDF header may stand anywhere in the first 1024 bytes). */
const HEAD_BYTES = 64 * 1024;

export interface SavedUpload {
  id: string;
  /** Relative to the corpus folder, as the loader names it. */
  file: string;
  status: "accepted" | "duplicate";
}

export interface UploadOptions {
  corpusDir: string;
  maxFileBytes: number;
  maxFiles?: number;
  /** The id of a document the corpus already serves with these bytes (sha256, hex), if any. */
  existingDocument?: (sha256: string) => string | undefined;
  /** VECTOR_STORE=pgvector: where uploads are recorded before they are renamed into the folder. */
  store?: UploadStore;
}

/** The store that holds the uploads (pgvector); the folder is then its cache. */
export interface UploadStore {
  /** The id of a document (active generation) or an upload the store holds with these bytes. */
  existing(sha256: string): Promise<string | undefined>;
  /** Records the bytes and the sidecar in one transaction; "exists" when these bytes are an upload already. */
  add(upload: { name: string; sha256: string; format: SourceFormat; path: string; sidecar: object }): Promise<"added" | "exists">;
  /** Removes the upload's record; the names removed (empty when the store had none). */
  remove(hex: string): Promise<string[]>;
}

interface ReceivedFile {
  temp: string;
  clientName: string;
  sha256: string;
  bytes: number;
  head: Buffer;
  sawNul: boolean;
}

/** The id a saved upload's document gets: what the loader derives from its name. */
export const uploadDocumentId = (hex: string) => documentId(`${UPLOADS_FOLDER}/${hex}.txt`);

export function createUploadSaver(options: UploadOptions) {
  const { corpusDir, maxFileBytes, maxFiles, existingDocument, store } = { maxFiles: UPLOAD_LIMITS.files, existingDocument: () => undefined, ...options };
  const dir = join(corpusDir, UPLOADS_FOLDER);

  return async function save(c: Context): Promise<SavedUpload[]> {
    const type = c.req.header("content-type") ?? "";
    if (!/^multipart\/form-data\s*;/i.test(type)) throw createError("NOT_MULTIPART", printable(type || "(none)"));
    await mkdir(dir, { recursive: true });
    const { files, fields } = await receive(c, type, dir, maxFileBytes, maxFiles);
    try {
      if (files.length === 0) throw createError("NO_FILES");
      const meta = parseFields(fields);
      const formats = await Promise.all(files.map(decideFormat));
      // All or nothing: one unreadable file refuses the request before any file is kept.
      const unreadable = formats.findIndex((format) => format === undefined);
      if (unreadable >= 0) throw createError("UNSUPPORTED_FILE_TYPE", printable(files[unreadable].clientName || `file ${unreadable + 1}`));
      const saved: SavedUpload[] = [];
      for (const [i, file] of files.entries()) {
        const format = formats[i]!;
        const hex = file.sha256.slice(0, 16);
        const name = `${hex}.${EXTENSIONS[format]}`;
        const id = uploadDocumentId(hex);
        // With a store, it alone says what is uploaded: a file left in the folder may be one deleted elsewhere.
        const existing = existingDocument(file.sha256) ?? (store ? await store.existing(file.sha256) : (await uploadedFileNames(dir, hex)).some((n) => !n.endsWith(".meta.json")) ? id : undefined);
        if (existing) {
          saved.push({ id: existing, file: `${UPLOADS_FOLDER}/${name}`, status: "duplicate" });
          continue;
        }
        // The client's file name is only a fallback title: a page's <title>, a PDF's or DOCX's own title come before it.
        const sidecar = meta.title ? meta : { fallbackTitle: defaultTitle(file.clientName) ?? `upload ${hex}`, ...meta };
        if (store && (await store.add({ name: `${UPLOADS_FOLDER}/${name}`, sha256: file.sha256, format, path: file.temp, sidecar })) === "exists") {
          saved.push({ id, file: `${UPLOADS_FOLDER}/${name}`, status: "duplicate" }); // another server took the same bytes meanwhile
          continue;
        }
        // The sidecar first: once the document's file is in place, its title is too.
        await writeDurably(join(dir, `.tmp-${randomUUID()}`), join(dir, `${hex}.meta.json`), sidecarText(sidecar));
        await syncFile(file.temp);
        await rename(file.temp, join(dir, name));
        saved.push({ id, file: `${UPLOADS_FOLDER}/${name}`, status: "accepted" });
      }
      await syncFile(dir); // the renames themselves survive a crash only once the folder is synced
      return saved;
    } finally {
      await Promise.all(files.map((file) => rm(file.temp, { force: true })));
    }
  };
}

/** The 16 hex digits of an upload's document id; undefined for any other id. */
export const uploadHex = (id: string): string | undefined => /^uploads-([0-9a-f]{16})$/.exec(id)?.[1];

/** A sidecar's bytes: keys sorted, so every server writes the same bytes for the same fields (the store keeps them as jsonb, which reorders keys). */
export function sidecarText(sidecar: object): string {
  const entries = Object.entries(sidecar).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries), null, 2);
}

/** Removes an upload's file and sidecar; false when `id` names no upload. Only names built from the id's hex digits are touched. */
export async function removeUpload(corpusDir: string, id: string): Promise<{ removed: string[] }> {
  const hex = uploadHex(id);
  if (!hex) return { removed: [] };
  const dir = join(corpusDir, UPLOADS_FOLDER);
  const names = await uploadedFileNames(dir, hex);
  for (const name of names) await rm(join(dir, name), { force: true });
  if (names.length) await syncFile(dir);
  return { removed: names.filter((n) => !n.endsWith(".meta.json")).map((n) => `${UPLOADS_FOLDER}/${n}`) };
}

/** Temporary files left by a process that died mid-upload; removed at start. */
export async function removeStaleTemporaryFiles(corpusDir: string): Promise<void> {
  const dir = join(corpusDir, UPLOADS_FOLDER);
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(".tmp-")).map((n) => rm(join(dir, n), { force: true })));
}

async function uploadedFileNames(dir: string, hex: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => UPLOAD_NAME.exec(name)?.[1] === hex);
}

/** Streams the parts to temporary files; rejects (after deleting them) at the first limit crossed. */
function receive(c: Context, type: string, dir: string, maxFileBytes: number, maxFiles: number): Promise<{ files: ReceivedFile[]; fields: Record<string, string> }> {
  const source = nodeSource(c);
  return new Promise((resolve, reject) => {
    const files: ReceivedFile[] = [];
    const outputs: WriteStream[] = [];
    const written: Promise<void>[] = [];
    const fields: Record<string, string> = {};
    let failed = false;
    let parser: Busboy.Busboy;
    try {
      parser = Busboy({
        headers: { "content-type": type },
        // Browsers send a file name as raw UTF-8 (an Arabic title would otherwise arrive as Latin-1 mojibake).
        defParamCharset: "utf8",
        limits: { files: maxFiles, fileSize: maxFileBytes, fields: 10, fieldSize: 4 * UPLOAD_LIMITS.fieldChars, parts: maxFiles + 10 },
      });
    } catch (error) {
      reject(createError("INVALID_UPLOAD", describe(error)));
      return;
    }

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      source.unpipe(parser);
      source.pause(); // the 413/400 goes out; refused-body-node closes the connection after it
      for (const output of outputs) output.destroy();
      void Promise.allSettled(written)
        .then(() => Promise.all(files.map((file) => rm(file.temp, { force: true }))))
        .finally(() => reject(error));
    };

    parser.on("file", (field, stream, info) => {
      if (failed) return void stream.resume();
      if (field !== "file") return fail(createError("INVALID_UPLOAD", `a file in the field "${printable(field)}"; name every file part "file"`));
      const file: ReceivedFile = { temp: join(dir, `.tmp-${randomUUID()}`), clientName: info.filename ?? "", sha256: "", bytes: 0, head: Buffer.alloc(0), sawNul: false };
      files.push(file);
      const hash = createHash("sha256");
      const headChunks: Buffer[] = [];
      let headBytes = 0;
      const output = createWriteStream(file.temp, { flags: "wx" });
      outputs.push(output);
      written.push(
        new Promise((done) => {
          output.once("close", done);
          output.once("error", (error) => fail(error));
        }),
      );
      stream.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        file.bytes += chunk.length;
        if (!file.sawNul && chunk.includes(0)) file.sawNul = true;
        if (headBytes < HEAD_BYTES) {
          headChunks.push(chunk);
          headBytes += chunk.length;
        }
      });
      stream.once("limit", () => fail(createError("UPLOAD_TOO_LARGE", printable(file.clientName || `file ${files.length}`), maxFileBytes)));
      stream.once("end", () => {
        file.sha256 = hash.digest("hex");
        file.head = Buffer.concat(headChunks).subarray(0, HEAD_BYTES);
      });
      stream.pipe(output);
    });
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) return fail(createError("INVALID_REQUEST", printable(name), `must be at most ${UPLOAD_LIMITS.fieldChars} characters`));
      fields[name] = value;
    });
    parser.on("filesLimit", () => fail(createError("TOO_MANY_FILES", maxFiles)));
    parser.on("partsLimit", () => fail(createError("INVALID_UPLOAD", "too many parts")));
    parser.on("fieldsLimit", () => fail(createError("INVALID_UPLOAD", "too many fields")));
    parser.on("error", (error) => fail(createError("INVALID_UPLOAD", describe(error))));
    parser.on("close", () => {
      if (failed) return;
      void Promise.all(written).then(() => (failed ? undefined : resolve({ files, fields })));
    });
    source.on("error", () => fail(createError("INVALID_REQUEST", "body", "the connection closed before the upload was complete")));
    source.on("close", () => {
      if ("complete" in source && !(source as { complete: boolean }).complete) fail(createError("INVALID_REQUEST", "body", "the connection closed before the upload was complete"));
    });
    source.pipe(parser);
  });
}

/** Node's request when the server is Node's; the Web body otherwise (app.request() in tests). */
function nodeSource(c: Context): Readable {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && incoming.readableFlowing === null) return incoming;
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body as import("node:stream/web").ReadableStream) : Readable.from([]);
}

function parseFields(fields: Record<string, string>): UploadFields {
  const parsed = UploadFieldsSchema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === "unrecognized_keys") throw createError("INVALID_REQUEST", printable(issue.keys.join(", ")), "unknown field; the accepted ones are file, title, source, url, published, language");
  throw createError("INVALID_REQUEST", issue.path.join(".") || "fields", issue.message);
}

/** By content: the first 64 KB decide, except that a NUL anywhere means binary and a zip is read whole for its part names. */
async function decideFormat(file: ReceivedFile): Promise<SourceFormat | undefined> {
  const format = sniffFormat(file.head);
  if (format === "text" || format === "html") return file.sawNul ? undefined : format;
  if (format === undefined && file.head.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1")) && file.bytes > file.head.length) {
    return sniffFormat(await readFile(file.temp));
  }
  return format;
}

/** The client's file name as a title: its last segment, extension dropped; it is never used as a path. */
function defaultTitle(clientName: string): string | undefined {
  const base = clientName.split(/[\\/]/).pop()!.replace(/\.[A-Za-z0-9]{1,5}$/, "");
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, UPLOAD_LIMITS.fieldChars);
  return /[\p{L}\p{N}]/u.test(clean) ? clean : undefined;
}

export async function writeDurably(temp: string, target: string, text: string | Uint8Array): Promise<void> {
  await writeFile(temp, text, { flag: "wx" });
  await syncFile(temp);
  await rename(temp, target);
}

export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function printable(text: string): string {
  const clean = text.toWellFormed().replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
