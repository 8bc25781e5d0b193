import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { nodeAssetReader } from "../../src/server/web-node";

const dir = mkdtempSync(join(tmpdir(), "web-node-"));
const root = join(dir, "web");
mkdirSync(join(root, "js"), { recursive: true });
writeFileSync(join(root, "index.html"), "<!doctype html>");
writeFileSync(join(root, "js", "main.js"), "export {};");
writeFileSync(join(dir, "secret.txt"), "secret");
symlinkSync(join(dir, "secret.txt"), join(root, "link.txt"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("nodeAssetReader", () => {
  const read = nodeAssetReader(root);
  const text = async (path: string) => {
    const bytes = await read(path);
    return bytes && new TextDecoder().decode(bytes);
  };

  it("reads files inside the root", async () => {
    expect(await text("index.html")).toBe("<!doctype html>");
    expect(await text("js/main.js")).toBe("export {};");
  });

  it("returns null for missing files and directories", async () => {
    expect(await read("missing.js")).toBeNull();
    expect(await read("js")).toBeNull();
    expect(await read("index.html/x")).toBeNull();
  });

  it("never reads outside the root, even through a symlink", async () => {
    expect(await read("../secret.txt")).toBeNull();
    expect(await read("js/../../secret.txt")).toBeNull();
    expect(await read(join(dir, "secret.txt"))).toBeNull();
    expect(await read("link.txt")).toBeNull();
    expect(await read("index.html\0.js")).toBeNull();
  });
});
