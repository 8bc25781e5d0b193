// The shared eval runner against the real server (npm start's entry), on the dev set, with the
// bars of the answer-engine issue. Speed is reported, not asserted (timings are noisy here).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const RUNNER = "../shared/eval/run.mjs";
const haveRunner = existsSync(RUNNER);
if (!haveRunner) console.warn(`skipped: ${RUNNER} not found (the shared eval runner lives beside the repository)`);

interface Summary { n: number; hit1: number | null; hit3: number | null; abstainAccuracy: number | null; falseAbstain: number | null }
interface Report { overall: Summary & { fidelity: number; p50ms: number; p95ms: number }; byKind: Record<string, Summary> }

const embeddings = mkdtempSync(join(tmpdir(), "eval-embeddings-"));
afterAll(() => rmSync(embeddings, { recursive: true, force: true }));

describe.skipIf(!haveRunner)("eval runner on the dev set", () => {
  it("meets the answer-engine bars with the built-in embedder", async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [RUNNER, "--start", "npx tsx src/server/node.ts", "--port", port, "--json", "--min-fidelity", "1"],
      { env: { ...process.env, EMBEDDER: "hashing", EMBEDDINGS_DIR: embeddings, LOG_LEVEL: "warn" }, timeout: 180_000 },
    );
    const report = JSON.parse(stdout) as Report;
    console.log(`dev set through the server: ${JSON.stringify(report.overall)}`);
    expect(report.byKind.lexical.hit1).toBeGreaterThanOrEqual(0.95);
    expect(report.byKind.unanswerable.abstainAccuracy).toBe(1);
    expect(report.overall.fidelity).toBe(1);
    expect(report.overall.hit1).toBeGreaterThanOrEqual(0.9);
    expect(report.overall.hit3).toBeGreaterThanOrEqual(0.97);
  }, 200_000);
});
