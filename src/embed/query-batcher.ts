// Questions that arrive together are embedded together. A question is ~15 tokens: one forward
// pass per question runs the model's matrix products on a handful of rows, where 32 questions in
// one pass fill them. Here one pass is in flight at a time, and the questions that came in
// meanwhile go into the next one, in order of arrival.
// Measured in one process, 32 concurrent askers on the seed article, runs interleaved: 82-95
// answers/s against 48-59 unbatched, p95 459 against 722 ms; with the turn before each pass
// (below), 107-111 against 77-81 answers/s.
//
// onnxruntime-node runs a pass on the main thread, blocking the event loop, and its cost grows with
// the text: a 1,000-character question can take 360 ms. Without a turn of the event loop before each
// pass, every request read in one go ran its whole pass before the next was looked at, so 60 such
// questions held a health check for 20 s and none ever shared a pass. So each pass waits one turn
// (what arrived together joins it; timers and other requests run between passes), is bounded by
// characters as well as texts, and a question that would wait longer than a budget is refused at
// once with 503 BUSY. The wait is estimated from the characters ahead of it at the speed the last
// passes ran, so the budget holds on a busy machine too (a fixed character budget let 15 of 40
// long questions run into the 10 s timeout while another process shared the two cores).
// Core (no Node APIs required). Passages are not batched here: indexing already sends them in batches.
import { createError } from "../errors";
import type { Embedder, EmbedKind } from "../types";

export interface QueryBatcherOptions {
  /** Most texts in one forward pass; a single larger request still goes in one piece. Default 32. */
  maxBatch?: number;
  /** Most characters in one forward pass (a single larger request still goes in one piece). Default 2,000 (32 questions of 60). */
  maxBatchChars?: number;
  /** Longest a request may expect to wait for its pass, in ms; beyond it, BUSY (never when none wait). Default 4,000. */
  maxQueueMs?: number;
}

interface Waiting {
  texts: string[];
  chars: number;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: unknown) => void;
}

/** One turn of the event loop: setImmediate where there is one (Node), else a zero timeout (Workers, browsers). */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

// A first guess of the model's speed, until a pass has been timed: a 1,000-character question took 360 ms.
const FIRST_CHARS_PER_MS = 2;

export function createQueryBatcher(inner: Embedder, { maxBatch = 32, maxBatchChars = 2_000, maxQueueMs = 4_000 }: QueryBatcherOptions = {}): Embedder {
  for (const [name, value] of Object.entries({ maxBatch, maxBatchChars, maxQueueMs })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${value}`);
  }
  const waiting: Waiting[] = [];
  let queuedChars = 0;
  let running = false;
  // Characters embedded per ms, smoothed over the last passes.
  let charsPerMs = FIRST_CHARS_PER_MS;

  function take(): Waiting {
    const request = waiting.shift()!;
    queuedChars -= request.chars;
    return request;
  }

  async function drain(): Promise<void> {
    running = true;
    while (waiting.length > 0) {
      await nextTurn();
      const batch: Waiting[] = [take()];
      let size = batch[0].texts.length;
      let chars = batch[0].chars;
      while (waiting.length > 0 && size + waiting[0].texts.length <= maxBatch && chars + waiting[0].chars <= maxBatchChars) {
        size += waiting[0].texts.length;
        chars += waiting[0].chars;
        batch.push(take());
      }
      try {
        const started = performance.now();
        const vectors = await inner.embed(batch.flatMap((request) => request.texts), "query");
        const took = performance.now() - started;
        if (took > 0) charsPerMs = 0.7 * charsPerMs + 0.3 * (chars / took);
        let at = 0;
        for (const request of batch) {
          request.resolve(vectors.slice(at, at + request.texts.length));
          at += request.texts.length;
        }
      } catch (error) {
        for (const request of batch) request.reject(error);
      }
    }
    running = false;
  }

  return {
    id: inner.id,
    dimension: inner.dimension,
    // Token vectors are read from a table, not computed: nothing to batch.
    ...(inner.embedTokens && { embedTokens: inner.embedTokens.bind(inner) }),
    embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
      if (kind !== "query" || texts.length === 0) return inner.embed(texts, kind);
      const chars = texts.reduce((sum, text) => sum + text.length, 0);
      if (waiting.length > 0 && (queuedChars + chars) / charsPerMs > maxQueueMs) return Promise.reject(createError("BUSY"));
      return new Promise((resolve, reject) => {
        waiting.push({ texts, chars, resolve, reject });
        queuedChars += chars;
        if (!running) void drain();
      });
    },
  };
}
