// Cross-origin access for browsers: closed unless origins are configured (CORS_ORIGINS).
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

export interface CorsOptions {
  /** Allowed origins such as "https://example.org"; "*" allows any. Empty: no CORS headers at all. */
  origins: string[];
}

export function corsFor(options: CorsOptions): MiddlewareHandler {
  const { origins } = options;
  if (origins.length === 0) return async (_c, next) => next();
  return cors({
    origin: origins.includes("*") ? "*" : origins,
    allowMethods: ["GET", "HEAD", "POST"],
    allowHeaders: ["Content-Type"],
    exposeHeaders: ["X-Request-Id", "Retry-After"],
    maxAge: 600,
  });
}
