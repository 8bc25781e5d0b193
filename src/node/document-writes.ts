// Node adapter: the write routes' host side (DocumentWrites in server/app.ts). Uploads are saved
// into CORPUS_DIR/uploads/ (server/upload-node.ts) and deletions remove files only from there;
// either way a job (./jobs.ts) then runs the server's own rebuild, so the running engine keeps
// answering until the new one is swapped in. With VECTOR_STORE=pgvector (`uploadStore`) the store
// is the truth for uploads (./pg-uploads.ts): saved there before the folder, deleted there first,
// so any server can delete any server's upload.
import type { Context } from "hono";
import type { Logger } from "../log";
import { createError } from "../errors";
import type { DocumentWrites } from "../server/app";
import { requireAdminToken, type AdminTokenSetting } from "../server/middleware/admin-token";
import { createUploadSaver, removeUpload, uploadHex, type UploadStore } from "../server/upload-node";
import { createJobQueue, type RebuildListener } from "./jobs";
import type { NodeEngine } from "./engine";

export interface DocumentWritesOptions {
  corpusDir: string;
  maxFileBytes: number;
  token: AdminTokenSetting;
  log: Logger;
  /** The engine answering now. */
  engine: () => NodeEngine | undefined;
  /** The server's rebuild (as on SIGHUP); resolves with the engine it swapped in. */
  rebuild: (listener: RebuildListener) => Promise<NodeEngine>;
  /** VECTOR_STORE=pgvector: the store's uploads (./pg-uploads.ts). */
  uploadStore?: UploadStore;
}

export function createDocumentWrites(options: DocumentWritesOptions): DocumentWrites {
  const { corpusDir, maxFileBytes, token, log, engine, rebuild, uploadStore } = options;
  const jobs = createJobQueue({
    rebuild: async (listener) => {
      const next = await rebuild(listener);
      return { warnings: next.warnings, hasDocument: (id) => next.engine.getDocument(id) !== undefined };
    },
  });
  const save = createUploadSaver({ corpusDir, maxFileBytes, existingDocument: (sha256) => documentWithBytes(engine(), sha256), store: uploadStore });

  return {
    authorize: requireAdminToken(token),
    async add(c: Context) {
      const saved = await save(c);
      const accepted = saved.filter((file) => file.status === "accepted");
      const job = accepted.length > 0 ? jobs.enqueue("upload", accepted.map(({ id, file }) => ({ document: id, file }))) : undefined;
      log.info(`upload: ${accepted.length} file(s) saved, ${saved.length - accepted.length} already in the corpus${job ? `; job ${job.id} indexes them` : ""}`);
      return { documents: saved.map(({ id, status }) => ({ id, status })), job: job?.id ?? null };
    },
    async remove(id: string) {
      // The store's record first: once it is gone, no server's next run brings the file back.
      const hex = uploadHex(id);
      const fromStore = hex && uploadStore ? await uploadStore.remove(hex) : [];
      const removed = [...new Set([...fromStore, ...(await removeUpload(corpusDir, id)).removed])];
      if (removed.length === 0) {
        if (engine()?.engine.getDocument(id)) throw createError("DOCUMENT_NOT_UPLOADED", id);
        throw createError("DOCUMENT_NOT_FOUND", id.length > 120 ? `${id.slice(0, 117)}...` : id);
      }
      const job = jobs.enqueue("delete", removed.map((file) => ({ document: id, file })));
      log.info(`delete: ${removed.join(", ")} removed; job ${job.id} rebuilds without it`);
      return job.id;
    },
    job: (id) => jobs.get(id),
    subscribe: (id, listener) => jobs.subscribe(id, listener),
  };
}

/** The id of a document the engine serves that was read from exactly these bytes (the loader keys each parse by sha256). */
function documentWithBytes(current: NodeEngine | undefined, sha256: string): string | undefined {
  for (const parsed of current?.parsedFiles?.values() ?? []) {
    if (parsed.contentKey === sha256 && current!.engine.getDocument(parsed.id)) return parsed.id;
  }
  return undefined;
}
