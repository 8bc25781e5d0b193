// planUpdate's invariants over random old and new corpora with duplicates: every row gets a
// distinct label, a kept row keeps an old label of the same vector, new labels start at
// nextLabel, and every old label is either kept once or removed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planUpdate } from "../../src/index/incremental";

describe("planUpdate", () => {
  it("labels every row once, keeps what it can and retires the rest", () => {
    const keys = fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f"), { maxLength: 30 });
    fc.assert(
      fc.property(keys, keys, fc.nat(50), (oldKeys, newKeys, extra) => {
        const oldLabels = oldKeys.map((_, i) => i * 2 + 1); // labels need not be row numbers
        const nextLabel = oldKeys.length * 2 + 1 + extra;
        const plan = planUpdate(oldKeys, oldLabels, newKeys, nextLabel);
        const keyOfOld = new Map(oldLabels.map((label, i) => [label, oldKeys[i]]));

        expect(plan.labels).toHaveLength(newKeys.length);
        expect(new Set(plan.labels).size).toBe(newKeys.length);
        const added = new Set(plan.added);
        plan.labels.forEach((label, row) => {
          if (added.has(row)) expect(label).toBeGreaterThanOrEqual(nextLabel);
          else expect(keyOfOld.get(label)).toBe(newKeys[row]);
        });
        expect(plan.nextLabel).toBe(nextLabel + plan.added.length);
        const kept = plan.labels.filter((label) => keyOfOld.has(label));
        expect([...kept, ...plan.removed].sort((a, b) => a - b)).toEqual([...oldLabels].sort((a, b) => a - b));
        // As few insertions as the multisets allow.
        const count = (list: string[], key: string) => list.filter((k) => k === key).length;
        const needed = [...new Set(newKeys)].reduce((sum, key) => sum + Math.max(0, count(newKeys, key) - count(oldKeys, key)), 0);
        expect(plan.added.length).toBe(needed);
      }),
    );
  });

  it("refuses keys and labels of different lengths", () => {
    expect(() => planUpdate(["a"], [], [], 0)).toThrow(/1 old keys for 0 labels/);
  });
});
