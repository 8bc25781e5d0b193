// Crashes and damage around the stored index, with the real server process: SIGKILL in the
// middle of a build, a build torn between its file writes, and a flipped byte. Each time the
// next start notices, rebuilds, and answers; a start after that reuses the rebuilt index.
//
// RELIABILITY_PASSAGES sets the generated corpus size (default 1,000 so CI stays fast; the
// issue's full run used 20,000), and RELIABILITY_KILL_AT the log line at which the first build is
// killed (default: as it starts embedding; "indexed" kills it while it inserts into the graph). Truncated and otherwise damaged files are covered, in process,
// by test/index/store.test.ts.
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AnswerResponseSchema, HealthSchema, type Health } from "../../src/schemas";
import { generateCorpus, killAll, REAL_ARTICLE, startServer, type ServerProcess } from "./helpers";

const PASSAGES = Number(process.env.RELIABILITY_PASSAGES ?? 1000);
const KILL_AT = new RegExp(process.env.RELIABILITY_KILL_AT ?? "building: no index");
let root: string;
let env: Record<string, string>;
const embeddings = () => env.EMBEDDINGS_DIR;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "faults-"));
  const corpusDir = join(root, "corpus");
  await generateCorpus(corpusDir, { documents: Math.ceil(PASSAGES / 100), passagesPerDocument: 100 });
  await copyFile(REAL_ARTICLE, join(corpusDir, "article.txt"));
  // Small HNSW settings keep a build short; what is tested is what happens around it.
  env = { CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: join(root, "embeddings"), HNSW_M: "8", HNSW_EF_CONSTRUCTION: "20", EMBEDDER: "hashing" };
});
afterEach(killAll);
afterAll(async () => {
  await killAll();
  await rm(root, { recursive: true, force: true });
});

/** Starts the server, waits until it serves, and returns its health and an answer. */
async function startAndAsk(): Promise<{ server: ServerProcess & { url: string }; health: Health }> {
  const server = await startServer(env);
  await server.waitForLog(/\] ready: /, 120_000);
  const health = HealthSchema.parse(await (await fetch(`${server.url}/api/health`)).json());
  const res = await fetch(`${server.url}/api/answer`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ question: "متى سيحتفلون بالذكرى الخامسة والعشرين لتأسيس دولة الاتحاد؟" }),
  });
  expect(res.status).toBe(200);
  AnswerResponseSchema.parse(await res.json());
  server.signal("SIGKILL");
  await server.exited;
  return { server, health };
}

async function flipByte(file: string) {
  const bytes = await readFile(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  await writeFile(file, bytes);
}

describe(`the stored index survives crashes (${PASSAGES} passages)`, { timeout: 240_000 }, () => {
  it("SIGKILL in the middle of the first build: the next start builds it again", async () => {
    const server = await startServer(env);
    await server.waitForLog(KILL_AT, 120_000);
    // No delay: the build has just started (embedding comes first, then the graph, then the writes).
    server.signal("SIGKILL");
    expect((await server.exited).signal).toBe("SIGKILL");
    expect(server.log()).not.toMatch(/built \d+ vectors/);
    expect(await readdir(embeddings())).not.toContain("manifest.json");

    const { health } = await startAndAsk();
    expect(health.index.loaded).toBe(false);
    expect(health.index.reason).toMatch(/^(building|rebuilding): /);
    expect(health.counts.passages).toBeGreaterThanOrEqual(PASSAGES);
  });

  it("one flipped byte in the index file is caught by the checksum and rebuilt", async () => {
    const file = join(embeddings(), "index.hnsw");
    const size = (await stat(file)).size;
    await flipByte(file);
    const { health } = await startAndAsk();
    // The manifest and vectors.f32 are checked first: the build after the kill left them complete.
    expect(health.index.loaded).toBe(false);
    expect(health.index.reason).toBe("rebuilding: index.hnsw checksum mismatch");
    expect((await stat(file)).size).toBe(size);
  });

  it("a build torn between its writes (no manifest, half-written temp file) is rebuilt", async () => {
    // What a kill between the store's renames leaves: the manifest already removed, a new file
    // renamed into place next to an old one, and a temp file cut short.
    await rm(join(embeddings(), "manifest.json"));
    await flipByte(join(embeddings(), "vectors.f32"));
    const index = await readFile(join(embeddings(), "index.hnsw"));
    await writeFile(join(embeddings(), "index.hnsw.4242-deadbeef.tmp"), index.subarray(0, index.length / 3));

    const { health } = await startAndAsk();
    expect(health.index.loaded).toBe(false);
    expect(health.index.reason).toContain("an earlier build did not finish");
    expect(await readdir(embeddings())).toEqual(["index.hnsw", "manifest.json", "vectors.f32"]);
  });
});
