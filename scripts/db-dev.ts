// npm run db:dev: a local Postgres-compatible server with pgvector (PGlite over the wire) on
// 127.0.0.1:5433, for VECTOR_STORE=pgvector without installing Postgres. Prints its DATABASE_URL.
//
//   DB_PORT   port (default 5433; 0 picks a free one)
//   DB_DIR    where the data live (default .pgdata/, git-ignored); "memory://" keeps them in memory
//
// The default is a folder, not memory, so that the index outlives a restart of this command as it
// would with a real Postgres: servers following the store keep answering after it comes back, and
// nothing is re-embedded. CI passes a temp folder. Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
import { startDevDatabase } from "./lib/pglite-server";

const port = Number(process.env.DB_PORT ?? 5433);
const dir = process.env.DB_DIR || ".pgdata";
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`DB_PORT=${JSON.stringify(process.env.DB_PORT)} is invalid; expected a port number such as 5433.`);
  process.exit(1);
}
let database;
try {
  database = await startDevDatabase({ dir, port });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`npm run db:dev: cannot start on 127.0.0.1:${port} (${message})${/EADDRINUSE/.test(message) ? "; another server uses that port: stop it or set DB_PORT" : ""}.`);
  process.exit(1);
}
console.log(`PGlite with pgvector serving ${dir === "memory://" ? "an in-memory database" : `the data in ${dir}`} on 127.0.0.1:${database.port}`);
console.log(`DATABASE_URL=${database.url}`);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    database.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
