// Rebuilds hnswlib-node for this machine's CPU; runs from `npm install` (postinstall).
//
// Why: hnswlib chooses its distance kernels when it is compiled (SSE unless the compiler defines
// __AVX__ / __AVX512F__), and node-gyp compiles for a generic x86-64, so the stock build never uses
// AVX. hnswlib's own Python package compiles with -march=native for this reason, with
// HNSWLIB_NO_NATIVE to opt out; this does the same. Dense search over the bench's 10k passages,
// same graph file, both builds in one process: 0.28 → 0.22 ms per query (bench/REPORT.md).
//
// A native build runs only on CPUs like the one it was built on: set HNSWLIB_NO_NATIVE=1 when
// node_modules is built on one machine and copied to another (e.g. a Docker image). Nothing here
// may fail the install: when the rebuild or its check fails, the portable build is put back.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const NATIVE_FLAGS = "-march=native";
/** Written next to the addon: the flags it was built with, or why it was left portable. */
export const MARKER = "build-flags.txt";

export type NativeBuildPlan = { build: true; flags: string } | { build: false; reason: string };

export interface PlanInput {
  platform: NodeJS.Platform;
  arch: string;
  env: Record<string, string | undefined>;
  /** What the marker says the installed addon was built with, if there is one. */
  builtWith?: string;
}

export function nativeBuildPlan({ platform, arch, env, builtWith }: PlanInput): NativeBuildPlan {
  if (env.HNSWLIB_NO_NATIVE) return { build: false, reason: "HNSWLIB_NO_NATIVE is set" };
  // -march=native is a GCC/Clang flag; MSVC spells it differently, and on arm64 hnswlib has no kernels to gain.
  if (platform === "win32") return { build: false, reason: "Windows (MSVC) build left as shipped" };
  if (arch !== "x64") return { build: false, reason: `no SIMD kernels to unlock on ${arch}` };
  if (builtWith === NATIVE_FLAGS) return { build: false, reason: `already built with ${NATIVE_FLAGS}` };
  return { build: true, flags: NATIVE_FLAGS };
}

/**
 * The installed hnswlib-node: its folder, its compiled addon, the marker beside it, and the
 * portable addon kept after a native rebuild (so the bench can compare both in one run).
 */
export function hnswlibPaths() {
  const packageDir = dirname(createRequire(import.meta.url).resolve("hnswlib-node/package.json"));
  const build = join(packageDir, "build");
  return { packageDir, addon: join(build, "Release", "addon.node"), marker: join(build, MARKER), portableAddon: join(build, "portable", "addon.node") };
}

/** `npm rebuild hnswlib-node` with the flags added to CXXFLAGS (node-gyp's Makefiles read it). */
function npmRebuild(flags: string): boolean {
  // npm_execpath is npm itself when this runs as an npm script; outside npm, use the one on PATH.
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
  const env = { ...process.env, CXXFLAGS: `${process.env.CXXFLAGS ?? ""} ${flags}`.trim() };
  return spawnSync(npm[0], [...npm.slice(1), "rebuild", "hnswlib-node"], { env, stdio: "ignore" }).status === 0;
}

/** Loads the addon in a fresh process and checks one search against brute force. */
function addonWorks(packageDir: string): boolean {
  const check = `
    const { HierarchicalNSW } = require(${JSON.stringify(packageDir)});
    const dim = 24, n = 300, vectors = [];
    let seed = 1; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const index = new HierarchicalNSW("ip", dim);
    index.initIndex({ maxElements: n, m: 16, efConstruction: 100, randomSeed: 1 });
    for (let i = 0; i < n; i++) { const v = Array.from({ length: dim }, rnd); vectors.push(v); index.addPoint(v, i); }
    index.setEf(n);
    const query = Array.from({ length: dim }, rnd);
    const dot = (v) => v.reduce((s, x, i) => s + x * query[i], 0);
    const exact = vectors.map((v, i) => [i, dot(v)]).sort((a, b) => b[1] - a[1])[0][0];
    process.exit(index.searchKnn(query, 1).neighbors[0] === exact ? 0 : 1);`;
  return spawnSync(process.execPath, ["-e", check], { stdio: "ignore" }).status === 0;
}

export interface BuildHnswlibOptions {
  paths?: ReturnType<typeof hnswlibPaths>;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: Record<string, string | undefined>;
  /** Rebuilds the addon with these compiler flags; true when it succeeded. */
  rebuild?: (flags: string) => boolean;
  /** True when the freshly built addon loads and searches correctly. */
  check?: (packageDir: string) => boolean;
}

export function buildHnswlib(options: BuildHnswlibOptions = {}): string {
  const { paths, platform, arch, env, rebuild, check } = {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    rebuild: npmRebuild,
    check: addonWorks,
    ...options,
  };
  const { packageDir, addon, marker, portableAddon } = paths ?? hnswlibPaths();
  const builtWith = existsSync(marker) ? readFileSync(marker, "utf8").trim() : undefined;
  const plan = nativeBuildPlan({ platform, arch, env, builtWith });
  if (!plan.build) {
    if (!builtWith) writeFileSync(marker, `portable: ${plan.reason}\n`);
    return `hnswlib-node: not rebuilt (${plan.reason})`;
  }

  // Kept outside build/, which the rebuild wipes first.
  const backupDir = mkdtempSync(join(tmpdir(), "hnswlib-portable-"));
  const portable = join(backupDir, "addon.node");
  copyFileSync(addon, portable);
  try {
    if (rebuild(plan.flags) && check(packageDir)) {
      mkdirSync(dirname(portableAddon), { recursive: true });
      copyFileSync(portable, portableAddon);
      writeFileSync(marker, `${plan.flags}\n`);
      return `hnswlib-node: rebuilt with ${plan.flags} for this CPU (HNSWLIB_NO_NATIVE=1 keeps the portable build)`;
    }
    mkdirSync(dirname(addon), { recursive: true });
    copyFileSync(portable, addon);
    writeFileSync(marker, "portable: the native rebuild failed or its check did not pass\n");
    return "hnswlib-node: the native rebuild failed; the portable build is kept";
  } finally {
    rmSync(backupDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(buildHnswlib());
