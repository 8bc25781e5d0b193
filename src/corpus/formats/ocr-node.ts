// Node adapter: OCR with Debian's Tesseract CLI (tesseract-ocr, Apache-2.0; tesseract-ocr-ara),
// spawned per page with the PNG on stdin and TSV on stdout, so no native binding is loaded into
// the reader's worker thread. The TSV gives each word's confidence; the page's is their mean.
import { spawn } from "node:child_process";
import type { OcrEngine } from "./pdf";
import { foldPresentationForms } from "./pdf-lines";

export interface TesseractOptions {
  /** The executable (found on PATH by default). */
  command?: string;
  /** Tesseract's language list; every one must be installed. */
  languages?: string;
  /** A page taking longer than this is abandoned (the process killed) and the file refused. */
  timeoutMs?: number;
}

/** Tesseract with Arabic and English when installed; undefined when it (or its `ara` data) is not. */
export async function createTesseractOcr(options: TesseractOptions = {}): Promise<OcrEngine | undefined> {
  const command = options.command ?? "tesseract";
  const languages = options.languages ?? "ara+eng";
  const timeoutMs = options.timeoutMs ?? 120_000;
  const listed = await run(command, ["--list-langs"], new Uint8Array(), 10_000).catch(() => undefined);
  if (!listed) return undefined;
  const installed = new Set(listed.split(/\s+/));
  if (!languages.split("+").every((language) => installed.has(language))) return undefined;
  return {
    async recognize(png, page) {
      const dpi = page?.dpi ? ["--dpi", String(Math.round(page.dpi))] : [];
      const tsv = await run(command, ["stdin", "stdout", "-l", languages, "--psm", "3", ...dpi, "tsv"], png, timeoutMs);
      return readTsv(tsv);
    },
  };
}

/**
 * Tesseract's TSV (one row per block, paragraph, line and word) as text with one paragraph per
 * line, words in the order Tesseract read them, and the mean confidence of the words (0–100).
 */
export function readTsv(tsv: string): { text: string; confidence: number } {
  const paragraphs = new Map<string, string[]>();
  let total = 0;
  let words = 0;
  for (const row of tsv.split("\n").slice(1)) {
    const cells = row.split("\t");
    if (cells.length < 12 || cells[0] !== "5") continue;
    const word = cells.slice(11).join("\t").trim();
    const confidence = Number(cells[10]);
    if (!word || !(confidence >= 0)) continue;
    const key = `${cells[1]}:${cells[2]}:${cells[3]}`; // page, block, paragraph
    paragraphs.set(key, [...(paragraphs.get(key) ?? []), word]);
    total += confidence;
    words++;
  }
  const text = [...paragraphs.values()].map((paragraph) => foldPresentationForms(paragraph.join(" "))).join("\n");
  return { text, confidence: words ? Math.round((total / words) * 10) / 10 : 0 };
}

function run(command: string, args: string[], input: Uint8Array, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // One thread per Tesseract: its OpenMP threads only fight each other on a small shared machine.
    const env = { ...process.env, OMP_THREAD_LIMIT: "1" };
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL", env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.stdin.on("error", () => undefined); // the process may exit before reading it all
    child.on("close", (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`${command} ${signal ? `was stopped (${signal})` : `exited with ${code}`}: ${Buffer.concat(err).toString("utf8").trim().slice(0, 200)}`));
    });
    child.stdin.end(input);
  });
}
