import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { efSearchFor } from "../../src/index/ef-search";

describe("efSearchFor", () => {
  it("reads auto off the measured recall curve", () => {
    expect(efSearchFor(18)).toBe(64); // a single article: the floor
    expect(efSearchFor(1_000)).toBe(64);
    expect(efSearchFor(10_000)).toBe(128); // recall@10 0.98 at 10k
    expect(efSearchFor(100_000)).toBe(512); // 0.98 at 100k, where 256 gives 0.93
    expect(efSearchFor(10_000_000)).toBe(1024); // the ceiling
  });
  it("returns a fixed setting unchanged", () => {
    expect(efSearchFor(100_000, 200)).toBe(200);
  });
  it("never shrinks as the corpus grows, and stays a power of two within bounds", () => {
    fc.assert(
      fc.property(fc.nat(5_000_000), fc.nat(5_000_000), (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const ef = efSearchFor(large);
        expect(efSearchFor(small)).toBeLessThanOrEqual(ef);
        expect(Math.log2(ef) % 1).toBe(0);
        expect(ef).toBeGreaterThanOrEqual(64);
        expect(ef).toBeLessThanOrEqual(1024);
      }),
    );
  });
});
