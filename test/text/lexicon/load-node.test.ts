import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeLexicons, loadLexicons } from "../../../src/text/lexicon/load-node";
import { noLexicons } from "../../../src/text/lexicon";
import { FIXTURE_FILES } from "./fixtures";

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "lexicons-test-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("loadLexicons (Node)", () => {
  it("is noLexicons, without a problem, when the folder does not exist (the default install)", () => {
    const { lexicons, problems } = loadLexicons({ dir: join(tmpdir(), "no-such-lexicons-folder") });
    expect(lexicons).toBe(noLexicons);
    expect(problems).toEqual([]);
    expect(describeLexicons(lexicons)).toMatch(/^none \(optional: npm run lexicons/);
  });

  it("loads the files present, reports them with their licences, and ignores other files", () => {
    const dir = folder({
      "en-ar.json": JSON.stringify({ ...FIXTURE_FILES["en-ar"], licence: "GPL-2+" }),
      "ru-ar.json": JSON.stringify(FIXTURE_FILES["ru-ar"]),
      "LICENSE.md": "# terms",
    });
    const { lexicons, problems } = loadLexicons({ dir });
    expect(problems).toEqual([]);
    expect(lexicons.loaded.map((l) => [l.name, l.licence])).toEqual([
      ["en-ar", "GPL-2+"],
      ["ru-ar", "test-fixture"],
    ]);
    expect(lexicons.translateToArabic("borders", "en")).toEqual(["الحدود", "الحد"]);
    expect(lexicons.translateToArabic("оружия", "ru")).toEqual(["السلاح"]);
    expect(lexicons.translateToArabic("frontière", "fr")).toEqual([]);
    expect(describeLexicons(lexicons, dir)).toBe(`en-ar (GPL-2+), ru-ar (test-fixture) from ${dir}/`);
  });

  it("skips a broken or foreign file with a problem naming it, and still loads the rest", () => {
    const dir = folder({
      "en-ar.json": "{ not json",
      "fr-ar.json": JSON.stringify({ entries: ["frontière\tالحدود"] }),
      "es-ar.json": JSON.stringify(FIXTURE_FILES["es-ar"]),
    });
    const { lexicons, problems } = loadLexicons({ dir });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(join(dir, "en-ar.json"));
    expect(problems[1]).toContain(join(dir, "fr-ar.json"));
    for (const problem of problems) expect(problem).toContain("npm run lexicons");
    expect(lexicons.loaded.map((l) => l.name)).toEqual(["es-ar"]);
  });
});
