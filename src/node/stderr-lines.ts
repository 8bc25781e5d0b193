// Node adapter: log lines written to stderr in batches. Writing to a pipe is synchronous on Linux,
// so a line per request cost a system call per request (about 5% of an answer's CPU under load).
// Lines wait at most until the end of the current event-loop turn, and are written synchronously
// when the process exits, so none is lost to a normal exit or an uncaught error.
export interface LineWriterOptions {
  /** Where the lines go (default: process.stderr, which handles pipes, files and terminals). */
  stream?: { write(text: string): unknown };
  /** Written at once when this many characters wait, without waiting for the turn to end. */
  maxPendingChars?: number;
}

export function createBatchedLineWriter(options: LineWriterOptions = {}): { write: (line: string) => void; flush: () => void } {
  const { stream, maxPendingChars } = { stream: process.stderr, maxPendingChars: 64 * 1024, ...options };
  let pending: string[] = [];
  let pendingChars = 0;
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join("\n") + "\n";
    pending = [];
    pendingChars = 0;
    stream.write(text);
  }

  process.on("exit", flush);
  return {
    write(line) {
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= maxPendingChars) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
