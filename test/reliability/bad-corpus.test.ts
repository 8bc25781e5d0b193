// A corpus folder with every kind of bad file next to the real article: the bad ones are
// reported and skipped, the article still answers, and /api/health lists the warnings.
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { loadCorpusDir } from "../../src/corpus/load-node";
import { createLogger } from "../../src/log";
import { createNodeEngine, type NodeEngine } from "../../src/node/engine";
import { AnswerResponseSchema, HealthSchema } from "../../src/schemas";
import { createApp } from "../../src/server/app";
import { REAL_ARTICLE } from "./helpers";

const ARTICLE_ID = "000_c1add9699fc6f4ec";
let root: string;
let corpusDir: string;
let engine: NodeEngine;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "bad-corpus-"));
  corpusDir = join(root, "corpus");
  await mkdir(corpusDir);
  const put = (name: string, content: string | Uint8Array) => writeFile(join(corpusDir, name), content);
  await copyFile(REAL_ARTICLE, join(corpusDir, `${ARTICLE_ID}.txt`));
  await copyFile(REAL_ARTICLE.replace(".txt", ".meta.json"), join(corpusDir, `${ARTICLE_ID}.meta.json`));
  await put("binary.txt", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
  await put("empty.txt", "");
  await put("blank.md", " \n\t\n\u200b\n");
  await put("latin1.txt", new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72, 0x2e])); // "Café noir." in Latin-1
  await put("truncated-utf8.txt", new Uint8Array([...new TextEncoder().encode("نص مقطوع"), 0xd8]));
  // Over MAX_DOCUMENT_BYTES (50 MB), which is checked before reading: a sparse file, so the test writes nothing.
  await put("enormous.txt", "كلمة ");
  await truncate(join(corpusDir, "enormous.txt"), 50_000_001);
  await copyFile(REAL_ARTICLE, join(corpusDir, "zz-duplicate.txt"));
  await put("zz-duplicate-with-newline.txt", `${await readFile(REAL_ARTICLE, "utf8")}\n\n`);
  await mkdir(join(corpusDir, "folder.txt"));
  await symlink(join(corpusDir, "nowhere.txt"), join(corpusDir, "dangling.txt"));
  await put("bad-meta.txt", "وثيقة صغيرة بملف وصف تالف.");
  await put("bad-meta.meta.json", "{ not json");

  const config = loadConfig({ CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: join(root, "embeddings"), EMBEDDER: "hashing", LOG_LEVEL: "silent" });
  engine = await createNodeEngine(config, createLogger("silent"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const expectedWarnings = [
  ["bad-meta.txt", "CORPUS_BAD_METADATA"],
  ["binary.txt", "CORPUS_BINARY"],
  ["blank.md", "CORPUS_EMPTY"],
  ["dangling.txt", "CORPUS_UNREADABLE"],
  ["empty.txt", "CORPUS_EMPTY"],
  ["enormous.txt", "CORPUS_TOO_LARGE"],
  ["folder.txt", "CORPUS_UNREADABLE"],
  ["latin1.txt", "CORPUS_NOT_UTF8"],
  ["truncated-utf8.txt", "CORPUS_NOT_UTF8"],
  ["zz-duplicate-with-newline.txt", "CORPUS_DUPLICATE"],
  ["zz-duplicate.txt", "CORPUS_DUPLICATE"],
];

describe("a corpus with every kind of bad file", () => {
  it("loadCorpusDir reports each bad file once and keeps the good ones", async () => {
    const { corpus, warnings } = await loadCorpusDir(corpusDir);
    expect(warnings.map((w) => [w.file, w.code])).toEqual(expectedWarnings);
    expect(corpus.documents.map((d) => d.id)).toEqual([ARTICLE_ID, "bad-meta"]);
    for (const w of warnings) expect(w.message).not.toContain(root); // no absolute paths leak
  });

  it("the engine still answers from the real article, and /api/health lists the warnings", async () => {
    const app = createApp({ engine: () => engine.engine, health: () => engine.health(), logError: () => {} });
    const health = HealthSchema.parse(await (await app.request("/api/health")).json());
    expect(health.ready).toBe(true);
    expect(health.counts.documents).toBe(2);
    expect(health.warnings.map((w) => [w.file, w.code])).toEqual(expectedWarnings);
    expect(health.warnings.find((w) => w.code === "CORPUS_DUPLICATE")!.message).toContain(`same text as ${ARTICLE_ID}.txt`);

    const res = await app.request("/api/answer", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: "من هو أمين مجلس الأمن في جمهورية بيلاروسيا؟" }),
    });
    expect(res.status).toBe(200);
    const answer = AnswerResponseSchema.parse(await res.json());
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].docId).toBe(ARTICLE_ID);
    expect(answer.citations[0].text).toContain("أمين مجلس الأمن");
  });
});
