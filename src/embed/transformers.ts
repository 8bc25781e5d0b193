// Node adapter: a sentence-embedding model run by @xenova/transformers (ONNX, CPU).
// Offline by default: the model must already sit in `modelsDir` (npm run model:fetch).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createError } from "../errors";
import type { Embedder, EmbedKind } from "../types";

export interface TransformersEmbedderOptions {
  /** Model id, also its folder under `modelsDir`; default "Xenova/multilingual-e5-small". */
  model?: string;
  /** Folder holding `<model>/config.json` etc.; default "models". */
  modelsDir?: string;
  /** Download from the Hugging Face Hub when files are missing; default false. */
  allowRemote?: boolean;
  /** Use onnx/model_quantized.onnx (int8) instead of onnx/model.onnx; default true. */
  quantized?: boolean;
  /** e5 models were trained with these prefixes; default "query: " and "passage: ". */
  queryPrefix?: string;
  passagePrefix?: string;
  /** Texts per forward pass; default 16. */
  batchSize?: number;
  /** Give up loading after this long; default 60000 ms. */
  loadTimeoutMs?: number;
}

const DEFAULTS: Required<TransformersEmbedderOptions> = {
  model: "Xenova/multilingual-e5-small",
  modelsDir: "models",
  allowRemote: false,
  quantized: true,
  queryPrefix: "query: ",
  passagePrefix: "passage: ",
  batchSize: 16,
  loadTimeoutMs: 60_000,
};

/** Files transformers.js needs to load a feature-extraction model, relative to the model's folder. */
export function requiredModelFiles(quantized: boolean): string[] {
  return ["config.json", "tokenizer.json", "tokenizer_config.json", quantized ? "onnx/model_quantized.onnx" : "onnx/model.onnx"];
}

/** The required files absent from `<modelsDir>/<model>/`. */
export function missingModelFiles(modelsDir: string, model: string, quantized: boolean): string[] {
  return requiredModelFiles(quantized).filter((file) => !existsSync(join(modelsDir, model, file)));
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

export async function createTransformersEmbedder(options: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const { model, modelsDir, allowRemote, quantized, queryPrefix, passagePrefix, batchSize, loadTimeoutMs } = withDefaults(options);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw createError("INVALID_CONFIG", "batchSize", String(batchSize), "a positive integer");

  if (!allowRemote) {
    const missing = missingModelFiles(modelsDir, model, quantized);
    if (missing.length > 0) throw createError("MODEL_UNAVAILABLE", model, `missing ${missing.join(", ")} in ${join(modelsDir, model)}`);
  }

  // Imported only when a model is really there: onnxruntime-node costs start-up time and memory.
  const { env, pipeline } = await import("@xenova/transformers");
  // transformers.js keeps these settings in one global object; every embedder sets them right before loading.
  const absoluteDir = resolve(modelsDir);
  env.localModelPath = absoluteDir;
  env.cacheDir = absoluteDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = allowRemote;

  // Loading includes one probe embedding: it proves the model runs and tells its dimension.
  const load = async () => {
    const extract = await pipeline("feature-extraction", model, { quantized });
    const run = async (texts: string[]): Promise<Float32Array[]> => {
      const output = await extract(texts, { pooling: "mean", normalize: true });
      const [rows, dimension] = output.dims as [number, number];
      const data = output.data as Float32Array;
      return Array.from({ length: rows }, (_, row) => data.slice(row * dimension, (row + 1) * dimension));
    };
    const [probe] = await run([`${passagePrefix}probe`]);
    return { run, dimension: probe.length };
  };
  const { run, dimension } = await withTimeout(
    load().catch((error: unknown) => {
      throw createError("MODEL_UNAVAILABLE", model, `loading failed: ${error instanceof Error ? error.message : String(error)}`);
    }),
    loadTimeoutMs,
    model,
  );

  return {
    id: `transformers:${model}${quantized ? ":q8" : ""}`,
    dimension,
    async embed(texts: string[], kind: EmbedKind): Promise<Float32Array[]> {
      const prefix = kind === "query" ? queryPrefix : passagePrefix;
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await run(texts.slice(start, start + batchSize).map((text) => prefix + text))));
      }
      return vectors;
    },
  };
}
