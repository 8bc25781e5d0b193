// Node adapter: vectors kept by (embedder, hash of the exact text embedded), so rebuilding an
// index after the corpus changes embeds only new or changed texts; with a transformer model on
// two cores that is the difference between minutes and seconds.
//
// One file per embedder (`<dir>/<sha256(embedderId)>.vec`): a header naming the embedder and
// dimension, then fixed-size records [sha256(text) 32 B][vector, float32 LE][checksum 4 B].
// Records are appended after every batch, so an interrupted run keeps what it finished; a record
// whose checksum fails, a file of another embedder or a torn last record is dropped and its text
// embedded again, never served.
import { createHash } from "node:crypto";
import { appendFile, mkdir, open, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface VectorCacheOptions {
  dir: string;
  /** Identifies the embedder and its settings (the store's embedder id, fingerprint included). */
  embedderId: string;
  dimension: number;
}

export interface VectorCacheStats {
  /** Texts served from the cache / embedded now, over this cache's life. */
  hits: number;
  misses: number;
  /** Records dropped when the file was read: failed checksums and a torn last record. */
  dropped: number;
}

export interface VectorCache {
  /**
   * One vector per text, in order: cached ones read, the rest embedded `batchSize` at a time
   * (each batch appended to the file before the next starts).
   */
  embed(
    texts: string[],
    embed: (batch: string[]) => Promise<Float32Array[]>,
    options?: { batchSize?: number; onProgress?: (done: number, total: number) => void },
  ): Promise<Float32Array[]>;
  /** Keeps only these texts' vectors (a removed document's go), rewriting the file atomically. */
  retain(texts: string[]): Promise<void>;
  readonly stats: VectorCacheStats;
  readonly path: string;
}

const MAGIC = "arabic-qa vector cache v1\n";
const HASH_BYTES = 32;
const CHECKSUM_BYTES = 4;

const textKey = (text: string) => createHash("sha256").update(text).digest();

function checksum(record: Uint8Array): Buffer {
  return createHash("sha256").update(record).digest().subarray(0, CHECKSUM_BYTES);
}

export async function openVectorCache({ dir, embedderId, dimension }: VectorCacheOptions): Promise<VectorCache> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${createHash("sha256").update(embedderId).digest("hex").slice(0, 24)}.vec`);
  const header = Buffer.from(`${MAGIC}${JSON.stringify({ embedderId, dimension })}\n`);
  const recordBytes = HASH_BYTES + dimension * 4 + CHECKSUM_BYTES;
  const vectors = new Map<string, Float32Array>();
  const stats: VectorCacheStats = { hits: 0, misses: 0, dropped: 0 };

  const existing = await readFile(path).catch(() => undefined);
  if (existing && existing.subarray(0, header.length).equals(header)) {
    let at = header.length;
    for (; at + recordBytes <= existing.length; at += recordBytes) {
      const body = existing.subarray(at, at + recordBytes - CHECKSUM_BYTES);
      if (!checksum(body).equals(existing.subarray(at + recordBytes - CHECKSUM_BYTES, at + recordBytes))) {
        stats.dropped++;
        continue;
      }
      const floats = new Float32Array(dimension);
      const view = new DataView(body.buffer, body.byteOffset + HASH_BYTES, dimension * 4);
      for (let d = 0; d < dimension; d++) floats[d] = view.getFloat32(d * 4, true);
      vectors.set(body.subarray(0, HASH_BYTES).toString("hex"), floats);
    }
    if (at < existing.length) stats.dropped++; // a record cut short by an interrupted write
    if (stats.dropped > 0) await rewrite(); // so appends start on a record boundary
  } else {
    // Missing, or another embedder's or format's file under this name: start afresh.
    await writeFile(path, header);
  }

  // Each corpus text's key, kept from run to run (retain drops the texts the corpus no longer
  // holds): a live reload at 10k passages would otherwise hash all 31k passages and sentences
  // twice, ~85 ms each time, to find its few new ones.
  let keyByText = new Map<string, string>();
  function keyOf(text: string): string {
    let key = keyByText.get(text);
    if (key === undefined) keyByText.set(text, (key = textKey(text).toString("hex")));
    return key;
  }

  function encode(key: string, vector: Float32Array): Buffer {
    const record = Buffer.alloc(recordBytes);
    Buffer.from(key, "hex").copy(record, 0);
    for (let d = 0; d < dimension; d++) record.writeFloatLE(vector[d], HASH_BYTES + d * 4);
    checksum(record.subarray(0, recordBytes - CHECKSUM_BYTES)).copy(record, recordBytes - CHECKSUM_BYTES);
    return record;
  }

  async function rewrite(): Promise<void> {
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, Buffer.concat([header, ...[...vectors].map(([key, vector]) => encode(key, vector))]));
    const handle = await open(temp, "r+");
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  }

  return {
    path,
    stats,
    async embed(texts, embed, { batchSize = 64, onProgress } = {}) {
      const keys = texts.map(keyOf);
      const missing: number[] = [];
      const seen = new Set<string>();
      keys.forEach((key, i) => {
        if (vectors.has(key) || seen.has(key)) return;
        seen.add(key);
        missing.push(i);
      });
      stats.hits += texts.length - missing.length;
      let done = texts.length - missing.length;
      onProgress?.(done, texts.length);
      for (let start = 0; start < missing.length; start += batchSize) {
        const batch = missing.slice(start, start + batchSize);
        const fresh = await embed(batch.map((i) => texts[i]));
        if (fresh.length !== batch.length || fresh.some((v) => v.length !== dimension)) {
          throw new Error(`the embedder returned ${fresh.length} vectors for ${batch.length} texts (dimension ${fresh[0]?.length}, expected ${dimension})`);
        }
        batch.forEach((i, j) => vectors.set(keys[i], fresh[j]));
        await appendFile(path, Buffer.concat(batch.map((i, j) => encode(keys[i], fresh[j]))));
        stats.misses += batch.length;
        done += batch.length;
        onProgress?.(done, texts.length);
      }
      return keys.map((key) => vectors.get(key)!);
    },
    async retain(texts) {
      // Rebuilt from the texts given, so the old corpus's strings are not kept alive by it.
      const kept = new Map<string, string>();
      for (const text of texts) kept.set(text, keyOf(text));
      keyByText = kept;
      const live = new Set(kept.values());
      const before = vectors.size;
      for (const key of [...vectors.keys()]) if (!live.has(key)) vectors.delete(key);
      if (vectors.size !== before || (await stat(path)).size !== header.length + vectors.size * recordBytes) await rewrite();
    },
  };
}
