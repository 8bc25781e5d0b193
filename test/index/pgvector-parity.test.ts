// The two stores give the same answers: every question of the shared dev set (and the generated
// follow-ups and off-topic questions below) answered by an engine on hnswlib and by one on pgvector,
// same corpus, same embedder (the multilingual model when it is in models/, as in CI; the built-in
// one otherwise), must cite the same sentences with the same scores and list the same passages.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/log";
import { createNodeEngine, type NodeEngine } from "../../src/node/engine";
import { startDevDatabase, type DevDatabase } from "../../scripts/lib/pglite-server";

const DEV_SET = join(process.cwd(), "../shared/eval/dev.jsonl");
const root = mkdtempSync(join(tmpdir(), "pgvector-parity-"));
let database: DevDatabase;
let hnsw: NodeEngine;
let pgvector: NodeEngine;

const questions: string[] = [
  ...(existsSync(DEV_SET) ? readFileSync(DEV_SET, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line).question as string) : []),
  "من هو أمين مجلس الأمن في بيلاروسيا؟",
  "Who is the secretary of the Security Council of Belarus?",
  "ما هي عاصمة أستراليا؟",
  "When will the concept be approved?",
];

beforeAll(async () => {
  database = await startDevDatabase();
  const common = { CORPUS_DIR: "corpus", EMBEDDINGS_DIR: join(root, "embeddings"), LOG_LEVEL: "silent" };
  const log = createLogger("silent");
  hnsw = await createNodeEngine(loadConfig(common), log);
  pgvector = await createNodeEngine(loadConfig({ ...common, VECTOR_STORE: "pgvector", DATABASE_URL: database.url, PG_POLL_MS: "0" }), log);
}, 300_000);
afterAll(async () => {
  await pgvector?.close?.();
  await database?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe("hnswlib and pgvector stores", () => {
  it("serve the same corpus with the same embedder", () => {
    expect(pgvector.health().index.kind).toBe("pgvector");
    expect(pgvector.health().counts).toEqual(hnsw.health().counts);
    expect(pgvector.health().embedder.id).toBe(hnsw.health().embedder.id);
  });

  it("cite the same sentences in the same order and list the same passages for every question", async () => {
    expect(questions.length).toBeGreaterThan(4);
    // Scores are compared to 1e-3: the two compute the same inner products in another float
    // summation order (hnswlib's SIMD lanes, pgvector's loop), which moves a score rounded to four
    // digits by one unit now and then; which sentences are cited, and in what order, must not move.
    const shape = (answer: Awaited<ReturnType<NodeEngine["engine"]["answer"]>>) => ({
      abstained: answer.abstained,
      citations: answer.citations.map(({ score: _, ...citation }) => citation),
      passages: answer.passages.map(({ score: _, ...passage }) => passage),
      answer: answer.answer,
    });
    let maxScoreDifference = 0;
    for (const question of questions) {
      const request = { question, topK: 5, history: [] };
      const a = await hnsw.engine.answer(request);
      const b = await pgvector.engine.answer(request);
      expect({ question, ...shape(b) }).toEqual({ question, ...shape(a) });
      a.citations.forEach((c, i) => (maxScoreDifference = Math.max(maxScoreDifference, Math.abs(c.score - b.citations[i].score))));
      a.passages.forEach((p, i) => (maxScoreDifference = Math.max(maxScoreDifference, Math.abs(p.score - b.passages[i].score))));
    }
    expect(maxScoreDifference).toBeLessThanOrEqual(1e-3);
  });
});
