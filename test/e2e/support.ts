// Starting and stopping the real server for the browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export const CHROMIUM = "/usr/bin/chromium";
export const READY_TIMEOUT_MS = 180_000;
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export interface RunningServer {
  base: string;
  stop(): Promise<void>;
}

/** `npx tsx src/server/node.ts` on a free port with `env` added; resolves once /api/health says ready. */
export async function startServer(env: Record<string, string> = {}, entry = "src/server/node.ts"): Promise<RunningServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = "";
  // detached: its own process group, so stopping it also stops the tsx/node children npx starts.
  const server: ChildProcess = spawn("npx", ["tsx", entry], {
    // No rate limit: a test run loads the page (a dozen files) far more often than one reader would.
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "0", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (d) => (log += d));
  server.stderr?.on("data", (d) => (log += d));
  let stopping = false;
  // A server that dies during the run says why, instead of leaving only "connection refused" behind.
  server.once("exit", (code, signal) => {
    if (!stopping) console.error(`server ${base} exited (${signal ?? code}) during the tests:\n${log.slice(-4000)}`);
  });
  const stop = async () => {
    stopping = true;
    if (!server.pid || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-server.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (server.exitCode === null && server.signalCode === null) kill("SIGKILL");
  };
  try {
    await waitForHealth(`${base}/api/health`, () => server.exitCode !== null, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, stop };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function waitForHealth(url: string, exited: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`server exited before it was ready:\n${log()}`);
    const ready = await fetch(url)
      .then(async (r) => r.ok && ((await r.json()) as { ready?: boolean }).ready === true)
      .catch(() => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server not ready after ${READY_TIMEOUT_MS} ms:\n${log()}`);
}
