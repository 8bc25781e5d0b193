// Answers 503 TIMEOUT when a request takes too long, including reading a slowly sent body.
// The work itself cannot be cancelled (the engine takes no signal); its late result is dropped.
import type { Context, MiddlewareHandler } from "hono";
import { createError } from "../../errors";

export interface RequestTimeoutOptions {
  /** Longest a request may take, in ms. */
  ms: number;
  /** Requests this timeout leaves to another one (uploads have their own, longer limit). */
  skip?: (c: Context) => boolean;
}

export function requestTimeout(options: RequestTimeoutOptions): MiddlewareHandler {
  const { ms, skip } = options;
  return async (c, next) => {
    if (skip?.(c)) return next();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(createError("TIMEOUT", ms)), ms);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
