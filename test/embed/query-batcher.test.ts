// Concurrent questions share forward passes, each gets its own vectors back in order, a failed
// pass fails only the questions in it, and passages go straight through.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createQueryBatcher } from "../../src/embed/query-batcher";
import type { Embedder, EmbedKind } from "../../src/types";

/** A fake model: a text's vector is [its length, a marker of the kind], and every call is recorded. */
function recordingEmbedder(fail?: (texts: string[]) => boolean) {
  const calls: { texts: string[]; kind: EmbedKind }[] = [];
  const embedder: Embedder = {
    id: "fake",
    dimension: 2,
    async embed(texts, kind) {
      calls.push({ texts, kind });
      await new Promise((r) => setTimeout(r, 5));
      if (fail?.(texts)) throw new Error("the model failed");
      return texts.map((t) => Float32Array.from([t.length, kind === "query" ? 1 : 2]));
    },
  };
  return { embedder, calls };
}

describe("createQueryBatcher", () => {
  it("embeds questions that arrive together in one pass, and those arriving during a pass in the next", async () => {
    const { embedder, calls } = recordingEmbedder();
    const batcher = createQueryBatcher(embedder);
    const together = Promise.all(["a", "bb", "ccc"].map((q) => batcher.embed([q], "query")));
    await new Promise((r) => setTimeout(r, 2)); // the first pass is running (the fake model takes 5 ms)
    const later = Promise.all(["dddd", "eeeee"].map((q) => batcher.embed([q], "query")));
    expect([...(await together), ...(await later)].map(([v]) => v[0])).toEqual([1, 2, 3, 4, 5]);
    expect(calls.map((c) => c.texts)).toEqual([["a", "bb", "ccc"], ["dddd", "eeeee"]]);
  });

  it("keeps every request's vectors its own, whatever the sizes and maxBatch", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 6 }), async (requests, maxBatch) => {
        const { embedder, calls } = recordingEmbedder();
        const batcher = createQueryBatcher(embedder, { maxBatch });
        const results = await Promise.all(requests.map((texts) => batcher.embed(texts, "query")));
        results.forEach((vectors, i) => expect(vectors.map((v) => v[0])).toEqual(requests[i].map((t) => t.length)));
        // No pass over maxBatch texts, unless one request alone is larger.
        for (const call of calls) expect(call.texts.length <= maxBatch || requests.some((r) => r.length === call.texts.length)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it("fails the questions of a failed pass only, and goes on with the next", async () => {
    const { embedder } = recordingEmbedder((texts) => texts.includes("bad"));
    const batcher = createQueryBatcher(embedder, { maxBatch: 2 });
    const results = await Promise.allSettled([batcher.embed(["first"], "query"), batcher.embed(["bad"], "query"), batcher.embed(["x"], "query"), batcher.embed(["later"], "query")]);
    // "first" and "bad" shared the failed pass; "x" and "later" the next one.
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "fulfilled", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error("the model failed"));
  });

  it("sends passages straight to the model, unbatched, and keeps the model's id and dimension", async () => {
    const { embedder, calls } = recordingEmbedder();
    const batcher = createQueryBatcher(embedder);
    await Promise.all([batcher.embed(["p1", "p2"], "passage"), batcher.embed(["p3"], "passage")]);
    expect(calls).toEqual([{ texts: ["p1", "p2"], kind: "passage" }, { texts: ["p3"], kind: "passage" }]);
    expect(await batcher.embed([], "query")).toEqual([]);
    expect([batcher.id, batcher.dimension]).toEqual(["fake", 2]);
    expect(() => createQueryBatcher(embedder, { maxBatch: 0 })).toThrow(/maxBatch must be a positive integer/);
    expect(() => createQueryBatcher(embedder, { maxQueueMs: 1.5 })).toThrow(/maxQueueMs must be a positive integer/);
  });
});

// A pass blocks the event loop for as long as the model runs, and long questions cost the most.
describe("createQueryBatcher under a flood of long questions", () => {
  it("caps a pass by characters, but never splits a request or refuses a lone long one", async () => {
    const { embedder, calls } = recordingEmbedder();
    const batcher = createQueryBatcher(embedder, { maxBatchChars: 10 });
    const texts = ["a".repeat(4), "b".repeat(4), "c".repeat(4), "d".repeat(4), "e".repeat(30)];
    await Promise.all(texts.map((t) => batcher.embed([t], "query")));
    // 4 + 4 = 8 ≤ 10 characters go together, a third would make 12; the 30-character one goes alone.
    expect(calls.map((c) => c.texts.map((t) => t[0]).join(""))).toEqual(["ab", "cd", "e"]);
    expect((await batcher.embed(["x".repeat(50)], "query"))[0][0]).toBe(50);
  });

  it("lets timers run between passes, so a timeout or a health check is not held up by the whole queue", async () => {
    // Each fake pass blocks synchronously, as onnxruntime-node's does.
    const passes: string[] = [];
    const blocking: Embedder = {
      id: "blocking",
      dimension: 1,
      async embed(texts) {
        const until = Date.now() + 20;
        while (Date.now() < until);
        passes.push(texts.join(""));
        return texts.map(() => Float32Array.from([1]));
      },
    };
    const batcher = createQueryBatcher(blocking, { maxBatch: 1 });
    let timerRanAfter = -1;
    const all = Promise.all(["1", "2", "3", "4"].map((t) => batcher.embed([t], "query")));
    setTimeout(() => (timerRanAfter = passes.length), 0);
    await all;
    expect(passes).toHaveLength(4);
    expect(timerRanAfter).toBeGreaterThan(0);
    expect(timerRanAfter).toBeLessThan(4);
  });

  it("refuses with BUSY what would wait past maxQueueMs, and takes questions again once the queue drains", async () => {
    const { embedder } = recordingEmbedder();
    // Before any pass is timed the model is taken to embed 2 characters a ms: 5 ms is 10 characters.
    const batcher = createQueryBatcher(embedder, { maxQueueMs: 5 });
    const running = batcher.embed(["a long question, alone in its pass"], "query");
    await new Promise((r) => setTimeout(r, 2)); // its pass is running: what comes now waits
    const results = await Promise.allSettled(["aaaa", "bbbb", "cccc", "dd"].map((t) => batcher.embed([t], "query")));
    await running;
    // 4 + 4 characters wait, "cccc" would make 12 > 10, "dd" makes 10.
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: "BUSY" });
    expect(await batcher.embed(["again"], "query")).toHaveLength(1);
  });

  it("estimates the wait at the speed the passes ran, so a slow machine sheds load sooner", async () => {
    // A model embedding 1 character a ms, half the first guess.
    const slow: Embedder = {
      id: "slow",
      dimension: 1,
      async embed(texts) {
        await new Promise((r) => setTimeout(r, texts.join("").length));
        return texts.map(() => Float32Array.from([1]));
      },
    };
    const batcher = createQueryBatcher(slow, { maxQueueMs: 30 });
    for (let i = 0; i < 4; i++) await batcher.embed(["x".repeat(50)], "query");
    const running = batcher.embed(["y".repeat(50)], "query");
    await new Promise((r) => setTimeout(r, 5));
    const results = await Promise.allSettled(["a", "b", "c", "d"].map((letter) => batcher.embed([letter.repeat(10)], "query")));
    await running;
    // At the first guess (2 a ms) 40 characters would wait 20 ms and all four would go in; at the
    // measured speed (1 a ms at most) the fourth would wait 40 ms > 30.
    expect(results[0].status).toBe("fulfilled");
    expect(results[1].status).toBe("fulfilled");
    expect(results[3]).toMatchObject({ status: "rejected", reason: { code: "BUSY" } });
  });
});

describe("createQueryBatcher and token vectors", () => {
  it("passes a model's token vectors straight through, and has none when the model has none", async () => {
    const { embedder } = recordingEmbedder();
    expect(createQueryBatcher(embedder).embedTokens).toBeUndefined();
    const tokens = [[Float32Array.from([1, 0])]];
    const withTokens: Embedder = { ...embedder, embedTokens: async (texts) => texts.map(() => tokens[0]) };
    expect(await createQueryBatcher(withTokens).embedTokens!(["a", "b"])).toEqual([tokens[0], tokens[0]]);
  });
});
