// The summary reporter is what CI reads, so it is checked on real vitest runs: small test files
// written to a temp folder, run by this repo's vitest with the default reporter and this one, as
// `npm test` runs them. The closing line must be the summary, and a red run must never say 0 failed.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const VITEST = resolve("node_modules/vitest/vitest.mjs");
const REPORTER = resolve("test/summary-reporter.ts");
const folders: string[] = [];

/**
 * Runs vitest on the given files (globals on, so they import nothing); returns its output's lines,
 * stdout and stderr in the order written, as a terminal or CI log shows them.
 */
function runVitest(files: Record<string, string>): { lines: string[]; status: number | null } {
  const root = mkdtempSync(join(tmpdir(), "summary-reporter-"));
  folders.push(root);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(root, name), body);
  const logPath = join(root, "output.log");
  const log = openSync(logPath, "w");
  const run = spawnSync(
    process.execPath,
    [VITEST, "run", "--root", root, "--globals", "--reporter=default", `--reporter=${REPORTER}`],
    { stdio: ["ignore", log, log], env: { ...process.env, NO_COLOR: "1", CI: "1" }, timeout: 60_000 },
  );
  closeSync(log);
  const lines = readFileSync(logPath, "utf8").split("\n").filter((line) => line.trim() !== "");
  return { lines, status: run.status };
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("test/summary-reporter.ts on real vitest runs", () => {
  it("closes a mixed run with the passed, failed and skipped counts", () => {
    const { lines, status } = runVitest({
      "mixed.test.js": `
        it("one", () => expect(1).toBe(1));
        it("two", () => expect(2).toBe(2));
        it("three", () => expect(3).toBe(4));
        it.skip("four", () => {});
      `,
    });
    expect(status).toBe(1);
    expect(lines.at(-1)).toBe("2 passed, 1 failed, 1 skipped");
  });

  it("leaves out skipped when nothing was skipped, and counts a file that cannot load as a failure", () => {
    const { lines, status } = runVitest({
      "fine.test.js": `it("passes", () => expect(true).toBe(true));`,
      "broken.test.js": `throw new Error("cannot load"); it("never runs", () => {});`,
    });
    expect(status).toBe(1);
    expect(lines.at(-1)).toBe("1 passed, 1 failed");
  });

  it("counts a beforeAll that throws as a failure, though no test body ran", () => {
    const { lines } = runVitest({
      "hook.test.js": `
        beforeAll(() => { throw new Error("no server"); });
        it("needs the server", () => {});
      `,
    });
    expect(lines.at(-1)).toMatch(/^0 passed, [1-9]\d* failed/);
  });
});
