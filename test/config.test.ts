import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";

describe("loadConfig", () => {
  it("lets efSearch follow the corpus, and the worker count the machine when asked", () => {
    const defaults = loadConfig({});
    expect(defaults.HNSW_EF_SEARCH).toBe("auto");
    expect(defaults.WORKERS).toBe(1); // the lowest latency for one user; "auto" for throughput
    expect(loadConfig({ HNSW_EF_SEARCH: "300", WORKERS: "auto" })).toMatchObject({ HNSW_EF_SEARCH: 300, WORKERS: "auto" });
  });
  it("names the variable, the value and what it accepts", () => {
    expect(() => loadConfig({ HNSW_EF_SEARCH: "fast" })).toThrow(/HNSW_EF_SEARCH.*fast.*auto, or a number from 10 to 2000/s);
    expect(() => loadConfig({ HNSW_EF_SEARCH: "5" })).toThrow(/HNSW_EF_SEARCH/);
  });
  it("keeps hnswlib in process by default, and asks for a database URL only with pgvector", () => {
    expect(loadConfig({})).toMatchObject({ VECTOR_STORE: "hnswlib", DATABASE_URL: undefined, PG_POLL_MS: 2000 });
    expect(() => loadConfig({ VECTOR_STORE: "pgvector" })).toThrow(/DATABASE_URL.*postgres:\/\/ URL when VECTOR_STORE=pgvector.*npm run db:dev/s);
    expect(loadConfig({ VECTOR_STORE: "pgvector", DATABASE_URL: "postgres://postgres@127.0.0.1:5433/postgres" }).VECTOR_STORE).toBe("pgvector");
    expect(() => loadConfig({ VECTOR_STORE: "sqlite" })).toThrow(/VECTOR_STORE/);
  });
  it("never repeats a database password in its messages", () => {
    let message = "";
    try {
      loadConfig({ DATABASE_URL: "mysql://app:hunter2@db/x" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DATABASE_URL="mysql:\/\/app:\*\*\*@db\/x"/);
    expect(loadConfig({ DATABASE_URL: "postgres://app:hunter2@db/x" }).DATABASE_URL).toBe("postgres://app:hunter2@db/x");
    expect(() => loadConfig({ DATABASE_URL: "postgresql://app:hunter2@db:5432/x with space" })).toThrow(/postgresql:\/\/app:\*\*\*@db:5432/);
    expect(() => loadConfig({ DATABASE_URL: "postgresql://app:hunter2@db:5432/x with space" })).not.toThrow(/hunter2/);
  });
});

describe("loadConfig: adding documents", () => {
  it("ADMIN_TOKEN is off or a secret of 16+ characters, never echoed when wrong; MAX_UPLOAD_BYTES defaults to 50 MB", () => {
    expect(loadConfig({}).ADMIN_TOKEN).toBeUndefined();
    expect(loadConfig({}).MAX_UPLOAD_BYTES).toBe(50 * 1024 * 1024);
    expect(loadConfig({ ADMIN_TOKEN: "off" }).ADMIN_TOKEN).toBe("off");
    expect(() => loadConfig({ ADMIN_TOKEN: "short-secret" })).toThrow(/ADMIN_TOKEN="\(hidden\)".*16 characters/);
    expect(() => loadConfig({ ADMIN_TOKEN: "short-secret" })).not.toThrow(/short-secret/);
  });
});
