// The job queue on its own: one rebuild at a time in arrival order, per-file errors from the
// loader's warnings, a failure that names its cause.
import { describe, expect, it } from "vitest";
import { createJobQueue, type RebuildListener, type RebuildOutcome } from "../../src/node/jobs";
import type { Job } from "../../src/schemas";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe("createJobQueue", () => {
  it("runs one rebuild at a time, in the order the jobs came", async () => {
    const runs: { listener: RebuildListener; done: ReturnType<typeof deferred<RebuildOutcome>> }[] = [];
    const queue = createJobQueue({
      rebuild: (listener) => {
        const done = deferred<RebuildOutcome>();
        runs.push({ listener, done });
        return done.promise;
      },
    });
    const a = queue.enqueue("upload", [{ document: "uploads-a", file: "uploads/a.txt" }]);
    const b = queue.enqueue("delete", [{ document: "uploads-b", file: "uploads/b.txt" }]);
    await until(() => runs.length === 1);
    expect(queue.get(b.id)!.stage).toBe("queued");
    runs[0].listener.stage("extracting");
    runs[0].listener.progress({ stage: "passages", done: 3, total: 10, perSecond: 30, secondsLeft: 1 });
    expect(queue.get(a.id)).toMatchObject({ stage: "embedding", done: 3, total: 10, perSecond: 30, secondsLeft: 1 });
    expect(runs).toHaveLength(1); // b waits for a
    runs[0].done.resolve({ warnings: [], hasDocument: () => true });
    await until(() => runs.length === 2);
    expect(queue.get(a.id)!.stage).toBe("done");
    runs[1].done.resolve({ warnings: [], hasDocument: () => false });
    await until(() => queue.get(b.id)!.stage === "done");
    expect(queue.get(b.id)!.errors).toEqual([]); // a deletion's document is meant to be gone
  });

  it("lists the loader's warnings per file, and says so when a file gave no document and no warning", async () => {
    const queue = createJobQueue({
      rebuild: async () => ({
        warnings: [{ file: "uploads/a.txt", code: "CORPUS_EMPTY", message: "Skipping uploads/a.txt: it has no text." }, { file: "other.txt", code: "CORPUS_EMPTY", message: "x" }],
        hasDocument: (id) => id === "uploads-c",
      }),
    });
    const job = queue.enqueue("upload", [
      { document: "uploads-a", file: "uploads/a.txt" },
      { document: "uploads-b", file: "uploads/b.pdf" },
      { document: "uploads-c", file: "uploads/c.txt" },
    ]);
    await until(() => queue.get(job.id)!.stage === "done");
    expect(queue.get(job.id)!.errors).toEqual([
      { document: "uploads-a", code: "CORPUS_EMPTY", message: "Skipping uploads/a.txt: it has no text." },
      { document: "uploads-b", code: "UPLOAD_NOT_INDEXED", message: expect.stringContaining("uploads/b.pdf") },
    ]);
  });

  it("a failed rebuild fails its job with the reason and the next job still runs", async () => {
    let calls = 0;
    const queue = createJobQueue({
      rebuild: async () => {
        if (calls++ === 0) throw new Error("out of memory");
        return { warnings: [], hasDocument: () => true };
      },
    });
    const seen: Job["stage"][] = [];
    const first = queue.enqueue("upload", [{ document: "uploads-a", file: "uploads/a.txt" }]);
    queue.subscribe(first.id, (job) => seen.push(job.stage));
    const second = queue.enqueue("upload", [{ document: "uploads-b", file: "uploads/b.txt" }]);
    await until(() => queue.get(second.id)!.stage === "done");
    expect(queue.get(first.id)).toMatchObject({ stage: "failed", error: { code: "INDEXING_FAILED", message: expect.stringContaining("out of memory") } });
    expect(seen).toEqual(["failed"]);
  });

  it("forgets the oldest finished jobs beyond `keep`", async () => {
    const queue = createJobQueue({ rebuild: async () => ({ warnings: [], hasDocument: () => true }), keep: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(queue.enqueue("upload", []).id);
      await until(() => queue.get(ids[i])!.stage === "done");
    }
    expect(ids.map((id) => queue.get(id) !== undefined)).toEqual([false, false, true, true]);
  });
});
