// Security headers on every response. JSON needs no scripts, styles or frames, so the API's
// policy allows nothing; the web chat (serveWeb) sets its own policy, which is kept.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    xFrameOptions: "DENY",
    // Keep what a handler chose for its own response (serveWeb's page policy above all).
    overwrite: false,
  });
}
