// corpus.json: the corpus's own example questions, loaded beside the documents and never indexed.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_EXAMPLES, parseCorpusMetadata } from "../../src/corpus/corpus-metadata";
import { loadCorpusDir } from "../../src/corpus/load-node";

describe("parseCorpusMetadata", () => {
  it("keeps trimmed example questions with their language, ignoring unknown keys", () => {
    const { metadata, problem } = parseCorpusMetadata({ examples: [{ question: "  سؤال؟ ", language: "ar" }, { question: "Why?" }], owner: "x" });
    expect(problem).toBeUndefined();
    expect(metadata.examples).toEqual([{ question: "سؤال؟", language: "ar" }, { question: "Why?" }]);
    expect(parseCorpusMetadata({}).metadata.examples).toEqual([]);
  });

  it.each([
    [[], "the file"],
    [{ examples: "سؤال" }, '"examples"'],
    [{ examples: [{ question: "" }] }, '"examples.0.question"'],
    [{ examples: [{ question: "x".repeat(1001) }] }, '"examples.0.question"'],
    [{ examples: Array.from({ length: MAX_EXAMPLES + 1 }, () => ({ question: "q" })) }, '"examples"'],
  ])("reports %j as a problem naming %s, with no examples", (value, where) => {
    const { metadata, problem } = parseCorpusMetadata(value);
    expect(metadata.examples).toEqual([]);
    expect(problem).toContain(where);
  });
});

describe("loadCorpusDir and corpus.json", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "corpus-meta-"));
    await writeFile(join(dir, "a.txt"), "نص الوثيقة الأولى.");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("loads the examples, does not take corpus.json for a document, and does not change the index hash", async () => {
    const without = await loadCorpusDir(dir);
    expect(without.corpus.examples).toBeUndefined();
    await writeFile(join(dir, "corpus.json"), JSON.stringify({ examples: [{ question: "ما النص؟", language: "ar" }] }));
    const loaded = await loadCorpusDir(dir);
    expect(loaded.corpus.examples).toEqual([{ question: "ما النص؟", language: "ar" }]);
    expect(loaded.corpus.documents.map((d) => d.id)).toEqual(["a"]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.hash).toBe(without.hash);
  });

  it("warns about a bad corpus.json and still loads the documents", async () => {
    await writeFile(join(dir, "corpus.json"), "{ not json");
    const loaded = await loadCorpusDir(dir);
    expect(loaded.corpus.documents).toHaveLength(1);
    expect(loaded.corpus.examples).toBeUndefined();
    expect(loaded.warnings).toEqual([expect.objectContaining({ file: "corpus.json", code: "CORPUS_BAD_METADATA" })]);
    expect(loaded.warnings[0].message).toContain("not valid JSON");
  });

  it("the project's corpus has examples; the 40-article XQuAD corpus has none", async () => {
    expect((await loadCorpusDir("corpus")).corpus.examples?.length).toBeGreaterThan(0);
    expect((await loadCorpusDir("../shared/eval/xquad/corpus")).corpus.examples).toBeUndefined();
  });
});
