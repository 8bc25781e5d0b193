import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Guards the hand-written question sets: every gold must stay an exact, unambiguous
// substring of the article, so a scoring run measures the service and not a typo here.

type Turn = { role: "user" | "assistant"; content: string };
type Question = { id: string; lang: string; kind: string; question: string; gold: string[]; history?: Turn[] };

const KINDS = ["lexical", "paraphrase", "spelling", "crosslingual", "unanswerable"];
const article = readFileSync(new URL("../../corpus/000_c1add9699fc6f4ec.txt", import.meta.url), "utf8");
const paragraphs = article.split("\n").filter((line) => line.trim() !== "");

function load(name: string): Question[] {
  const text = readFileSync(new URL(name, import.meta.url), "utf8");
  return text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

const sets = {
  calibration: { prefix: "c", questions: load("./calibration.jsonl") },
  heldout: { prefix: "h", questions: load("./heldout.jsonl") },
  followups: { prefix: "f", questions: load("./followups.jsonl") },
  russian: { prefix: "r", questions: load("./russian.jsonl") },
  offtopic: { prefix: "o", questions: load("./offtopic.jsonl") },
};
const all = Object.values(sets).flatMap((set) => set.questions);
const sameQuestion = (q: string) => q.replace(/\s+/g, " ").trim();
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe.each(Object.entries(sets))("%s", (name, { prefix, questions }) => {
  it("numbers its ids in order with its own prefix", () => {
    const expected = questions.map((_, i) => `${prefix}${String(i + 1).padStart(2, "0")}`);
    expect(questions.map((q) => q.id)).toEqual(expected);
  });

  it("uses only the known kinds and languages", () => {
    for (const q of questions) {
      expect(name === "followups" ? ["followup"] : KINDS).toContain(q.kind);
      expect(["ar", "en", "fr", "ru", "de", "es"]).toContain(q.lang);
      expect(q.question.trim().length).toBeGreaterThan(0);
    }
  });

  it("quotes each gold verbatim, once, as a short span inside one paragraph", () => {
    for (const q of questions) {
      for (const gold of q.gold) {
        expect(article.includes(gold), `${q.id}: ${gold}`).toBe(true);
        expect(article.indexOf(gold), `${q.id} ambiguous: ${gold}`).toBe(article.lastIndexOf(gold));
        expect(gold.includes("\n"), q.id).toBe(false);
        expect(words(gold), `${q.id} length: ${gold}`).toBeGreaterThanOrEqual(3);
        expect(words(gold), `${q.id} length: ${gold}`).toBeLessThanOrEqual(16);
      }
    }
  });

  it("leaves gold empty exactly for unanswerable questions", () => {
    for (const q of questions) {
      if (q.kind === "unanswerable") expect(q.gold, q.id).toEqual([]);
      if (q.kind !== "unanswerable" && q.kind !== "followup") expect(q.gold.length, q.id).toBeGreaterThan(0);
    }
  });
});

describe("calibration and held-out splits", () => {
  it.each(["calibration", "heldout"] as const)("%s covers every paragraph of the article", (name) => {
    const golds = sets[name].questions.flatMap((q) => q.gold);
    paragraphs.forEach((paragraph, i) => {
      expect(golds.some((gold) => paragraph.includes(gold)), `paragraph ${i + 1}`).toBe(true);
    });
  });

  it.each(["calibration", "heldout"] as const)("%s has every kind", (name) => {
    const kinds = new Set(sets[name].questions.map((q) => q.kind));
    expect([...kinds].sort()).toEqual([...KINDS].sort());
  });

  it("never repeats a question across files or from the dev sample", () => {
    const devPath = new URL("../../../shared/eval/dev.jsonl", import.meta.url);
    const dev = existsSync(devPath)
      ? readFileSync(devPath, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Question)
      : [];
    const texts = [...all, ...dev].map((q) => sameQuestion(q.question));
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe("follow-ups", () => {
  it("carry a user/assistant history that ends with the assistant", () => {
    for (const q of sets.followups.questions) {
      expect(q.history?.length, q.id).toBeGreaterThanOrEqual(2);
      q.history!.forEach((turn, i) => expect(turn.role, q.id).toBe(i % 2 === 0 ? "user" : "assistant"));
    }
  });
});
