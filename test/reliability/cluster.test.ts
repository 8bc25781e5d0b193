// WORKERS: the real server as a cluster of two and as a single process. The lifecycle tests run
// with the default (a single process); these pin both modes so a machine of either size covers them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HealthSchema } from "../../src/schemas";
import { killAll, startServer } from "./helpers";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "cluster-"));
});
afterEach(killAll);
afterAll(async () => {
  await killAll();
  await rm(root, { recursive: true, force: true });
});

const ask = (url: string) =>
  fetch(`${url}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "من هو أمين مجلس الأمن؟" }) });

describe("WORKERS", { timeout: 60_000 }, () => {
  it("2: both workers answer on one port, reload together on SIGHUP, and drain on SIGTERM", async () => {
    const server = await startServer({ CORPUS_DIR: "corpus", EMBEDDINGS_DIR: join(root, "e2"), EMBEDDER: "hashing", WORKERS: "2" });
    await server.waitForLog(/cluster: 2 workers ready/, 45_000);
    // Each request on a new connection: round-robin spreads them over both workers.
    const statuses = await Promise.all(Array.from({ length: 8 }, () => ask(server.url).then((r) => r.status)));
    expect(statuses).toEqual(Array(8).fill(200));
    // One index build for the whole cluster: the second worker loaded what the first built.
    expect(server.log().match(/built \d+ vectors/g)).toHaveLength(1);
    expect(server.log()).toMatch(/loaded index built/);

    server.signal("SIGHUP");
    await expect.poll(() => server.log().match(/swapped in the new index/g)?.length ?? 0, { timeout: 30_000 }).toBe(2);
    expect(HealthSchema.parse(await (await fetch(`${server.url}/api/health`)).json()).ready).toBe(true);

    server.signal("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log()).toContain("all connections closed; exiting");
  });

  it("1: a single process, no cluster", async () => {
    const server = await startServer({ CORPUS_DIR: "corpus", EMBEDDINGS_DIR: join(root, "e1"), EMBEDDER: "hashing", WORKERS: "1" });
    await server.waitForLog(/\] ready: /, 45_000);
    expect((await ask(server.url)).status).toBe(200);
    expect(server.log()).not.toMatch(/cluster:/);
    server.signal("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
