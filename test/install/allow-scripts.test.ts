// Every dependency that ships an install script must have been reviewed: allowed or denied by
// name in package.json's `allowScripts` (issue 29). npm 11 prints an advisory for the others and
// a later npm stops running them, so an unreviewed script would break the install far from here.
// Read from package-lock.json, so a new dependency fails this test the moment the lockfile has it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface LockEntry {
  version?: string;
  hasInstallScript?: boolean;
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, LockEntry> };
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { allowScripts?: Record<string, boolean> };
const policy = manifest.allowScripts ?? {};

/** "node_modules/a/node_modules/@scope/b" → "@scope/b"; the root entry ("") is the project itself. */
function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf("node_modules/") + "node_modules/".length);
}

/** An allowScripts key is a name, or a name pinned to a version ("hnswlib-node@3.0.0"). */
function keyName(key: string): string {
  const at = key.indexOf("@", 1);
  return at === -1 ? key : key.slice(0, at);
}

function covered(name: string, version: string | undefined): boolean {
  return name in policy || (version !== undefined && `${name}@${version}` in policy);
}

const withScripts = Object.entries(lock.packages)
  .filter(([path, entry]) => path !== "" && entry.hasInstallScript)
  .map(([path, entry]) => ({ name: packageName(path), version: entry.version }));

describe("install scripts (allowScripts in package.json)", () => {
  it("finds the packages with install scripts in the lockfile", () => {
    // hnswlib-node compiles its addon at install: if the lockfile reader missed it, it would miss any.
    expect(withScripts.map((p) => p.name)).toContain("hnswlib-node");
  });

  it("has every package with an install script allowed or denied", () => {
    const unreviewed = withScripts.filter((p) => !covered(p.name, p.version)).map((p) => `${p.name}@${p.version}`);
    expect(unreviewed, `review these install scripts, then add each to package.json "allowScripts" (true or false) and say why in README.md`).toEqual([]);
  });

  it("has no entry for a package that no longer has an install script", () => {
    const names = new Set(withScripts.map((p) => p.name));
    const stale = Object.keys(policy).filter((key) => !names.has(keyName(key)));
    expect(stale, "remove these allowScripts entries (npm install-scripts prune)").toEqual([]);
  });

  it("allows the native HNSW addon's build, which the server cannot run without", () => {
    expect(policy["hnswlib-node"]).toBe(true);
  });

  it("uses only booleans, which is all npm's policy understands", () => {
    for (const [key, value] of Object.entries(policy)) expect(typeof value, key).toBe("boolean");
  });
});
