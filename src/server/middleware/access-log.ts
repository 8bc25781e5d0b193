// One structured entry per request, written once the response is known (errors included).
import type { Context, MiddlewareHandler } from "hono";

export interface AccessLogEntry {
  time: string;
  requestId: string | undefined;
  method: string;
  path: string;
  status: number;
  ms: number;
  ip: string | undefined;
}

export interface AccessLogOptions {
  write: (entry: AccessLogEntry) => void;
  /** Who sent the request (the socket's address on Node). */
  clientAddress?: (c: Context) => string | undefined;
}

const MAX_PATH_CHARS = 200;

export function accessLog(options: AccessLogOptions): MiddlewareHandler {
  const { write, clientAddress } = { clientAddress: () => undefined, ...options };
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const path = c.req.path;
      write({
        time: new Date().toISOString(),
        requestId: c.get("requestId") as string | undefined,
        method: c.req.method,
        // A client controls the path: keep a log line short (JSON escaping keeps it one line).
        path: path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}...` : path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ip: clientAddress(c),
      });
    }
  };
}
