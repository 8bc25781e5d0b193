// The multilingual model for evaluation scripts, remembering every vector it computes in a file
// under the OS temp folder (by embedder id), so a second run over the same corpus and questions
// takes seconds: tune-model.ts and baseline-dense.ts share it, and so the same vectors.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTransformersEmbedder } from "../../src/embed/transformers";
import type { Embedder, EmbedKind } from "../../src/types";

/** Where the shared evaluation material lives: `../shared` beside the project, or SHARED_DIR (a git worktree sits elsewhere). */
export const SHARED_DIR = process.env.SHARED_DIR ?? "../shared";

export interface CachedModel extends Embedder {
  /** Writes the vectors computed so far to the cache file. */
  save(): void;
}

export async function createCachedModel(modelsDir = "models"): Promise<CachedModel> {
  const model = await createTransformersEmbedder({ modelsDir });
  const cacheFile = join(tmpdir(), `arabic-qa-tune-${createHash("sha256").update(model.id).digest("hex").slice(0, 12)}.json`);
  const memo = new Map<string, Float32Array>();
  if (existsSync(cacheFile)) for (const [key, v] of Object.entries(JSON.parse(readFileSync(cacheFile, "utf8")) as Record<string, number[]>)) memo.set(key, Float32Array.from(v));
  return {
    id: model.id,
    dimension: model.dimension,
    async embed(texts: string[], kind: EmbedKind) {
      const keys = texts.map((text) => `${kind}\u0000${text}`);
      const missing = [...new Set(keys.filter((key) => !memo.has(key)))];
      for (let i = 0; i < missing.length; i += 256) {
        const batch = missing.slice(i, i + 256);
        const fresh = await model.embed(batch.map((key) => key.slice(kind.length + 1)), kind);
        batch.forEach((key, j) => memo.set(key, fresh[j]));
      }
      return keys.map((key) => memo.get(key)!);
    },
    ...(model.embedTokens && { embedTokens: model.embedTokens.bind(model) }),
    // Written aside and renamed, so a script reading the cache meanwhile never sees half a file.
    save: () => {
      const partial = `${cacheFile}.${process.pid}.partial`;
      writeFileSync(partial, JSON.stringify(Object.fromEntries([...memo].map(([key, v]) => [key, Array.from(v)]))));
      renameSync(partial, cacheFile);
    },
  };
}

const articleHash = (article: string) => createHash("sha256").update(article).digest("hex");

/**
 * XQuAD's articles ordered by the hash of their name and cut in two: which half an article falls
 * in is fixed by its name alone, and every language of a question falls in the same half.
 */
export function fitArticlesOf(articles: Iterable<string>): Set<string> {
  const sorted = [...new Set(articles)].sort((a, b) => articleHash(a).localeCompare(articleHash(b)));
  return new Set(sorted.slice(0, Math.ceil(sorted.length / 2)));
}
