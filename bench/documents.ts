// Reading documents (#25), measured: extraction speed of DOCX, HTML and text PDFs (and scanned
// PDFs when OCR is available), peak memory, and the time from dropping a 100+-page Arabic PDF
// into corpus/ and sending SIGHUP to the server answering from it. Numbers for docs/documents.md.
//   npx tsx bench/documents.ts [--embedder hashing|auto] [--skip-reload]
// The large PDF is the 32-page fixture repeated 4 times (128 pages) with Debian's qpdf.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { extractDocx } from "../src/corpus/formats/docx";
import { createExtractor } from "../src/corpus/formats/extract-node";
import { extractHtml } from "../src/corpus/formats/html";
import { createTesseractOcr } from "../src/corpus/formats/ocr-node";
import { extractPdf } from "../src/corpus/formats/pdf";
import { makeNewsPage, makeTextDocx, seedArticle } from "../scripts/fixtures/make-office";
import { freePort, waitForHealth } from "../test/e2e/support";

const { values: args } = parseArgs({ options: { embedder: { type: "string", default: "auto" }, "skip-reload": { type: "boolean", default: false } } });
const FIXTURES = "test/fixtures/documents";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function timeIt(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const seed = await seedArticle();
const docx = await makeTextDocx(seed.text, seed.title);
const html = new TextEncoder().encode(makeNewsPage({ title: seed.title, sections: [{ paragraphs: seed.text.split("\n").filter(Boolean) }] }));
const longPdf = new Uint8Array(readFileSync(join(FIXTURES, "long.pdf")));
const chars = seed.text.length;

console.log(`# documents bench, ${new Date().toISOString()}, node ${process.version}`);
const docxMs = await timeIt(9, () => extractDocx(docx));
const htmlMs = await timeIt(9, () => extractHtml(html));
console.log(`DOCX (seed article, ${chars} chars, ${docx.length} bytes): median ${docxMs.toFixed(1)} ms, ${Math.round(chars / docxMs)} chars/ms`);
console.log(`HTML (seed article in a news page, ${html.length} bytes): median ${htmlMs.toFixed(1)} ms, ${Math.round(chars / htmlMs)} chars/ms`);
const pdfMs = await timeIt(3, () => extractPdf(longPdf, { maxPages: 2000 }));
console.log(`PDF text (long.pdf, 32 pages): median ${pdfMs.toFixed(0)} ms, ${(32 / (pdfMs / 1000)).toFixed(1)} pages/s (in process)`);

const ocr = await createTesseractOcr();
if (ocr) {
  const scanned = new Uint8Array(readFileSync(join(FIXTURES, "scanned.pdf")));
  const ocrMs = await timeIt(1, () => extractPdf(scanned, { maxPages: 2000, ocr }));
  console.log(`PDF OCR (scanned.pdf, 3 pages): ${ocrMs.toFixed(0)} ms, ${(3 / (ocrMs / 1000)).toFixed(2)} pages/s`);
} else {
  console.log("PDF OCR: not measured (no OCR engine: createTesseractOcr() returned none)");
}

// Through the worker thread, as the loader reads: start-up of a thread, then a 128-page PDF.
const dir = mkdtempSync(join(tmpdir(), "documents-bench-"));
const bigPdf = join(dir, "big.pdf");
execFileSync("qpdf", ["--empty", "--pages", ...Array(4).fill(join(FIXTURES, "long.pdf")), "--", bigPdf]);
const extractor = createExtractor({ poolSize: 1 });
const bigBytes = new Uint8Array(readFileSync(bigPdf));
const t0 = performance.now();
const big = await extractor.extract(bigBytes, "pdf");
const bigMs = performance.now() - t0;
await extractor.close();
console.log(`PDF text in a worker thread (128 pages, ${mb(bigBytes.length)}): ${bigMs.toFixed(0)} ms incl. thread start, ${(128 / (bigMs / 1000)).toFixed(1)} pages/s; ${big.pages?.length} pages, ${big.text.length} chars`);
console.log(`peak RSS of this process so far: ${mb(process.resourceUsage().maxRSS * 1024)}`);

if (!args["skip-reload"]) {
  // The real server (node directly, so SIGHUP reaches it), the seed article in its corpus; then the PDF dropped in.
  const corpus = join(dir, "corpus");
  execFileSync("mkdir", ["-p", corpus]);
  copyFileSync("corpus/000_c1add9699fc6f4ec.txt", join(corpus, "seed.txt"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = "";
  const server = spawn(process.execPath, ["--import", "tsx", "src/server/node.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", CORPUS_DIR: corpus, EMBEDDINGS_DIR: join(dir, "embeddings"), EMBEDDER: args.embedder!, LOG_LEVEL: "info", RATE_LIMIT_PER_MINUTE: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  try {
    await waitForHealth(`${base}/api/health`, () => server.exitCode !== null, () => log);
    const question = "ما الذي يتناوله البند الأول من الوثيقة؟";
    const firstParagraph = big.text.split("\n")[0];
    const probe = firstParagraph.split(/[.؟!]/)[0].slice(0, 120);
    const answersFromPdf = async () => {
      const response = await fetch(`${base}/api/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: probe || question }) });
      const body = (await response.json()) as { citations?: { docId: string; page?: number }[] };
      return body.citations?.find((c) => c.docId === "big");
    };
    copyFileSync(bigPdf, join(corpus, "big.pdf"));
    const dropped = performance.now();
    server.kill("SIGHUP");
    let cited: { docId: string; page?: number } | undefined;
    while (!cited && performance.now() - dropped < 600_000) {
      cited = await answersFromPdf().catch(() => undefined);
      if (!cited) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seconds = (performance.now() - dropped) / 1000;
    const health = (await (await fetch(`${base}/api/health`)).json()) as { embedder: { id: string }; counts: { passages: number } };
    console.log(`drop a 128-page PDF + SIGHUP → first answer citing it (page ${cited?.page}): ${seconds.toFixed(1)} s (embedder ${health.embedder.id}, ${health.counts.passages} passages)`);
    const rss = execFileSync("ps", ["-o", "rss=", "-p", String(server.pid)]).toString().trim();
    console.log(`server RSS after the reload: ${mb(Number(rss) * 1024)}`);
  } finally {
    server.kill("SIGTERM");
  }
}
rmSync(dir, { recursive: true, force: true });
