// npm run build:worker: turns the corpus into the Worker's bundle (src/worker/bundle/qa.bin), in the
// format of src/worker/bundle.ts: the documents, and the vectors of the embedder configured as the
// Node server would pick it (EMBEDDER, MODEL, MODELS_DIR): with a model (the in-process one by
// default when models/ holds it, or a server's with EMBEDDER=openai), its passage, sentence,
// background and bridge-vocabulary vectors, plus the built-in embedder's passage vectors for a
// Worker that has no embeddings server; without one, the built-in embedder's passage vectors only.
// Reads CORPUS_DIR, PASSAGE_WINDOW and PASSAGE_STRIDE like the Node server, so both serve the same corpus.
//
//   tsx scripts/build-worker.ts [--vectors f32|i8] [--no-bridge]
import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config";
import { loadCorpusDir } from "../src/corpus/load-node";
import { bridgeEntries, createBuiltInEmbedder, createDefaultAnalyzer } from "../src/pipeline";
import { decodeBundle, encodeBundle, type BundleHeader, type VectorEncoding } from "../src/worker/bundle";
import { buildWeb } from "./build-web";
import { corpusCounts } from "../src/corpus/counts";
import { createOpenAiEmbedder, type EmbeddingsMark, defaultMark } from "../src/embed/openai";
import { openAiOptionsOf } from "../src/node/embedder";
import { BACKGROUND_SENTENCES } from "../src/retrieve/background";
import { servedNameOf } from "../src/retrieve/calibration";
import { createTransformersEmbedder } from "../src/embed/transformers";
import { AppError } from "../src/errors";
import type { Config } from "../src/config";
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
   * A model whose passage, sentence, background and bridge vectors are bundled (the in-process one,
   * or a server's: src/embed/openai.ts), with its name on an embeddings server and how questions are
   * marked there: the Worker embeds questions through a server of the same model. Default: the built-in embedder.
   */
  served?: { embedder: Embedder; model: string; mark: EmbeddingsMark };
  /** With a model: bundle the cross-lingual bridge (retrieve/bridge.ts), as the Node server builds it. Default true. */
  bridge?: boolean;
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
  const builtIn = createBuiltInEmbedder(corpus, createDefaultAnalyzer());
  const embedder = served?.embedder ?? builtIn;
  const rows = await embedder.embed(corpus.passages.map((p) => p.text), "passage");
  // A model's scoring needs every sentence's vector and the background's; its bridge, the corpus's
  // Arabic vocabulary embedded as queries (as src/node/engine.ts does): they follow the passages'.
  const sentenceRows = served ? await embedder.embed(corpus.sentences.map((s) => s.text), "passage") : [];
  const backgroundRows = served ? await embedder.embed([...BACKGROUND_SENTENCES], "passage") : [];
  const bridge = served && options.bridge !== false ? bridgeEntries(corpus, createDefaultAnalyzer()) : undefined;
  const bridgeRows = bridge ? await embedder.embed(bridge, "query") : [];
  // Concatenated, not pushed: a large corpus's vocabulary (up to 60,000 rows) is past what one call's arguments hold.
  const vectors = packed(rows.concat(sentenceRows, backgroundRows, bridgeRows), embedder.dimension);
  // The built-in embedder's passages too, so a Worker deployed without an embeddings server still answers.
  const fallback = served ? packed(await builtIn.embed(corpus.passages.map((p) => p.text), "passage"), builtIn.dimension) : undefined;

  const bytes = encodeBundle(
    {
      builtAt: new Date().toISOString(),
      embedder: { id: embedder.id, dimension: embedder.dimension },
      passageOptions: { windowSize, stride },
      counts: corpusCounts(corpus),
      vectors: { encoding, count: vectors.length / embedder.dimension, dimension: embedder.dimension },
      warnings,
      ...(served && {
        served: { model: served.model, mark: served.mark, sentences: sentenceRows.length, background: backgroundRows.length, ...(bridge && { bridge }) },
        fallback: { embedder: { id: builtIn.id, dimension: builtIn.dimension }, vectors: { encoding, count: corpus.passages.length, dimension: builtIn.dimension } },
      }),
      documents: corpus.documents.map(({ id, meta, text, format, pages, sections }) => ({ id, meta, text, ...(format && { format }), ...(pages && { pages }), ...(sections && { sections }) })),
    },
    vectors,
    fallback,
  );
  return { bytes, header: decodeBundle(bytes).header, ms: performance.now() - started };
}

function packed(rows: Float32Array[], dimension: number): Float32Array {
  const vectors = new Float32Array(rows.length * dimension);
  rows.forEach((row, i) => vectors.set(row, i * dimension));
  return vectors;
}

/**
 * The model the bundle is made with, chosen as the Node server chooses its embedder: EMBEDDER=openai
 * the configured server; auto (the default) or transformers the in-process model when models/ holds
 * it; hashing, or auto without the model, none (the built-in embedder). Says which and why.
 */
export async function configuredModel(config: Config): Promise<{ served?: BuildWorkerOptions["served"]; reason: string }> {
  if (config.EMBEDDER === "openai") {
    const openai = openAiOptionsOf(config);
    const mark = openai.mark ?? defaultMark(openai.model);
    return { served: { embedder: await createOpenAiEmbedder(openai), model: openai.model, mark }, reason: `${openai.model} (${mark}) from EMBEDDINGS_URL` };
  }
  if (config.EMBEDDER === "hashing") return { reason: "the built-in embedder, as EMBEDDER=hashing says" };
  try {
    const embedder = await createTransformersEmbedder({ model: config.MODEL, modelsDir: config.MODELS_DIR, allowRemote: config.ALLOW_REMOTE_MODELS });
    const name = servedNameOf(embedder.id);
    return { served: { embedder, ...name }, reason: `${embedder.id} in process; the Worker asks an embeddings server for ${name.model} (${name.mark}) by default` };
  } catch (error) {
    if (config.EMBEDDER === "transformers" || !(error instanceof AppError && error.code === "MODEL_UNAVAILABLE")) throw error;
    return { reason: `the built-in embedder: ${error.message}` };
  }
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
  const { served, reason } = await configuredModel(config);
  console.error(`vectors: ${reason}`);
  const built = await writeWorkerBundle({
    corpusDir: config.CORPUS_DIR,
    windowSize: config.PASSAGE_WINDOW,
    stride: config.PASSAGE_STRIDE,
    vectors,
    served,
    bridge: !process.argv.includes("--no-bridge"),
  });
  const { counts, embedder, warnings } = built.header;
  for (const warning of warnings) console.error(`[warn] ${warning.message}`);
  console.log(
    `${built.path}: ${(built.bytes.byteLength / 1024).toFixed(1)} KiB, ${counts.documents} documents, ${counts.passages} passages, ` +
      `${embedder.id} (${vectors}), ${Math.round(built.ms)} ms`,
  );
}
