// Shared by the reliability tests and scripts: generated corpora and real server processes.
// Every process starts in its own process group, so one kill reaches it and anything it spawned.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const REAL_ARTICLE = "corpus/000_c1add9699fc6f4ec.txt";

/**
 * Writes `documents` files of Arabic-looking prose made from the real article's words, about
 * `passagesPerDocument` passages each (6 sentences per paragraph → 3 passages with window 3, stride 2).
 */
export async function generateCorpus(dir: string, options: { documents: number; passagesPerDocument: number; seed?: number }): Promise<void> {
  const words = (await readFile(REAL_ARTICLE, "utf8")).split(/[\s.،؛:“”()–-]+/).filter((w) => w.length > 2);
  let state = options.seed ?? 1;
  // A small deterministic generator (mulberry32), so every run builds the same corpus.
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const sentence = () => Array.from({ length: 8 + Math.floor(random() * 8) }, () => words[Math.floor(random() * words.length)]).join(" ") + ".";
  const paragraph = () => Array.from({ length: 6 }, sentence).join(" ");
  await mkdir(dir, { recursive: true });
  for (let d = 0; d < options.documents; d++) {
    const paragraphs = Array.from({ length: Math.ceil(options.passagesPerDocument / 3) }, paragraph);
    await writeFile(join(dir, `generated-${String(d).padStart(4, "0")}.txt`), paragraphs.join("\n\n") + "\n");
  }
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything written to stderr so far (the log). */
  log: () => string;
  /** Resolves with the first log line matching, or rejects after timeoutMs or when the process exits. */
  waitForLog: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole process group. */
  signal: (signal: NodeJS.Signals) => void;
}

const running = new Set<ChildProcess>();

/** Starts a TypeScript entry point under node + tsx (one process, so signals reach the code itself). */
export function startProcess(entry: string, env: Record<string, string>, args: string[] = []): ServerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group
  });
  running.add(child);
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const listener of listeners) listener();
    }),
  );

  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };

  const waitForLog = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stderr.match(pattern);
        if (match) return done(() => resolve(match));
        if (child.exitCode !== null || child.signalCode !== null) {
          done(() => reject(new Error(`process exited before logging ${pattern}; log:\n${stderr}`)));
        }
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; log:\n${stderr}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  return { child, log: () => stderr, waitForLog, exited, signal };
}

/** Starts the HTTP server on a free port and resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess & { url: string }> {
  const server = startProcess("src/server/node.ts", { PORT: "0", HOST: "127.0.0.1", ...env });
  const [, url] = await server.waitForLog(/listening on (http:\/\/[^\s]+)/);
  return { ...server, url };
}

/** For afterEach/afterAll: kills every process group still running, even when a test failed midway. */
export async function killAll(): Promise<void> {
  const children = [...running];
  for (const child of children) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once("exit", r)))));
}

/** Polls until check() returns a value other than undefined. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
