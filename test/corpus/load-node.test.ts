import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCorpusDir } from "../../src/corpus/load-node";
import { AppError } from "../../src/errors";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "corpus-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, content: string) {
  await mkdir(join(dir, name, ".."), { recursive: true });
  await writeFile(join(dir, name), content);
}

describe("loadCorpusDir", () => {
  it("reads .txt and .md files recursively with their sidecars, skipping dot-folders", async () => {
    await put("a.txt", "نص أول. جملة ثانية.");
    await put("a.meta.json", JSON.stringify({ title: "عنوان أ", source: "مصدر", dateline: "ignored" }));
    await put("sub/b.md", "---\ntitle: ب\n---\nنص ب.");
    await put("sub/deeper/c.TXT", "نص ج.");
    await put(".git/d.txt", "مخفي.");
    await put(".hidden.txt", "مخفي أيضاً.");
    await put("notes.json", "{}");
    const { corpus, warnings } = await loadCorpusDir(dir);
    expect(warnings).toEqual([]);
    expect(corpus.documents.map((d) => [d.id, d.meta.title])).toEqual([
      ["a", "عنوان أ"],
      ["sub-b", "ب"],
      ["sub-deeper-c", "c"],
    ]);
    expect(corpus.documents[0].meta).toEqual({ title: "عنوان أ", source: "مصدر", language: "ar" });
    expect(corpus.sentences.map((s) => s.id)).toEqual(["a:1:1", "a:1:2", "sub-b:1:1", "sub-deeper-c:1:1"]);
  });

  it("warns about unreadable files and bad sidecars, and indexes the rest", async () => {
    await put("good.txt", "نص جيد.");
    await mkdir(join(dir, "x.txt")); // a folder named like a text file
    await symlink(join(dir, "missing-target.txt"), join(dir, "dangling.txt"));
    await put("bad-meta.txt", "نص بملف وصف تالف.");
    await put("bad-meta.meta.json", "{ not json");
    await put("wrong-type.md", "نص آخر.");
    await put("wrong-type.meta.json", JSON.stringify({ title: ["array"] }));
    const { corpus, warnings } = await loadCorpusDir(dir);
    expect(corpus.documents.map((d) => d.id)).toEqual(["bad-meta", "good", "wrong-type"]);
    expect(warnings.map((w) => [w.file, w.code])).toEqual([
      ["bad-meta.txt", "CORPUS_BAD_METADATA"],
      ["dangling.txt", "CORPUS_UNREADABLE"],
      ["wrong-type.md", "CORPUS_BAD_METADATA"],
      ["x.txt", "CORPUS_UNREADABLE"],
    ]);
    expect(warnings[0].message).toMatch(/^Ignoring metadata of bad-meta\.txt: bad-meta\.meta\.json is not valid UTF-8 JSON/);
    expect(warnings[1].message).toBe("Skipping dangling.txt: cannot read it (ENOENT: no such file or directory).");
    expect(warnings[3].message).toMatch(/^Skipping x\.txt: cannot read it \(EISDIR/);
    for (const w of warnings) expect(w.message).not.toContain(dir);
  });

  it("skips files over maxBytes without reading them", async () => {
    await put("small.txt", "قصير.");
    await put("large.txt", "طويل جداً. ".repeat(100));
    const { corpus, warnings } = await loadCorpusDir(dir, { maxBytes: 200 });
    expect(corpus.documents.map((d) => d.id)).toEqual(["small"]);
    expect(warnings.map((w) => [w.file, w.code])).toEqual([["large.txt", "CORPUS_TOO_LARGE"]]);
  });

  it("changes the hash when any text or sidecar changes, and only then", async () => {
    await put("a.txt", "نص أ.");
    await put("b.txt", "نص ب.");
    const first = (await loadCorpusDir(dir)).hash;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadCorpusDir(dir)).hash).toBe(first);

    await put("a.txt", "نص أ معدل.");
    const edited = (await loadCorpusDir(dir)).hash;
    expect(edited).not.toBe(first);

    await put("a.meta.json", JSON.stringify({ title: "جديد" }));
    const withSidecar = (await loadCorpusDir(dir)).hash;
    expect(withSidecar).not.toBe(edited);

    await rm(join(dir, "b.txt"));
    expect((await loadCorpusDir(dir)).hash).not.toBe(withSidecar);
  });

  it("loads the project's corpus folder", async () => {
    const { corpus, warnings } = await loadCorpusDir(new URL("../../corpus", import.meta.url).pathname);
    expect(warnings).toEqual([]);
    const article = corpus.documents.find((d) => d.id === "000_c1add9699fc6f4ec")!;
    expect(article.meta.title).toBe("روسيا وبيلاروسيا تتبنيان مفهوماً أمنياً جديداً لدولة الاتحاد في 2025");
    expect(article.paragraphs).toHaveLength(18);
  });

  it("throws a clear error for a missing folder or a file given as the folder", async () => {
    await expect(loadCorpusDir(join(dir, "nope"))).rejects.toThrow(AppError);
    await expect(loadCorpusDir(join(dir, "nope"))).rejects.toThrow(/expected an existing directory/);
    await put("f.txt", "x");
    await expect(loadCorpusDir(join(dir, "f.txt"))).rejects.toMatchObject({ code: "INVALID_CONFIG" });
  });
  it("reloads by parsing only changed files, into the corpus a fresh load gives", async () => {
    await put("a.txt", "نص أ. جملة ثانية.");
    await put("b.txt", "نص ب.");
    await put("c.txt", "نص ج.");
    await put("c.meta.json", JSON.stringify({ title: "ج" }));
    const first = await loadCorpusDir(dir, { windowSize: 2, stride: 1 });
    await put("b.txt", "نص ب بعد التعديل. وجملة أخرى.");
    await put("c.meta.json", JSON.stringify({ title: "ج الجديد" }));
    await put("a b.txt", "ملف جديد يأخذ المعرّف a-b."); // sorts before a.txt and shares no id with it
    const reloaded = await loadCorpusDir(dir, { windowSize: 2, stride: 1, reuse: first.parsedFiles });
    const fresh = await loadCorpusDir(dir, { windowSize: 2, stride: 1 });
    expect(reloaded).toEqual(fresh);
    const byId = (load: typeof first, id: string) => load.corpus.documents.find((d) => d.id === id);
    expect(byId(reloaded, "a")).toBe(byId(first, "a"));
    expect(byId(reloaded, "b")).not.toBe(byId(first, "b"));
    expect(byId(reloaded, "c")?.meta.title).toBe("ج الجديد");
  });
});
