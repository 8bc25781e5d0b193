// A server's write side without a process: the real app, upload saver, job queue and engine
// (hashing embedder, a temporary corpus), with the rebuild the Node server runs on SIGHUP reduced
// to "build a new engine, then swap it in".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config";
import type { Logger } from "../../src/log";
import { createNodeEngine, type NodeEngine } from "../../src/node/engine";
import { createDocumentWrites } from "../../src/node/document-writes";
import { createApp } from "../../src/server/app";
import type { AdminTokenSetting } from "../../src/server/middleware/admin-token";
import { READY_HEALTH } from "./health";

export const TOKEN = "test-admin-token-0123456789";
export const SEED = "افتتحت شركة زيتونة للطاقة الشمسية مصنعها الجديد في مدينة صحار العمانية في شهر مارس.\n";
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface WriteHarness {
  app: ReturnType<typeof createApp>;
  corpusDir: string;
  engine: () => NodeEngine;
  close(): void;
}

export async function startWriteHarness(options: { token?: AdminTokenSetting; maxFileBytes?: number; failRebuild?: () => boolean } = {}): Promise<WriteHarness> {
  const root = mkdtempSync(join(tmpdir(), "writes-"));
  const corpusDir = join(root, "corpus");
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, "seed.txt"), SEED);
  const config = loadConfig({ CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: join(root, "embeddings"), EMBEDDER: "hashing", HNSW_M: "8", HNSW_EF_CONSTRUCTION: "40" });
  let engine = await createNodeEngine(config, quiet);
  const writes = createDocumentWrites({
    corpusDir,
    maxFileBytes: options.maxFileBytes ?? 1024 * 1024,
    token: options.token ?? { token: TOKEN },
    log: quiet,
    engine: () => engine,
    rebuild: async (listener) => {
      if (options.failRebuild?.()) throw new Error("the disk is full");
      engine = await createNodeEngine(config, quiet, { onStage: listener.stage, onProgress: listener.progress });
      return engine;
    },
  });
  const app = createApp({ engine: () => engine.engine, health: () => READY_HEALTH, writes, logError: (error) => console.error(error) });
  return { app, corpusDir, engine: () => engine, close: () => rmSync(root, { recursive: true, force: true }) };
}

/** A multipart body with the given files (name, bytes) and fields. */
export function form(files: [string, string | Uint8Array<ArrayBuffer>][], fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  for (const [name, bytes] of files) data.append("file", new Blob([bytes]), name);
  return data;
}

export const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });
