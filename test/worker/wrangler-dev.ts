// Starts `wrangler dev` (local workerd, offline) on free loopback ports for the Worker tests, and
// stops its whole process group afterwards. Resolves to undefined with the reason when it cannot start.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface WranglerDev {
  url: string;
  /** Milliseconds from spawn until the server answered a request that needs no engine. */
  startMs: number;
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface WranglerDevOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Worker variables overriding wrangler.toml's [vars]. */
  vars?: Record<string, string>;
}

export async function startWranglerDev(options: WranglerDevOptions = {}): Promise<WranglerDev | { failed: string }> {
  const { cwd, timeoutMs, vars } = { cwd: process.cwd(), timeoutMs: 90_000, vars: {}, ...options };
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  let log = "";
  let child: ChildProcess;
  try {
    const args = ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--local", "--inspector-port", String(inspectorPort), "--log-level", "warn"];
    for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
    child = spawn(
      "npx",
      args,
      // Own process group, so stop() reaches npx, wrangler and workerd together.
      { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" } },
    );
  } catch (error) {
    return { failed: `cannot spawn npx wrangler: ${String(error)}` };
  }
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => ((exited = true), resolve()));
    // e.g. ENOENT when npx is not on PATH: reported instead of an exit.
    child.once("error", (error) => ((log += `\n${error.message}`), (exited = true), resolve()));
  });

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const killed = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    if (!killed) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };

  // Readiness: a static asset, so the probe does not build the engine (the cold start is measured after).
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${url}/favicon.svg`);
      if (response.ok) {
        await response.arrayBuffer();
        return { url, startMs: performance.now() - started, output: () => log, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  const tail = log.trim().split("\n").slice(-15).join("\n");
  return { failed: exited ? `wrangler dev exited:\n${tail}` : `wrangler dev did not answer within ${timeoutMs} ms:\n${tail}` };
}
