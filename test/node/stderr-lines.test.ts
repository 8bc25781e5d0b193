// The server's log writer: lines are batched per event-loop turn, kept in order, and not lost when
// the process exits or crashes.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createBatchedLineWriter } from "../../src/node/stderr-lines";

describe("createBatchedLineWriter", () => {
  it("writes the lines of one turn in a single write, in order, at the end of the turn", async () => {
    const writes: string[] = [];
    const { write } = createBatchedLineWriter({ stream: { write: (text: string) => writes.push(text) } });
    write("a");
    write("b");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    write("c");
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });

  it("writes at once when too much text waits", () => {
    const writes: string[] = [];
    const { write } = createBatchedLineWriter({ stream: { write: (text: string) => writes.push(text) }, maxPendingChars: 10 });
    write("12345");
    write("67890");
    expect(writes).toEqual(["12345\n67890\n"]);
  });

  it("loses no line when the process exits or throws in the same turn", () => {
    const script = (ending: string) => `
      import { createBatchedLineWriter } from "./src/node/stderr-lines.ts";
      const { write } = createBatchedLineWriter();
      for (let i = 0; i < 3; i++) write("line " + i);
      ${ending}`;
    for (const ending of ["process.exit(3);", "throw new Error('boom');"]) {
      const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script(ending)], { encoding: "utf8" });
      expect(child.stderr).toMatch(/^line 0\nline 1\nline 2\n/);
      expect(child.status).not.toBe(0);
    }
  });
});
