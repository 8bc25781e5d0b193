// The Postgres store the pgvector tests share: PGlite with pgvector served over the wire in this
// process, and a scratch folder whose corpus/ holds the seed article.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPgStore, type PgStore } from "../../src/index/pgvector/schema";
import { startDevDatabase, type DevDatabase } from "../../scripts/lib/pglite-server";
import { REAL_ARTICLE } from "../reliability/helpers";

export interface PgFixture {
  database: DevDatabase;
  /** The store stop() closes; a test that reopens the store puts the new one here. */
  store: PgStore;
  /** Closes the store, stops the database and removes the scratch folder. */
  stop(): Promise<void>;
}

/** A scratch folder (made at once, so paths into it can be module constants) with corpus/ inside. */
export function scratchFolder(prefix: string): { root: string; corpusDir: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { root, corpusDir: join(root, "corpus") };
}

/** Puts the seed article into corpusDir and opens a fresh store; for beforeAll. */
export async function startPgFixture(root: string, corpusDir: string): Promise<PgFixture> {
  mkdirSync(corpusDir);
  copyFileSync(REAL_ARTICLE, join(corpusDir, "article.txt"));
  const database = await startDevDatabase();
  const fixture: PgFixture = {
    database,
    store: await openPgStore({ url: database.url }),
    async stop() {
      await fixture.store.close();
      await database.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return fixture;
}
