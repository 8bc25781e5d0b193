// A short run of scripts/load-test.ts: npm start under 64 connections answers every request.
import { spawn } from "node:child_process";
import { missingModelFiles } from "../../src/embed/transformers";
import { afterAll, expect, it } from "vitest";

let group: number | undefined;
afterAll(() => {
  // The script kills its server itself; this covers the script dying first.
  if (group) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

it("2 s at 64 connections: no errors, timeouts or non-2xx, bounded memory", { timeout: 90_000 }, async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/load-test.ts", "--duration", "2", "--json"], {
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  group = child.pid;
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
  expect(summary, stdout).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 });
  expect(summary.requests).toBeGreaterThan(50);
  // The default configuration: with the multilingual model on disk the server holds its ONNX
  // session (about 600 MB for the 127 MB converted file) and transformers.js' tokenizer (about 215 MB).
  expect(summary.rssMb.peak).toBeLessThan(missingModelFiles("models", "Xenova/multilingual-e5-small").length === 0 ? 1800 : 1024);
  expect(code).toBe(0);
});
