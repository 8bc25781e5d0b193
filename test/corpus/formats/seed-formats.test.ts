// The seed article as a Word file, a web page and a Chromium-printed PDF answers the dev set as the
// .txt does: the same text comes back (extraction fidelity 1 for DOCX and HTML, ≥ 0.99 for the
// PDF), so the same sentences are cited (hit@1 within 0.02, every citation verbatim). Loaded
// through the real loader and its worker threads.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExtractor } from "../../../src/corpus/formats/extract-node";
import { loadCorpusDir } from "../../../src/corpus/load-node";
import { buildInMemoryPipeline } from "../../../scripts/lib/engine";
import { evaluate, readQuestions, type EvalReport } from "../../../scripts/lib/evaluate";
import { makeNewsPage, makeTextDocx, SEED_ARTICLE, seedArticle } from "../../../scripts/fixtures/make-office";
import { fidelity } from "./fidelity";

// The shared eval folder sits beside the checkout (../shared), or beside the worktrees' folder.
const DEV = ["../shared/eval/dev.jsonl", "../../shared/eval/dev.jsonl"].find((path) => existsSync(path)) ?? "../shared/eval/dev.jsonl";

const pool = createExtractor({ poolSize: 2 });
const dirs: string[] = [];
const reports = new Map<string, { report: EvalReport; text: string }>();

async function evaluateFolder(label: string, name: string, bytes: Uint8Array | string | undefined): Promise<void> {
  let dir = "corpus";
  if (bytes !== undefined) {
    dir = await mkdtemp(join(tmpdir(), `seed-${label}-`));
    dirs.push(dir);
    await writeFile(join(dir, name), bytes);
    await copyFile(SEED_ARTICLE.replace(/\.txt$/, ".meta.json"), join(dir, name.replace(/\.\w+$/, ".meta.json")));
  }
  const { corpus, warnings } = await loadCorpusDir(dir, { extractor: pool });
  expect(warnings).toEqual([]);
  const { engine } = await buildInMemoryPipeline(corpus);
  reports.set(label, { report: await evaluate(engine, readQuestions(DEV)), text: corpus.documents[0].text });
}

beforeAll(async () => {
  const seed = await seedArticle();
  await evaluateFolder("txt", "", undefined);
  await evaluateFolder("docx", "seed.docx", await makeTextDocx(seed.text, seed.title));
  await evaluateFolder("html", "seed.html", makeNewsPage({ title: seed.title, sections: [{ paragraphs: seed.text.split("\n").filter(Boolean) }] }));
  // scripts/fixtures/make-pdfs.ts printed it with Chromium onto 3 pages.
  await evaluateFolder("pdf", "seed.pdf", readFileSync("test/fixtures/documents/one-column.pdf"));
}, 120_000);
afterAll(async () => {
  await pool.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("the seed article as DOCX, HTML and PDF", () => {
  for (const [format, minFidelity] of [["docx", 1], ["html", 1], ["pdf", 0.99]] as const) {
    it(`${format}: the text of the .txt, hit@1 within 0.02 of it, every citation verbatim`, () => {
      const txt = reports.get("txt")!;
      const other = reports.get(format)!;
      const extraction = fidelity(txt.text, other.text);
      expect(extraction).toBeGreaterThanOrEqual(minFidelity);
      expect(Math.abs(other.report.overall.hit1! - txt.report.overall.hit1!)).toBeLessThanOrEqual(0.02);
      expect(other.report.overall.fidelity).toBe(1);
      console.log(`${format}: extraction fidelity ${extraction.toFixed(4)}, hit@1 ${other.report.overall.hit1!.toFixed(3)} (txt ${txt.report.overall.hit1!.toFixed(3)}), citation fidelity ${other.report.overall.fidelity}`);
    });
  }
});
