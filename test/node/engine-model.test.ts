// The Node engine on a transformer model (the tiny generated one, through transformers.js' real
// loading path): sentence vectors are stored beside the passages', and a changed corpus embeds
// only what changed (index/vector-cache.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import type { Logger } from "../../src/log";
import { createNodeEngine, type NodeEngine } from "../../src/node/engine";
import type { IndexingProgress } from "../../src/index/progress";
import { writeTinyModel } from "../embed/tiny-model";
import { FIXTURE_FILES } from "../text/lexicon/fixtures";

const root = mkdtempSync(join(tmpdir(), "engine-model-"));
const corpusDir = join(root, "corpus");
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  writeTinyModel(root, "tiny");
  mkdirSync(corpusDir);
  writeFileSync(join(corpusDir, "a.txt"), "مفهوم أمني جديد لدولة الاتحاد. روسيا و بيلاروسيا.\nمجلس الأمن هو الذي قال ذلك.\n");
  writeFileSync(join(corpusDir, "b.txt"), "the security concept of the union state. belarus russia union.\n");
});

function collectingLogger(lines: string[]): Logger {
  const keep = (message: string) => void lines.push(message);
  return { debug: keep, info: keep, warn: keep, error: keep };
}

async function start(lines: string[], progress: IndexingProgress[] = [], previous?: NodeEngine, lexiconsDir?: string) {
  const config = loadConfig({ CORPUS_DIR: corpusDir, EMBEDDINGS_DIR: join(root, "embeddings"), EMBEDDER: "transformers", MODEL: "tiny", MODELS_DIR: root });
  return createNodeEngine(config, collectingLogger(lines), { onProgress: (p) => progress.push(p), previous, lexiconsDir });
}

/** Counts the questions the engine's model embeds from now on (not the bridge's one- and two-word vocabulary, embedded as queries too). */
function spyOnQueries(engine: NodeEngine): () => number {
  let count = 0;
  const embed = engine.embedder.embed.bind(engine.embedder);
  vi.spyOn(engine.embedder, "embed").mockImplementation(async (texts, kind) => {
    if (kind === "query") count += texts.filter((text) => text.trim().split(/\s+/).length > 2).length;
    return embed(texts, kind);
  });
  return () => count;
}

describe("the Node engine with a transformer model", () => {
  it("embeds every passage and sentence once, then only what a new document adds", async () => {
    const first: string[] = [];
    const progress: IndexingProgress[] = [];
    const engine = await start(first, progress);
    // Progress for /api/health: both stages, each ending with everything done.
    for (const stage of ["passages", "sentences"]) {
      const last = progress.filter((p) => p.stage === stage).at(-1);
      expect(last && last.done === last.total && last.total > 0, stage).toBe(true);
    }
    expect(first.some((line) => /^embedded \d+\/\d+ passages/.test(line))).toBe(true);
    expect(engine.embedder.id).toBe("transformers:tiny");
    // Passages first, then sentences: a sentence that is a whole passage is read back, not embedded twice.
    expect(first.find((line) => line.startsWith("vector cache:"))).toMatch(/^vector cache: [1-9]\d* texts embedded, \d+ read back$/);
    expect(first.some((line) => line.startsWith("sentences: building"))).toBe(true);

    // Unchanged corpus: both stores load, nothing is embedded.
    const unchanged: string[] = [];
    await start(unchanged);
    expect(unchanged.some((line) => line.startsWith("vector cache:"))).toBe(false);

    // One new document: only its two texts (one passage, one sentence, the same text) are embedded,
    // and the passages' graph takes its one new vector in place of a rebuild.
    writeFileSync(join(corpusDir, "c.txt"), "مجلس الاتحاد.\n");
    const added: string[] = [];
    const after = await start(added);
    expect(added.find((line) => line.startsWith("vector cache:"))).toMatch(/^vector cache: 1 texts embedded, \d+ read back$/);
    expect(after.health().index.reason).toMatch(/^updated in place \(corpus changed .*\): 1 vectors added, 0 removed, \d+ kept$/);
    expect(after.health().counts.documents).toBe(3);
    const answer = await after.engine.answer({ question: "مجلس الاتحاد", topK: 3, history: [] });
    expect(answer.passages.map((p) => p.docId)).toContain("c");
  }, 60_000);

  it("reloads live on the running engine's model and cache: no second load, only new texts embedded", async () => {
    const running = await start([]);
    writeFileSync(join(corpusDir, "d.txt"), "روسيا و بيلاروسيا دولة الاتحاد.\n");
    const lines: string[] = [];
    const questionsEmbedded = spyOnQueries(running);
    const next = await start(lines, [], running);
    // No warm-up questions: the code is warm, and there are no lexicons to load.
    expect(questionsEmbedded()).toBe(0);
    // Unchanged files are not parsed again, nor their passages analysed, nor their words tokenized.
    expect(next.parsedFiles?.get("a.txt")).toBe(running.parsedFiles?.get("a.txt"));
    const [firstPassage] = next.lexicalTerms!.byPassage.keys();
    expect(next.lexicalTerms!.byPassage.get(firstPassage)).toBe(running.lexicalTerms!.byPassage.get(firstPassage));
    const aText = next.parsedFiles!.get("a.txt")!.text;
    expect(next.documentWords?.get(aText)).toBe(running.documentWords?.get(aText));
    expect(next.embedder).toBe(running.embedder);
    expect(next.vectorCache).toBe(running.vectorCache);
    expect(lines.some((line) => line.startsWith("embedder:"))).toBe(true);
    // Counted for this reload alone, though the cache has served the running engine before.
    expect(lines.find((line) => line.startsWith("vector cache:"))).toMatch(/^vector cache: 1 texts embedded, \d+ read back$/);
    expect(next.health().index.reason).toMatch(/^updated in place/);
    // Removing the document takes its vector out of the graph and its texts out of the cache.
    rmSync(join(corpusDir, "d.txt"));
    const removed = await start([], [], next);
    expect(removed.health().index.reason).toMatch(/: 0 vectors added, 1 removed, \d+ kept$/);
    const answer = await removed.engine.answer({ question: "روسيا و بيلاروسيا دولة الاتحاد", topK: 5, history: [] });
    expect(answer.passages.map((p) => p.docId)).not.toContain("d");
  }, 60_000);
  it("still asks the warm-up questions on a live reload when lexicons are loaded: their tables are built on first use", async () => {
    const lexiconsDir = join(root, "lexicons");
    mkdirSync(lexiconsDir, { recursive: true });
    writeFileSync(join(lexiconsDir, "en-ar.json"), JSON.stringify(FIXTURE_FILES["en-ar"]));
    const running = await start([]);
    const questionsEmbedded = spyOnQueries(running);
    const next = await start([], [], running, lexiconsDir);
    expect(next.health().lexicons.map((l) => l.name)).toEqual(["en-ar"]);
    expect(questionsEmbedded()).toBeGreaterThan(0);
  }, 60_000);
});
