import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fidelity } from "./fidelity";

describe("fidelity", () => {
  it("is 1 for texts equal after normalisation, and counts what differs", () => {
    expect(fidelity("لا  إله\nهنا", "ﻻ إله هنا")).toBe(1);
    expect(fidelity("abcd", "abxd")).toBeCloseTo(0.75, 5);
    expect(fidelity("abc", "")).toBe(0);
  });

  it("matches the plain LCS ratio on random strings", () => {
    const lcs = (a: string, b: string) => {
      const row = new Array(b.length + 1).fill(0);
      for (const ca of a) {
        let diagonal = 0;
        for (let j = 1; j <= b.length; j++) {
          const above = row[j];
          row[j] = ca === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
          diagonal = above;
        }
      }
      return row[b.length];
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[abc]{0,30}$/), fc.stringMatching(/^[abc]{0,30}$/), (a, b) => {
        const expected = a.length + b.length === 0 ? 1 : (2 * lcs(a, b)) / (a.length + b.length);
        expect(fidelity(a, b)).toBeCloseTo(expected, 10);
      }),
    );
  });
});
