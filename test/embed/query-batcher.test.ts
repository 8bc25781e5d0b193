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
  it("embeds a lone question at once, and questions arriving meanwhile together in the next pass", async () => {
    const { embedder, calls } = recordingEmbedder();
    const batcher = createQueryBatcher(embedder);
    const questions = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await Promise.all(questions.map((q) => batcher.embed([q], "query")));
    expect(vectors.map(([v]) => v[0])).toEqual([1, 2, 3, 4, 5]);
    // The first went alone; the four that came while it ran shared one pass, in order.
    expect(calls.map((c) => c.texts)).toEqual([["a"], ["bb", "ccc", "dddd", "eeeee"]]);
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
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
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
