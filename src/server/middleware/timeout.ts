// Answers 503 TIMEOUT when a request takes too long, including reading a slowly sent body.
// The work itself cannot be cancelled (the engine takes no signal); its late result is dropped.
import type { MiddlewareHandler } from "hono";
import { createError } from "../../errors";

export interface RequestTimeoutOptions {
  /** Longest a request may take, in ms. */
  ms: number;
}

export function requestTimeout(options: RequestTimeoutOptions): MiddlewareHandler {
  const { ms } = options;
  return async (_c, next) => {
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
