// Guards the near-miss set (nearmiss.jsonl, scored by scripts/near-miss.ts): each near-miss
// question follows its answerable twin, whose gold is an exact, unambiguous quote of one of the
// three documents it is asked of (the seed article and documents/*.txt).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Question = { id: string; lang: string; kind: string; question: string; gold: string[] };
const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const documents = [read("../../corpus/000_c1add9699fc6f4ec.txt"), read("./documents/desalination.txt"), read("./documents/library.txt")];
const questions: Question[] = read("./nearmiss.jsonl").split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));

describe("nearmiss.jsonl", () => {
  it("holds at least 40 near-miss questions, each after its twin, ids in order", () => {
    expect(questions.map((q) => q.id)).toEqual(questions.map((_, i) => `n${String(i + 1).padStart(2, "0")}`));
    questions.forEach((q, i) => expect(q.kind, q.id).toBe(i % 2 === 0 ? "twin" : "nearmiss"));
    expect(questions.filter((q) => q.kind === "nearmiss").length).toBeGreaterThanOrEqual(40);
    for (let i = 0; i < questions.length; i += 2) expect(questions[i + 1].lang, questions[i].id).toBe(questions[i].lang);
  });

  it("quotes each twin's gold once in one document; near misses have none", () => {
    for (const q of questions) {
      if (q.kind === "nearmiss") {
        expect(q.gold, q.id).toEqual([]);
        continue;
      }
      expect(q.gold.length, q.id).toBe(1);
      const occurrences = documents.reduce((n, text) => n + text.split(q.gold[0]).length - 1, 0);
      expect(occurrences, `${q.id}: ${q.gold[0]}`).toBe(1);
    }
  });

  it("never repeats a question", () => {
    expect(new Set(questions.map((q) => q.question)).size).toBe(questions.length);
  });
});
