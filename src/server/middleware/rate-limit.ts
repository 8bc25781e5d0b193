// Per-client token bucket: each client may send `burst` requests at once, then `perMinute` on
// average. Core module (no Node APIs): the adapter says who the client is.
import type { Context, MiddlewareHandler } from "hono";
import { createError } from "../../errors";

export interface RateLimitOptions {
  /** Average requests per minute allowed per client. */
  perMinute: number;
  /** Requests a client may make at once before the average applies (the bucket size). */
  burst: number;
  /** Which client sent the request; requests with the same key share one bucket. */
  clientKey: (c: Context) => string;
  /** Most clients remembered; beyond it the least recently seen are forgotten (they start with a full bucket). */
  maxClients?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { perMinute, burst, clientKey, maxClients, now } = { maxClients: 10_000, now: () => Date.now(), ...options };
  if (!(perMinute > 0) || !(burst >= 1)) throw createError("INVALID_CONFIG", "rate limit", `${perMinute}/min, burst ${burst}`, "a positive rate and a burst of at least 1");
  const tokensPerMs = perMinute / 60_000;
  // Insertion order is recency order: a bucket is re-inserted on every request, so the first key is the idlest.
  const buckets = new Map<string, Bucket>();

  return async (c, next) => {
    const key = clientKey(c);
    const time = now();
    const bucket = buckets.get(key) ?? { tokens: burst, updatedAt: time };
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, time - bucket.updatedAt) * tokensPerMs);
    bucket.updatedAt = time;
    buckets.delete(key);
    buckets.set(key, bucket);
    for (const idlest of buckets.keys()) {
      if (buckets.size <= maxClients) break;
      buckets.delete(idlest);
    }

    if (bucket.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / tokensPerMs / 1000));
      c.header("Retry-After", String(seconds));
      throw createError("RATE_LIMITED", seconds);
    }
    bucket.tokens -= 1;
    await next();
  };
}
