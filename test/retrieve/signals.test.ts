import { describe, expect, it } from "vitest";
import { createLruCache, createNearMatcher, shortestWindow } from "../../src/retrieve/signals";

describe("shortestWindow", () => {
  it("finds the shortest run of words holding every group", () => {
    // group 0 at words 0 and 9, group 1 at word 10: the run 9–10 holds both.
    expect(shortestWindow([[0, 0], [9, 0], [10, 1]], 2)).toBe(2);
    expect(shortestWindow([[2, 0], [5, 1], [7, 2]], 3)).toBe(6);
    expect(shortestWindow([], 2)).toBe(Infinity);
  });
});

describe("createNearMatcher", () => {
  const terms = (...t: string[]) => new Map(t.map((x) => [x, [0]]));
  it("matches a stem the stemmers missed by its long common core, and nothing short", () => {
    const near = createNearMatcher();
    expect(near("يتعلق", terms("متعلقت"))).toBe(1); // تعلق: 4 letters, ≥ 60% of 6
    expect(near("استراليا", terms("حالي"))).toBe(0); // الي: 3 letters, < 60% of 8
    expect(near("2024", terms("2024"))).toBe(0); // numbers match exactly or not at all
    expect(near("تحدد", terms("~تحدد"))).toBe(0); // marked (Snowball/root) terms are already loose
  });
});

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
