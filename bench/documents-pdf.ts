// PDF reading speed and memory: pages per second for a text PDF and for OCR, and peak memory,
// each measured in its own child process (so each peak belongs to that run alone). Tesseract runs
// in processes of its own; its peak is read from /usr/bin/time on one page when that exists.
//   npx tsx bench/documents-pdf.ts [--rounds 3]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createTesseractOcr } from "../src/corpus/formats/ocr-node";
import { extractPdf } from "../src/corpus/formats/pdf";

const FIXTURES = join(import.meta.dirname, "../test/fixtures/documents");
const { values: args } = parseArgs({ options: { mode: { type: "string" }, rounds: { type: "string", default: "3" } } });

interface Measure {
  file: string;
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  peakRssMb: number;
  /** V8 heap in use after the last round: what a worker's maxOldGenerationSizeMb must allow. */
  heapMb: number;
}

/** One mode in this process: read the file `rounds` times, report the best round and the peak. */
async function measure(mode: "text" | "ocr", rounds: number): Promise<Measure> {
  const file = mode === "text" ? "long.pdf" : "scanned.pdf";
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, file)));
  const ocr = mode === "ocr" ? await createTesseractOcr() : undefined;
  if (mode === "ocr" && !ocr) throw new Error("Tesseract with Arabic is not installed (apt-get install -y tesseract-ocr tesseract-ocr-ara)");
  let best = Infinity;
  let pages = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const result = await extractPdf(bytes, { maxPages: 2000, ocr });
    best = Math.min(best, (performance.now() - started) / 1000);
    pages = result.pages!.length;
  }
  const heapMb = process.memoryUsage().heapUsed / 1048576;
  return { file, pages, seconds: best, pagesPerSecond: pages / best, peakRssMb: process.resourceUsage().maxRSS / 1024, heapMb };
}

/** Peak memory of one Tesseract run on one page, as the OCR adapter calls it. */
function tesseractPeakMb(): number | undefined {
  if (!existsSync("/usr/bin/time")) return undefined;
  const scratch = mkdtempSync(join(tmpdir(), "bench-pdf-"));
  try {
    // The page as the reader renders it is not on disk, so poppler renders the same page at the same dpi.
    execFileSync("pdftoppm", ["-r", "300", "-png", "-f", "1", "-l", "1", join(FIXTURES, "scanned.pdf"), join(scratch, "page")]);
    const run = spawnSync("/usr/bin/time", ["-v", "tesseract", join(scratch, "page-1.png"), "-", "-l", "ara+eng", "tsv"], { encoding: "utf8", env: { ...process.env, OMP_THREAD_LIMIT: "1" } });
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (args.mode === "text" || args.mode === "ocr") {
  process.stdout.write(JSON.stringify(await measure(args.mode, Number(args.rounds))));
} else {
  const child = (mode: string, rounds: string) =>
    JSON.parse(execFileSync(process.execPath, ["--import", "tsx", import.meta.filename, "--mode", mode, "--rounds", rounds], { encoding: "utf8" })) as Measure;
  const text = child("text", args.rounds!);
  const ocr = child("ocr", "1");
  const tesseract = tesseractPeakMb();
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const row = (name: string, m: Measure) => `| ${name} | ${m.file} | ${m.pages} | ${m.seconds.toFixed(2)} | ${m.pagesPerSecond.toFixed(2)} | ${m.peakRssMb.toFixed(0)} | ${m.heapMb.toFixed(0)} |`;
  const table = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at commit ${commit} (\`npx tsx bench/documents-pdf.ts\`; best of ${args.rounds} rounds for text, 1 for OCR).`,
    "",
    "| path | file | pages | seconds | pages/s | peak RSS of the process (MB) | V8 heap after (MB) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    row("text layer", text),
    row("OCR (Tesseract, at the scan's 150 dpi)", ocr),
    "",
    tesseract ? `Peak RSS of one Tesseract process (ara+eng, one A4 page at 300 dpi): ${tesseract.toFixed(0)} MB.` : "Tesseract's own peak was not measured (/usr/bin/time missing).",
  ].join("\n");
  console.log(table);
  writeFileSync(join(import.meta.dirname, "results/documents-pdf.md"), table + "\n");
}
