// The admin token check: 401 without, 403 with any other token, the request through with the right one.
import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { AppError, statusOf } from "../../../src/errors";
import { requireAdminToken } from "../../../src/server/middleware/admin-token";

const TOKEN = "s3cret-token-of-enough-length";

function appWith(setting: Parameters<typeof requireAdminToken>[0]) {
  const app = new Hono();
  app.post("/w", requireAdminToken(setting), (c) => c.text("written"));
  app.onError((error, c) => c.json({ code: (error as AppError).code, message: error.message }, statusOf((error as AppError).code) as 400));
  return app;
}

const call = (app: Hono, authorization?: string) => app.request("/w", { method: "POST", headers: authorization === undefined ? {} : { authorization } });

describe("requireAdminToken", () => {
  const app = appWith({ token: TOKEN });

  it("passes the right token, in any case of the scheme name", async () => {
    expect(await (await call(app, `Bearer ${TOKEN}`)).text()).toBe("written");
    expect((await call(app, `bearer ${TOKEN}`)).status).toBe(200);
  });

  it("401 with a Bearer challenge when no token is presented", async () => {
    for (const header of [undefined, "", "Bearer", `Basic ${TOKEN}`, TOKEN]) {
      const res = await call(app, header);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("403 for every other token, and the message never holds either token", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 60 }).filter((t) => t !== TOKEN && !/\s/.test(t)), async (token) => {
        const res = await call(app, `Bearer ${token}`);
        expect(res.status).toBe(403);
        const text = await res.text();
        expect(text).not.toContain(TOKEN);
      }),
      { numRuns: 100 },
    );
  });

  it("ADMIN_TOKEN=off refuses even a request that would carry the right token", async () => {
    const off = appWith("off");
    const res = await call(off, `Bearer ${TOKEN}`);
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("WRITES_DISABLED");
  });
});
