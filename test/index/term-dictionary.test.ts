import { describe, expect, it } from "vitest";
import { createTermDictionary } from "../../src/index/term-dictionary";

describe("createTermDictionary", () => {
  it("gives each term one id for good, and a passage its ids in ascending order, one per occurrence", () => {
    const dictionary = createTermDictionary();
    expect(Array.from(dictionary.idsOf(["ب", "أ", "ب"]))).toEqual([0, 0, 1]);
    expect(Array.from(dictionary.idsOf(["ج", "أ"]))).toEqual([1, 2]);
    expect([dictionary.idOf("ب"), dictionary.idOf("أ"), dictionary.idOf("ج"), dictionary.idOf("د")]).toEqual([0, 1, 2, undefined]);
    expect(dictionary.size).toBe(3);
  });

  it("forks a copy that grows on its own: ids given before stay valid in both", () => {
    const running = createTermDictionary();
    running.idsOf(["أ", "ب"]);
    const next = running.fork();
    expect(Array.from(next.idsOf(["ج", "ب"]))).toEqual([1, 2]);
    expect(next.size).toBe(3);
    expect(running.size).toBe(2);
    expect(running.idOf("ج")).toBeUndefined();
  });
});
