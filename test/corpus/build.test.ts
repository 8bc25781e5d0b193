import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCorpus, detectLanguage, documentId, type CorpusFile } from "../../src/corpus/build";
import { AppError } from "../../src/errors";

const utf8 = (text: string) => new TextEncoder().encode(text);
const file = (name: string, text: string, meta?: CorpusFile["meta"]): CorpusFile => ({ name, bytes: utf8(text), meta });
const good = file("good.txt", "جملة أولى. جملة ثانية.");
const articleBytes = readFileSync(new URL("../../corpus/000_c1add9699fc6f4ec.txt", import.meta.url));

/** Codes of the warnings for one bad file built alongside a good one; the good one must index. */
function warningsFor(bad: CorpusFile, options = {}) {
  const { corpus, warnings } = buildCorpus([good, bad], options);
  expect(corpus.documents.map((d) => d.id)).toContain("good");
  return warnings.filter((w) => w.file === bad.name).map((w) => w.code);
}

describe("buildCorpus", () => {
  it("indexes the real article with sidecar metadata, offsets intact", () => {
    const meta = JSON.parse(readFileSync(new URL("../../corpus/000_c1add9699fc6f4ec.meta.json", import.meta.url), "utf8"));
    const { corpus, warnings } = buildCorpus([{ name: "000_c1add9699fc6f4ec.txt", bytes: articleBytes, meta }]);
    expect(warnings).toEqual([]);
    const [document] = corpus.documents;
    expect(document.id).toBe("000_c1add9699fc6f4ec");
    expect(document.text).toBe(new TextDecoder().decode(articleBytes));
    expect(document.meta).toEqual({
      title: "روسيا وبيلاروسيا تتبنيان مفهوماً أمنياً جديداً لدولة الاتحاد في 2025",
      source: "رياليست عربي، مينسك",
      language: "ar",
    });
    expect(document.paragraphs).toHaveLength(18);
    expect(corpus.sentences).toHaveLength(20);
    for (const s of corpus.sentences) expect(document.text.slice(s.start, s.end)).toBe(s.text);
    // 18 one-passage paragraphs (none has more than 3 sentences).
    expect(corpus.passages).toHaveLength(18);
  });

  it("skips each kind of bad file with its own warning, and still indexes the rest", () => {
    expect(warningsFor({ name: "bin.txt", bytes: new Uint8Array([0x41, 0x00, 0x42]) })).toEqual(["CORPUS_BINARY"]);
    expect(warningsFor(file("empty.txt", ""))).toEqual(["CORPUS_EMPTY"]);
    expect(warningsFor(file("blank.txt", " \n\r\n\t\u200f\n"))).toEqual(["CORPUS_EMPTY"]);
    expect(warningsFor(file("only-front.md", "---\ntitle: T\n---\n\n"))).toEqual(["CORPUS_EMPTY"]);
    expect(warningsFor({ name: "latin1.txt", bytes: new Uint8Array([0x63, 0x61, 0x66, 0xe9]) })).toEqual(["CORPUS_NOT_UTF8"]);
    expect(warningsFor(file("big.txt", "نص طويل. ".repeat(20)), { maxBytes: 100 })).toEqual(["CORPUS_TOO_LARGE"]);
    expect(warningsFor(file("zz-copy.txt", "جملة أولى. جملة ثانية.\n"))).toEqual(["CORPUS_DUPLICATE"]);
  });

  it("says what is wrong and which file, in the catalogue's words", () => {
    const { warnings } = buildCorpus([good, file("a copy.txt", "جملة أولى. جملة ثانية.")]);
    expect(warnings).toEqual([
      { file: "good.txt", code: "CORPUS_DUPLICATE", message: "Skipping good.txt: same text as a copy.txt." },
    ]);
    const big = buildCorpus([file("big.txt", "abc")], { maxBytes: 2 }).warnings[0];
    expect(big.message).toBe("Skipping big.txt: 3 bytes is over the 2-byte limit per document; split it into smaller files.");
  });

  it("warns about bad metadata but still indexes the text", () => {
    const badFront = file("front.md", "---\ntitle: T\nno colon here\n---\nالنص.");
    const badSidecar = file("side.txt", "نص آخر.", { title: 42 } as unknown as CorpusFile["meta"]);
    const { corpus, warnings } = buildCorpus([badFront, badSidecar]);
    expect(warnings.map((w) => [w.file, w.code])).toEqual([
      ["front.md", "CORPUS_BAD_METADATA"],
      ["side.txt", "CORPUS_BAD_METADATA"],
    ]);
    expect(warnings[0].message).toMatch(/^Ignoring metadata of front\.md: .*line 3.*; the text is still indexed\.$/);
    expect(corpus.documents.map((d) => [d.id, d.meta.title, d.text])).toEqual([
      ["front", "T", "النص."],
      ["side", "side", "نص آخر."],
    ]);
  });

  it("takes the title from the sidecar, then front matter, then the file name, as for every format", () => {
    const { corpus } = buildCorpus([
      file("a.md", "---\ntitle: من الرأس\nsource: مصدر الرأس\n---\nنص أ.", { title: "من الملف", source: "مصدر" }),
      file("b.txt", "نص ب.", { title: "من الملف" }),
      file("c.md", "---\ntitle: من الرأس\nurl: https://example.org/c\n---\nنص د.", { source: "مصدر" }),
      file("folder/مقال رقم 3.txt", "نص ج."),
    ]);
    expect(corpus.documents.map((d) => d.meta)).toEqual([
      { title: "من الملف", source: "مصدر", language: "ar" },
      { title: "من الملف", language: "ar" },
      { title: "من الرأس", url: "https://example.org/c", source: "مصدر", language: "ar" },
      { title: "مقال رقم 3", language: "ar" },
    ]);
  });

  it("detects Arabic by script unless a language is given", () => {
    const { corpus } = buildCorpus([
      file("ar.txt", "هذا نص عربي مع word واحدة."),
      file("en.txt", "An English text with كلمة."),
      file("given.txt", "نص.", { language: "fa" }),
    ]);
    expect(corpus.documents.map((d) => [d.id, d.meta.language])).toEqual([
      ["ar", "ar"],
      ["en", undefined],
      ["given", "fa"],
    ]);
    expect(detectLanguage("12345 ...")).toBeUndefined();
  });

  it("keeps the text after a BOM and front matter byte for byte", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("---\ntitle: T\n---\r\n  نص.\r\n")]);
    const { corpus } = buildCorpus([{ name: "bom.md", bytes }]);
    expect(corpus.documents[0].text).toBe("  نص.\r\n");
    expect(corpus.sentences[0]).toMatchObject({ start: 2, end: 5, text: "نص." });
  });

  it("makes URL-safe, unique ids and processes files in name order", () => {
    expect(documentId("sub/My File (1).txt")).toBe("sub-My-File-1");
    expect(documentId("../../etc/passwd.md")).toBe("etc-passwd");
    expect(documentId("مقال.txt")).toBe("doc");
    expect(documentId("a.b.c.txt")).toBe("a-b-c");
    const files = [file("x y.txt", "ثاني."), file("x-y.md", "أول."), file("x-y.txt", "ثالث."), file("عربي.txt", "رابع.")];
    const forward = buildCorpus(files);
    const backward = buildCorpus([...files].reverse());
    expect(forward.corpus.documents.map((d) => d.id)).toEqual(["x-y", "x-y-2", "x-y-3", "doc"]);
    // Code-unit order: " " sorts before "-".
    expect(forward.corpus.documents.map((d) => d.text)).toEqual(["ثاني.", "أول.", "ثالث.", "رابع."]);
    expect(backward).toEqual(forward);
    for (const id of forward.corpus.documents.map((d) => d.id)) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("numbers passages across documents and passes window options through", () => {
    const { corpus } = buildCorpus([file("a.txt", "١. ٢. ٣. ٤."), file("b.txt", "أول. ثان. ثالث. رابع. خامس.")], { windowSize: 2, stride: 2 });
    expect(corpus.passages.map((p) => [p.index, p.docId, p.sentenceIndices.length])).toEqual([
      [0, "a", 1],
      [1, "b", 2],
      [2, "b", 2],
      [3, "b", 1],
    ]);
    expect(() => buildCorpus([good], { maxBytes: 0 })).toThrow(AppError);
  });
});

describe("buildCorpus reusing an earlier build's parse", () => {
  const keyed = (name: string, text: string, meta?: CorpusFile["meta"]): CorpusFile => ({ ...file(name, text, meta), contentKey: `key of ${text}` });
  const before = [keyed("a.txt", "نص أ. جملة ثانية."), keyed("b.txt", "نص ب."), keyed("c.txt", "نص ج.", { title: "ج" })];

  it("gives the corpus and warnings of a fresh build, taking unchanged files' documents as they were", () => {
    const first = buildCorpus(before);
    const after = [before[0], keyed("b.txt", "نص ب المعدل. وجملة."), keyed("c.txt", "نص ج.", { title: "ج الجديد" }), keyed("d.txt", "نص د.")];
    const reused = buildCorpus(after, { reuse: first.parsedFiles });
    const fresh = buildCorpus(after);
    expect(reused.corpus).toEqual(fresh.corpus);
    expect(reused.warnings).toEqual(fresh.warnings);
    const [a, b, c] = reused.corpus.documents;
    expect(a).toBe(first.corpus.documents[0]); // same bytes, sidecar and id: not parsed again
    expect(b).not.toBe(first.corpus.documents[1]); // new bytes
    expect(c).not.toBe(first.corpus.documents[2]); // new sidecar
    expect(c.meta.title).toBe("ج الجديد");
  });

  it("parses a file again when its id moves, so sentence ids follow", () => {
    const first = buildCorpus([keyed("a-b.txt", "نص. ثان.")]);
    // "a b.txt" sorts first and takes the id a-b, so the unchanged a-b.txt becomes a-b-2.
    const after = [keyed("a b.txt", "نص آخر."), keyed("a-b.txt", "نص. ثان.")];
    const reused = buildCorpus(after, { reuse: first.parsedFiles });
    expect(reused.corpus).toEqual(buildCorpus(after).corpus);
    expect(reused.corpus.sentences.map((s) => s.id)).toEqual(["a-b:1:1", "a-b-2:1:1", "a-b-2:1:2"]);
  });

  it("still warns about a reused duplicate, empty or badly described file", () => {
    const files = [keyed("a.txt", "نص."), keyed("b.txt", "نص.\n"), keyed("e.txt", " \u200f "), keyed("m.txt", "---\nnot a key line\n---\nنص م.", { title: 3 as unknown as string })];
    const first = buildCorpus(files);
    const reused = buildCorpus(files, { reuse: first.parsedFiles });
    expect(reused.warnings.map((w) => [w.file, w.code])).toEqual([
      ["b.txt", "CORPUS_DUPLICATE"],
      ["e.txt", "CORPUS_EMPTY"],
      ["m.txt", "CORPUS_BAD_METADATA"],
      ["m.txt", "CORPUS_BAD_METADATA"],
    ]);
    expect(reused).toEqual({ ...buildCorpus(files), parsedFiles: reused.parsedFiles });
    expect(reused.corpus.documents[1]).toBe(first.corpus.documents[1]);
  });

  it("remembers only files whose content is keyed", () => {
    const { parsedFiles } = buildCorpus([good, keyed("k.txt", "نص.")]);
    expect([...parsedFiles.keys()]).toEqual(["k.txt"]);
  });
});
