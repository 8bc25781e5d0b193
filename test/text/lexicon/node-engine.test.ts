// The Node engine loads the optional lexicons it finds and reports them in /api/health with
// their licences; without them it reports none and still answers Arabic questions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import { createLogger } from "../../../src/log";
import { createNodeEngine } from "../../../src/node/engine";
import { HealthSchema } from "../../../src/schemas";
import { createApp } from "../../../src/server/app";
import { FIXTURE_FILES } from "./fixtures";

const root = mkdtempSync(join(tmpdir(), "lexicon-engine-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function engineWith(lexiconsDir: string) {
  const config = loadConfig({ CORPUS_DIR: "corpus", EMBEDDINGS_DIR: join(root, `embeddings-${Math.random()}`), EMBEDDER: "hashing", LOG_LEVEL: "silent" });
  const engine = await createNodeEngine(config, createLogger("silent"), { lexiconsDir });
  const app = createApp({ engine: () => engine.engine, health: engine.health });
  return { engine, health: HealthSchema.parse(await (await app.request("/api/health")).json()) };
}

describe("the Node engine and the optional lexicons", () => {
  it("reports none when the folder is absent, and answers Arabic questions", async () => {
    const { engine, health } = await engineWith(join(root, "absent"));
    expect(health.lexicons).toEqual([]);
    const answer = await engine.engine.answer({ question: "من هو أمين مجلس الأمن في بيلاروسيا؟", topK: 1, history: [] });
    expect(answer.abstained).toBe(false);
  });

  it("loads the lexicons it finds and lists them, with their licences, in /api/health", async () => {
    const dir = join(root, "lexicons");
    mkdirSync(dir);
    // A fixture, not the GPL data: only the licence string is the real one's.
    writeFileSync(join(dir, "en-ar.json"), JSON.stringify({ ...FIXTURE_FILES["en-ar"], licence: "GPL-2+" }));
    const { engine, health } = await engineWith(dir);
    expect(health.lexicons).toEqual([
      { name: "en-ar", purpose: "English → Arabic", entries: 6, licence: "GPL-2+", sources: ["written for the tests"] },
    ]);
    const { query } = await engine.retriever.retrieve("Where is the border?");
    expect(query.groups.find((g) => g.word === "border")?.variants.map((v) => v.term)).toEqual(expect.arrayContaining(["حدود"]));
  });
});
