import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCorpus, type CorpusFile } from "../../src/corpus/build";

// Names whose ids collide ("a b" and "a-b", "sub/a" and "sub-a", "a.txt" and "a.md"), so that an
// added or removed file moves another's id; contents that are good, duplicates of each other, empty,
// binary, bad UTF-8 or carry front matter; sidecars that set, change or break metadata.
const names = ["a.txt", "a.md", "a b.txt", "a-b.txt", "sub/a.txt", "sub-a.txt", "z.txt"];
const texts = [
  "قال الوزير إن الاتفاق وقع. وأضاف أن التنفيذ يبدأ غداً.",
  "قال الوزير إن الاتفاق وقع. وأضاف أن التنفيذ يبدأ غداً.\n",
  "فقرة أولى.\n\nفقرة ثانية فيها جملتان. هذه الثانية!",
  "An English paragraph. Another sentence?",
  "---\ntitle: عنوان\nlanguage: fa\n---\nنص بعد الترويسة.",
  "---\nnot a key line\n---\nنص.",
  " \u200f \n",
  "",
];
const contents = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...texts).map((text) => new TextEncoder().encode(text)) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array([0x41, 0x00, 0x42])) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array([0xd8, 0xff, 0x2e])) },
);
const sidecars = fc.constantFrom<CorpusFile["meta"] | undefined>(undefined, { title: "من ملف الوصف" }, { title: "آخر", language: "ar" }, { title: 7 as unknown as string });
const fileSet = fc.dictionary(fc.constantFrom(...names), fc.record({ bytes: contents, meta: sidecars }), { maxKeys: names.length });

const keyOf = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const asFiles = (set: Record<string, { bytes: Uint8Array; meta: CorpusFile["meta"] | undefined }>): CorpusFile[] =>
  Object.entries(set).map(([name, { bytes, meta }]) => ({ name, bytes, contentKey: keyOf(bytes), ...(meta && { meta }) }));

describe("buildCorpus with reuse", () => {
  it("gives exactly the corpus and warnings of a fresh build, whatever changed in between", () => {
    fc.assert(
      fc.property(fileSet, fileSet, fc.array(fc.constantFrom(...names)), (before, changes, removed) => {
        const after = { ...before, ...changes };
        for (const name of removed) delete after[name];
        const earlier = buildCorpus(asFiles(before), { windowSize: 2, stride: 1 });
        const reused = buildCorpus(asFiles(after), { windowSize: 2, stride: 1, reuse: earlier.parsedFiles });
        const fresh = buildCorpus(asFiles(after), { windowSize: 2, stride: 1 });
        expect(reused.corpus).toEqual(fresh.corpus);
        expect(reused.warnings).toEqual(fresh.warnings);
        // Spans still point into the text they came from.
        const textOf = new Map(reused.corpus.documents.map((d) => [d.id, d.text]));
        for (const s of reused.corpus.sentences) expect(textOf.get(s.docId)!.slice(s.start, s.end)).toBe(s.text);
      }),
      { numRuns: 500 },
    );
  });
});
