import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MARKER, NATIVE_FLAGS, buildHnswlib, hnswlibPaths, nativeBuildPlan } from "../../scripts/build-hnswlib";

describe("nativeBuildPlan", () => {
  const linux = { platform: "linux" as const, arch: "x64", env: {} };

  it("rebuilds for this CPU on x64 Linux and macOS", () => {
    expect(nativeBuildPlan(linux)).toEqual({ build: true, flags: NATIVE_FLAGS });
    expect(nativeBuildPlan({ ...linux, platform: "darwin" })).toEqual({ build: true, flags: NATIVE_FLAGS });
  });

  it("keeps the portable build when asked to, on Windows and off x64", () => {
    expect(nativeBuildPlan({ ...linux, env: { HNSWLIB_NO_NATIVE: "1" } })).toEqual({ build: false, reason: "HNSWLIB_NO_NATIVE is set" });
    expect(nativeBuildPlan({ ...linux, platform: "win32" }).build).toBe(false);
    expect(nativeBuildPlan({ ...linux, arch: "arm64" })).toEqual({ build: false, reason: "no SIMD kernels to unlock on arm64" });
  });

  it("does not rebuild what is already native, so a second npm install costs nothing", () => {
    expect(nativeBuildPlan({ ...linux, builtWith: NATIVE_FLAGS }).build).toBe(false);
    expect(nativeBuildPlan({ ...linux, builtWith: "portable: the native rebuild failed" }).build).toBe(true);
  });
});

describe("buildHnswlib", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in package folder: build/Release/addon.node holds the "portable" bytes. */
  function fakePackage() {
    dir = mkdtempSync(join(tmpdir(), "hnswlib-build-"));
    const paths = { packageDir: dir, addon: join(dir, "build", "Release", "addon.node"), marker: join(dir, "build", MARKER), portableAddon: join(dir, "build", "portable", "addon.node") };
    mkdirSync(join(dir, "build", "Release"), { recursive: true });
    writeFileSync(paths.addon, "portable");
    return paths;
  }
  const onLinux = { platform: "linux" as const, arch: "x64", env: {} };

  it("records the flags after a rebuild that passes its check", () => {
    const paths = fakePackage();
    const flagsSeen: string[] = [];
    const rebuild = (flags: string) => (flagsSeen.push(flags), writeFileSync(paths.addon, "native"), true);
    expect(buildHnswlib({ ...onLinux, paths, rebuild, check: () => true })).toContain("rebuilt with -march=native");
    expect(flagsSeen).toEqual([NATIVE_FLAGS]);
    expect(readFileSync(paths.addon, "utf8")).toBe("native");
    expect(readFileSync(paths.portableAddon, "utf8")).toBe("portable");
    expect(readFileSync(paths.marker, "utf8").trim()).toBe(NATIVE_FLAGS);
  });

  it("puts the portable addon back when the rebuild wipes build/ and fails, and never throws", () => {
    const paths = fakePackage();
    const rebuild = () => (rmSync(join(dir, "build"), { recursive: true }), mkdirSync(join(dir, "build")), false);
    expect(buildHnswlib({ ...onLinux, paths, rebuild, check: () => true })).toContain("portable build is kept");
    expect(readFileSync(paths.addon, "utf8")).toBe("portable");
    expect(readFileSync(paths.marker, "utf8")).toMatch(/^portable: /);
  });

  it("puts the portable addon back when the rebuilt one fails its check", () => {
    const paths = fakePackage();
    const rebuild = () => (writeFileSync(paths.addon, "broken"), true);
    buildHnswlib({ ...onLinux, paths, rebuild, check: () => false });
    expect(readFileSync(paths.addon, "utf8")).toBe("portable");
  });

  it("says why it left the addon alone, and does not touch it", () => {
    const paths = fakePackage();
    const rebuild = () => expect.unreachable("no rebuild expected");
    expect(buildHnswlib({ ...onLinux, env: { HNSWLIB_NO_NATIVE: "1" }, paths, rebuild })).toContain("HNSWLIB_NO_NATIVE");
    expect(readFileSync(paths.marker, "utf8").trim()).toBe("portable: HNSWLIB_NO_NATIVE is set");
    expect(readFileSync(paths.addon, "utf8")).toBe("portable");
  });
});

describe("the installed hnswlib-node", () => {
  it("was built as `npm install` planned for this machine", () => {
    // The postinstall step ran here (npm ci in CI): its marker says what it did.
    const { marker } = hnswlibPaths();
    expect(existsSync(marker), `${marker} is missing: run npm install (postinstall builds hnswlib-node)`).toBe(true);
    const builtWith = readFileSync(marker, "utf8").trim();
    const optedOut = builtWith === "portable: HNSWLIB_NO_NATIVE is set";
    const capable = nativeBuildPlan({ platform: process.platform, arch: process.arch, env: {} }).build;
    if (capable && !optedOut) expect(builtWith).toBe(NATIVE_FLAGS);
    else expect(builtWith).toMatch(/^portable: /);
  });
});
