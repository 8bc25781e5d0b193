// Node adapter: the primary of cluster mode (WORKERS > 1). It serves nothing itself; it keeps
// one index build at a time and several worker processes answering on the same port.
//
// Start: the first worker loads (or builds) the index and opens the port at once, as a single
// process would; the others are started one after another once it is ready, so they only load
// the stored index, and each opens the port only when it can answer.
// SIGHUP: the index is built once in a child process (npm run index); then every worker prepares
// its new engine in turn, and all swap together, so no two workers answer from different
// indexes for long. If any worker cannot prepare, all keep the previous index.
// SIGTERM/SIGINT: passed on to the workers, which finish their requests in flight; the primary
// exits 0 once they all have.
import cluster, { type Worker } from "node:cluster";
import type { Config } from "../config";
import type { Logger } from "../log";

export type ToWorker = { type: "prepare" } | { type: "swap" } | { type: "discard" };
export type ToPrimary = { type: "ready" } | { type: "prepared"; error?: string } | { type: "draining" };

/** Tells a worker whether to open the port before its engine is ready (only the first one does). */
export const WORKER_ROLE_ENV = "QA_WORKER_ROLE";
export type WorkerRole = "first" | "replica";

export interface PrimaryOptions {
  config: Config;
  log: Logger;
  workers: number;
  /** Runs the index build in a child process; rejects when it fails. */
  buildIndex: () => Promise<void>;
  /** Stops a running index build (on shutdown). */
  stopBuild: () => void;
}

export function runPrimary(options: PrimaryOptions): void {
  const { config, log, workers, buildIndex, stopBuild } = options;
  /** Workers that have answered "ready" and not exited. */
  const serving = new Set<Worker>();
  let draining = false;
  // Starting workers and rebuilding never overlap, so no two processes write the store at once.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => (queue = queue.then(task).catch((error) => log.error(`cluster: ${describe(error)}`)));

  /** Resolves with the worker's first message of `type`, or undefined when it exits first. */
  const reply = <T extends ToPrimary["type"]>(worker: Worker, type: T) =>
    new Promise<Extract<ToPrimary, { type: T }> | undefined>((resolve) => {
      const onMessage = (message: ToPrimary) => {
        if (message?.type !== type) return;
        worker.off("exit", onExit);
        worker.off("message", onMessage);
        resolve(message as Extract<ToPrimary, { type: T }>);
      };
      const onExit = () => {
        worker.off("message", onMessage);
        resolve(undefined);
      };
      worker.on("message", onMessage);
      worker.once("exit", onExit);
    });

  /** Per worker: settles once it has stopped listening (or exited). Listened for from the fork, since the
   * whole process group may get SIGTERM and a worker may report before the primary handles its own. */
  const stoppedListening = new Map<Worker, Promise<unknown>>();

  async function startWorker(role: WorkerRole): Promise<boolean> {
    const worker = cluster.fork({ [WORKER_ROLE_ENV]: role });
    stoppedListening.set(worker, reply(worker, "draining"));
    worker.once("exit", () => stoppedListening.delete(worker));
    const ready = await reply(worker, "ready");
    if (!ready) return false;
    serving.add(worker);
    worker.once("exit", (code, signal) => {
      serving.delete(worker);
      if (draining) return;
      log.warn(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
      enqueue(() => startWorker("replica").then(() => {}));
    });
    return true;
  }

  let rebuildRunning = false;
  let rebuildQueued = false;
  function rebuild(why: string): void {
    if (draining) return;
    if (rebuildQueued) return;
    if (rebuildRunning) log.info(`${why}: a build is already running; another will follow it`);
    rebuildQueued = true;
    enqueue(async () => {
      rebuildQueued = false;
      rebuildRunning = true;
      try {
        await rebuildAll(why);
      } finally {
        rebuildRunning = false;
      }
    });
  }

  async function rebuildAll(why: string): Promise<void> {
    if (draining) return;
    log.info(`${why}: rebuilding; the current index keeps answering until the new one is ready`);
    try {
      await buildIndex();
    } catch (error) {
      if (draining) return;
      // The child only keeps the workers responsive: the first worker to prepare builds instead.
      log.warn(`${describe(error)}; building in a worker process instead`);
    }
    const workers = [...serving];
    let failure: string | undefined;
    for (const worker of workers) {
      if (draining) return;
      const send = reply(worker, "prepared");
      worker.send({ type: "prepare" } satisfies ToWorker);
      const prepared = await send;
      if (prepared?.error) {
        failure = prepared.error;
        break;
      }
    }
    const outcome: ToWorker = failure || draining ? { type: "discard" } : { type: "swap" };
    for (const worker of workers) if (worker.isConnected()) worker.send(outcome);
    if (failure) log.error(`rebuild failed; still answering from the previous index: ${failure}`);
  }

  function shutdown(signal: NodeJS.Signals): void {
    if (draining) return;
    draining = true;
    stopBuild();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    // A worker still starting up may be ended by the signal itself before it handles it: it held no requests.
    const cleanExit = (code: number | null, by: string | null) => code === 0 || by === signal;
    const exits = workers.map(
      (w) => new Promise<boolean>((resolve) => (w.isDead() ? resolve(cleanExit(w.process.exitCode, w.process.signalCode)) : w.once("exit", (code, by) => resolve(cleanExit(code, by))))),
    );
    // Logged once every worker has closed its listener, so the port refuses connections from then on.
    Promise.all(workers.map((w) => stoppedListening.get(w))).then(() => log.info(`${signal}: refusing new connections, finishing the requests in flight, then exiting`));
    for (const worker of workers) worker.process.kill(signal);
    Promise.all(exits).then((clean) => {
      log.info("all connections closed; exiting");
      process.exit(clean.every(Boolean) ? 0 : 1);
    });
    setTimeout(() => {
      log.warn(`workers still running after ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`);
      for (const worker of workers) worker.process.kill("SIGKILL");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 2_000).unref();
  }

  log.info(`cluster: starting ${workers} worker processes (primary pid ${process.pid}: kill -HUP ${process.pid} reloads the corpus)`);
  enqueue(async () => {
    if (!(await startWorker("first"))) {
      // The worker said why (cannot start: ...); a second attempt would fail the same way.
      if (!draining) process.exit(1);
      return;
    }
    for (let i = 1; i < workers && !draining; i++) {
      if (!(await startWorker("replica")) && !draining) log.error("cluster: a worker could not start; serving with fewer");
    }
    if (!draining) log.info(`cluster: ${serving.size} workers ready`);
  });

  process.on("SIGHUP", () => rebuild("SIGHUP"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
