// Node adapter, runs inside an extraction worker thread: reads one file at a time with the
// format readers and posts back the text or why it could not be read. The OCR engine is built
// once per worker, on the first PDF. A hostile file can at worst exhaust this thread's memory or
// time; extract-node.ts then ends the thread and the server carries on.
import { parentPort, workerData } from "node:worker_threads";
import type { ExtractedText, SourceFormat } from "../../types";
import { extractText, type ExtractOptions } from "./index";
import { createTesseractOcr } from "./ocr-node";
import type { OcrEngine } from "./pdf";
import { UnreadableSource } from "./unreadable";

export interface ThreadSettings {
  maxPdfPages: number;
  /** Test-only: a module whose `extractText` replaces the readers' (to test the limits). */
  readerModule?: string;
}
export interface ThreadJob {
  id: number;
  bytes: Uint8Array;
  format: Exclude<SourceFormat, "text">;
}
export type ThreadReply =
  | { id: number; ok: true; extracted: ExtractedText }
  | { id: number; ok: false; code: UnreadableSource["code"]; detail: string };

const settings = workerData as ThreadSettings;
type Reader = (bytes: Uint8Array, format: ThreadJob["format"], options: ExtractOptions) => Promise<ExtractedText>;
const reader: Promise<Reader> = settings.readerModule
  ? import(settings.readerModule).then((module: { extractText: Reader }) => module.extractText)
  : Promise.resolve(extractText);
let ocr: Promise<OcrEngine | undefined> | undefined;

await reader;
parentPort!.postMessage({ ready: true });

parentPort!.on("message", async (job: ThreadJob) => {
  let reply: ThreadReply;
  try {
    if (job.format === "pdf") ocr ??= createTesseractOcr();
    const options: ExtractOptions = { maxPdfPages: settings.maxPdfPages, ...(job.format === "pdf" && { ocr: await ocr }) };
    if (!options.ocr) delete options.ocr;
    const extracted = await (await reader)(job.bytes, job.format, options);
    reply = { id: job.id, ok: true, extracted };
  } catch (error) {
    reply = error instanceof UnreadableSource
      ? { id: job.id, ok: false, code: error.code, detail: error.detail }
      : { id: job.id, ok: false, code: "CORPUS_EXTRACTION_FAILED", detail: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
