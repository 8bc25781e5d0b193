// A Postgres-compatible server with pgvector for development, tests and benches: PGlite (Postgres
// compiled to WebAssembly, in this process) served over the wire protocol on 127.0.0.1 by
// pglite-socket, so `pg` and psql talk to it as to any Postgres. Not for production: PGlite runs
// one query at a time, in one thread (docs/postgres.md).
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface DevDatabaseOptions {
  /** A folder to keep the data in, or undefined / "memory://" for an in-memory database. */
  dir?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Load pgvector (default true; false is how tests see a database without the extension). */
  withVector?: boolean;
  maxConnections?: number;
}

export interface DevDatabase {
  url: string;
  port: number;
  db: PGlite;
  /** Stops listening (connected clients are cut off); the data stay in `dir`. */
  stop(): Promise<void>;
}

export async function startDevDatabase(options: DevDatabaseOptions = {}): Promise<DevDatabase> {
  const dataDir = options.dir && options.dir !== "memory://" ? options.dir : undefined;
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: options.withVector === false ? {} : { vector } });
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({ db, port: options.port ?? 0, host, maxConnections: options.maxConnections ?? 64 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    port,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
