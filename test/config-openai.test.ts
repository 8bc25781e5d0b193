// EMBEDDINGS_* settings (EMBEDDER=openai): required together, and never echoed with a secret in them.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected loadConfig to fail");
};

describe("EMBEDDER=openai settings", () => {
  it("needs the server's URL and the model's name", () => {
    expect(fails({ EMBEDDER: "openai", EMBEDDINGS_MODEL: "bge-m3" })).toContain("EMBEDDINGS_URL");
    expect(fails({ EMBEDDER: "openai", EMBEDDINGS_URL: "http://127.0.0.1:8000/v1" })).toContain("EMBEDDINGS_MODEL");
  });

  it("has defaults for batching, parallel requests and the timeout, and leaves the mark to the model's name", () => {
    const config = loadConfig({ EMBEDDER: "openai", EMBEDDINGS_URL: "http://127.0.0.1:8000/v1", EMBEDDINGS_MODEL: "bge-m3" });
    expect(config).toMatchObject({ EMBEDDINGS_BATCH: 32, EMBEDDINGS_PARALLEL: 2, EMBEDDINGS_TIMEOUT_MS: 30_000, EMBEDDINGS_MARK: undefined });
  });

  it("never shows a password or a query-string key from EMBEDDINGS_URL in its error", () => {
    const message = fails({ EMBEDDER: "openai", EMBEDDINGS_URL: "http://user:hunter2@host:8000/v1?key=abc123 x", EMBEDDINGS_MODEL: "m" });
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("abc123");
  });

  it("rejects an unknown mark, naming the three it takes", () => {
    expect(fails({ EMBEDDINGS_MARK: "suffix" })).toMatch(/EMBEDDINGS_MARK.*prefix.*input_type.*none/);
  });
});
