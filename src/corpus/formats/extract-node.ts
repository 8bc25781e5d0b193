// Node adapter: the boundary between hostile files and the server, as pdf.js keeps its parser
// in a worker. Each file is read in a worker thread with a heap limit (resourceLimits) and a time
// limit; a thread that runs out of either is ended and the file becomes a warning. A small pool
// of threads, each reading one file at a time, is kept between files (and between reloads).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ExtractedText, SourceFormat } from "../../types";
import type { ThreadJob, ThreadReply, ThreadSettings } from "./extract-thread";
import { UnreadableSource } from "./unreadable";

export interface ExtractorOptions {
  /** A file taking longer is stopped (CORPUS_EXTRACTION_TIMEOUT). Default 1 200 000 ms. */
  timeoutMs?: number;
  /** Heap limit of each worker thread; past it the file fails (CORPUS_EXTRACTION_FAILED). Default 1024 MB. */
  memoryMb?: number;
  /** Most worker threads at once (default and ceiling: os.availableParallelism()). */
  poolSize?: number;
  /** A PDF with more pages is refused (default 2000). */
  maxPdfPages?: number;
  /** Test-only: the URL or path of a module whose `extractText` replaces the readers'. */
  readerModule?: string;
}

export interface Extractor {
  /** Reads one file in a worker thread; rejects with UnreadableSource only. */
  extract(bytes: Uint8Array, format: Exclude<SourceFormat, "text">): Promise<ExtractedText>;
  /** Ends every worker thread; pending files fail. */
  close(): Promise<void>;
}

/** Generous so an OCR'd 100-page PDF fits (9.4 s a page measured on a busy 2-core machine: docs/documents.md). */
export const DEFAULT_EXTRACTION_TIMEOUT_MS = 1_200_000;
export const DEFAULT_EXTRACTION_MEMORY_MB = 1024;
const WORKER_URL = new URL("./extract-worker.mjs", import.meta.url);

interface Pending {
  job: ThreadJob;
  resolve: (extracted: ExtractedText) => void;
  reject: (error: UnreadableSource) => void;
}

export function createExtractor(options: ExtractorOptions = {}): Extractor {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXTRACTION_TIMEOUT_MS;
  const memoryMb = options.memoryMb ?? DEFAULT_EXTRACTION_MEMORY_MB;
  const poolSize = Math.max(1, Math.min(options.poolSize ?? availableParallelism(), availableParallelism()));
  const settings: ThreadSettings = { maxPdfPages: options.maxPdfPages ?? 2000, ...(options.readerModule && { readerModule: options.readerModule }) };
  const idle: Worker[] = [];
  const busy = new Set<Worker>();
  const queue: Pending[] = [];
  const ready = new WeakSet<Worker>(); // threads that have loaded the readers
  let nextId = 1;
  let closed = false;

  const spawn = () =>
    new Worker(WORKER_URL, { workerData: settings, resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, memoryMb / 8)) } });

  function pump(): void {
    while (!closed && queue.length > 0 && (idle.length > 0 || busy.size < poolSize)) {
      const worker = idle.pop() ?? spawn();
      run(worker, queue.shift()!);
    }
  }

  function run(worker: Worker, pending: Pending): void {
    busy.add(worker);
    let settled = false;
    const finish = (outcome: { extracted: ExtractedText } | { error: UnreadableSource }, keepWorker: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      busy.delete(worker);
      if (keepWorker && !closed) idle.push(worker);
      else void worker.terminate();
      if ("extracted" in outcome) pending.resolve(outcome.extracted);
      else pending.reject(outcome.error);
      pump();
    };
    const onMessage = (reply: ThreadReply | { ready: true }) => {
      if ("ready" in reply || reply.id !== pending.job.id) return;
      finish(reply.ok ? { extracted: reply.extracted } : { error: new UnreadableSource(reply.code, reply.detail) }, true);
    };
    // A heap past resourceLimits arrives as ERR_WORKER_OUT_OF_MEMORY; anything else that kills the thread likewise fails the file.
    const onError = (error: Error & { code?: string }) => {
      const detail = error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `it needed more than the ${memoryMb} MB memory limit (EXTRACTION_MEMORY_MB)` : `the reader stopped: ${error.message}`;
      finish({ error: new UnreadableSource("CORPUS_EXTRACTION_FAILED", detail) }, false);
    };
    const onExit = (code: number) => finish({ error: new UnreadableSource("CORPUS_EXTRACTION_FAILED", `the reader's thread exited (code ${code})`) }, false);
    let timer: NodeJS.Timeout | undefined;
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    // The clock measures reading, not a new thread's start-up (loading the readers takes ~1 s).
    const send = () => {
      if (settled) return;
      timer = setTimeout(() => finish({ error: new UnreadableSource("CORPUS_EXTRACTION_TIMEOUT", `${timeoutMs} ms`) }, false), timeoutMs);
      // A copy goes to the thread, so the caller's bytes stay usable (the loader keeps them for hashing).
      worker.postMessage(pending.job);
    };
    if (ready.has(worker)) send();
    else worker.once("message", () => {
      ready.add(worker);
      send();
    });
  }

  return {
    extract(bytes, format) {
      if (closed) return Promise.reject(new UnreadableSource("CORPUS_EXTRACTION_FAILED", "the extractor was closed"));
      return new Promise<ExtractedText>((resolve, reject) => {
        queue.push({ job: { id: nextId++, bytes, format }, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new UnreadableSource("CORPUS_EXTRACTION_FAILED", "the extractor was closed"));
      await Promise.all([...idle.splice(0), ...busy].map((worker) => worker.terminate()));
    },
  };
}
