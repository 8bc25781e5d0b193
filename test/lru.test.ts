// The bounded cache (src/lru.ts).
import { describe, expect, it } from "vitest";
import { createLruCache, memoize } from "../src/lru";

describe("createLruCache", () => {
  it("forgets the least recently used entry beyond its limit", () => {
    const cache = createLruCache<number, string>(2);
    cache.set(1, "a");
    cache.set(2, "b");
    cache.get(1);
    cache.set(3, "c");
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(1)).toBe("a");
    expect(cache.get(3)).toBe("c");
  });
});

describe("memoize", () => {
  it("computes a key once while it is among the last `limit` used, and again after it is forgotten", () => {
    const computed: string[] = [];
    const upper = memoize((text: string) => (computed.push(text), text.toUpperCase()), 2);
    expect([upper("a"), upper("b"), upper("a"), upper("c"), upper("b")]).toEqual(["A", "B", "A", "C", "B"]);
    // "a" was used after "b", so "c" pushed "b" out, and it was computed again.
    expect(computed).toEqual(["a", "b", "c", "b"]);
  });
});
