// Configuration from environment variables, validated once at start-up with zod.
import { z } from "zod";
import { createError } from "./errors";

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const ConfigSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  CORPUS_DIR: z.string().min(1).default("corpus"),
  EMBEDDINGS_DIR: z.string().min(1).default("embeddings"),
  MODELS_DIR: z.string().min(1).default("models"),
  /** auto: the multilingual model when it is in MODELS_DIR, else the built-in hashing embedder. */
  EMBEDDER: z.enum(["auto", "hashing", "transformers"]).default("auto"),
  MODEL: z.string().min(1).default("Xenova/multilingual-e5-small"),
  /** Let transformers.js download the model into MODELS_DIR when it is missing (needs internet). */
  ALLOW_REMOTE_MODELS: z.enum(["0", "1", "true", "false"]).default("false").transform((v) => v === "1" || v === "true"),
  HNSW_M: int(4, 128).default(16),
  HNSW_EF_CONSTRUCTION: int(10, 2000).default(200),
  HNSW_EF_SEARCH: int(10, 2000).default(64),
  PASSAGE_WINDOW: int(1, 20).default(3),
  PASSAGE_STRIDE: int(1, 20).default(2),
  /** Overrides the calibrated refusal threshold (0–1). */
  ABSTAIN_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]));
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw createError("INVALID_CONFIG", name, String(env[name]), issue.message);
  }
  return parsed.data;
}
