// Guards the routes that change the corpus: "Authorization: Bearer <ADMIN_TOKEN>". The token is
// compared in constant time over sha256 digests, so neither its characters nor its length leak
// through timing; it is never echoed, logged or put in an error message. Mounted only by the Node
// server (node:crypto); the Worker has no write routes at all.
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { createError } from "../../errors";

/** "off" refuses every write (403 WRITES_DISABLED); otherwise the token a request must carry. */
export type AdminTokenSetting = "off" | { token: string };

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

export function requireAdminToken(setting: AdminTokenSetting): MiddlewareHandler {
  const expected = setting === "off" ? undefined : digest(setting.token);
  return async (c, next) => {
    if (!expected) throw createError("WRITES_DISABLED");
    const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (presented === undefined) {
      c.header("WWW-Authenticate", 'Bearer realm="documents"');
      throw createError("UNAUTHORIZED");
    }
    if (!timingSafeEqual(digest(presented), expected)) throw createError("FORBIDDEN");
    await next();
  };
}
