// npm run build:worker: turns the corpus into the Worker's bundle (src/worker/bundle/qa.bin):
// the documents plus the built-in embedder's passage vectors, in the format of src/worker/bundle.ts;
// with EMBEDDER=openai, the served model's passage, sentence and background vectors instead.
// Reads CORPUS_DIR, PASSAGE_WINDOW and PASSAGE_STRIDE like the Node server, so both serve the same corpus.
//
//   tsx scripts/build-worker.ts [--vectors f32|i8]
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config";
import { loadCorpusDir } from "../src/corpus/load-node";
import { createBuiltInEmbedder, createDefaultAnalyzer } from "../src/pipeline";
import { decodeBundle, encodeBundle, type BundleHeader, type VectorEncoding } from "../src/worker/bundle";
import { buildWeb } from "./build-web";
import { corpusCounts } from "../src/corpus/counts";
import { createOpenAiEmbedder, type EmbeddingsMark, defaultMark } from "../src/embed/openai";
import { openAiOptionsOf } from "../src/node/embedder";
import { BACKGROUND_SENTENCES } from "../src/retrieve/background";
import type { Embedder } from "../src/types";

export interface BuildWorkerOptions {
  corpusDir?: string;
  /** Where qa.bin is written. */
  outDir?: string;
  windowSize?: number;
  stride?: number;
  /** "f32" (default): the same answers as Node; "i8": 4× smaller vectors, see docs/worker.md. */
  vectors?: VectorEncoding;
  /** Repository root, for web/vendor (the chat page's libraries, normally made by npm install). */
  root?: string;
  /**
   * A served model (EMBEDDER=openai, src/embed/openai.ts) whose passage, sentence and background
   * vectors are bundled; the Worker then embeds questions through the same model. Default: the built-in embedder.
   */
  served?: { embedder: Embedder; model: string; mark: EmbeddingsMark };
}

export interface BuiltBundle {
  path: string;
  bytes: Uint8Array;
  header: BundleHeader;
  ms: number;
}

export const BUNDLE_FILE = "qa.bin";

/** Builds the bundle in memory; `writeWorkerBundle` also puts it where the Worker imports it from. */
export async function buildWorkerBundle(options: BuildWorkerOptions = {}): Promise<Omit<BuiltBundle, "path">> {
  const { corpusDir, windowSize, stride, vectors: encoding } = { corpusDir: "corpus", windowSize: 3, stride: 2, vectors: "f32" as const, ...options };
  const started = performance.now();
  const { corpus, warnings } = await loadCorpusDir(corpusDir, { windowSize, stride });
  const served = options.served;
  const embedder = served?.embedder ?? createBuiltInEmbedder(corpus, createDefaultAnalyzer());
  const rows = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
  // A served model's scoring needs every sentence's vector and the background's: they follow the passages'.
  const sentenceRows = served ? await embedder.embed(corpus.sentences.map((s) => s.text), "passage") : [];
  const backgroundRows = served ? await embedder.embed([...BACKGROUND_SENTENCES], "passage") : [];
  rows.push(...sentenceRows, ...backgroundRows);
  const vectors = new Float32Array(rows.length * embedder.dimension);
  rows.forEach((row, i) => vectors.set(row, i * embedder.dimension));

  const bytes = encodeBundle(
    {
      builtAt: new Date().toISOString(),
      embedder: { id: embedder.id, dimension: embedder.dimension },
      passageOptions: { windowSize, stride },
      counts: corpusCounts(corpus),
      vectors: { encoding, count: rows.length, dimension: embedder.dimension },
      warnings,
      ...(served && { served: { model: served.model, mark: served.mark, sentences: sentenceRows.length, background: backgroundRows.length } }),
      documents: corpus.documents.map(({ id, meta, text, format, pages, sections }) => ({ id, meta, text, ...(format && { format }), ...(pages && { pages }), ...(sections && { sections }) })),
    },
    vectors,
  );
  return { bytes, header: decodeBundle(bytes).header, ms: performance.now() - started };
}

export async function writeWorkerBundle(options: BuildWorkerOptions = {}): Promise<BuiltBundle> {
  const root = resolve(options.root ?? ".");
  const outDir = resolve(root, options.outDir ?? "src/worker/bundle");
  const built = await buildWorkerBundle({ ...options, corpusDir: resolve(root, options.corpusDir ?? "corpus") });
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, BUNDLE_FILE);
  // Written aside and renamed, so a running `wrangler dev` never reloads half a file.
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, built.bytes);
  await rename(temp, path);
  // The [assets] directory must hold the chat page's vendored libraries (npm install makes them).
  if (!existsSync(join(root, "web", "vendor", "deps.js"))) await buildWeb({ root });
  return { ...built, path };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const flag = process.argv.indexOf("--vectors");
  const vectors = flag > 0 ? process.argv[flag + 1] : "f32";
  if (vectors !== "f32" && vectors !== "i8") {
    console.error(`--vectors must be f32 or i8, not ${vectors}`);
    process.exit(2);
  }
  // EMBEDDER=openai: the configured server's vectors (the Worker embeds questions through EMBEDDINGS_URL).
  const openai = config.EMBEDDER === "openai" ? openAiOptionsOf(config) : undefined;
  const served = openai && { embedder: await createOpenAiEmbedder(openai), model: openai.model, mark: openai.mark ?? defaultMark(openai.model) };
  const built = await writeWorkerBundle({
    corpusDir: config.CORPUS_DIR,
    windowSize: config.PASSAGE_WINDOW,
    stride: config.PASSAGE_STRIDE,
    vectors,
    served,
  });
  const { counts, embedder, warnings } = built.header;
  for (const warning of warnings) console.error(`[warn] ${warning.message}`);
  console.log(
    `${built.path}: ${(built.bytes.byteLength / 1024).toFixed(1)} KiB, ${counts.documents} documents, ${counts.passages} passages, ` +
      `${embedder.id} (${vectors}), ${Math.round(built.ms)} ms`,
  );
}
