// Node adapter: the query side of the Postgres store. A server reads the active generation's
// corpus (documents, sentences, passages) once per generation and builds its in-process parts
// from it (BM25, the sentence scorer); dense search goes to Postgres on every question.
import type pg from "pg";
import type { Corpus, CorpusExample, CorpusWarning, Passage, ScoredId, Sentence, SourceDocument, AsyncVectorIndex } from "../../types";
import { unavailable } from "./schema";

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.Client, "query">;

export interface GenerationInfo {
  id: number;
  embedderId: string;
  dimension: number;
  corpusHash: string;
  hnswM: number;
  hnswEfConstruction: number;
  counts: { documents: number; sentences: number; passages: number };
  completedAt: string;
  buildMs: number;
}

/** The generation readers should serve, or undefined when no run has completed yet. */
export async function activeGeneration(db: Queryable): Promise<GenerationInfo | undefined> {
  const result = await db.query(
    `SELECT g.* FROM qa_meta m JOIN qa_generations g ON g.id = m.value::bigint
     WHERE m.key = 'active_generation' AND g.completed_at IS NOT NULL`,
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    embedderId: row.embedder_id,
    dimension: row.dimension,
    corpusHash: row.corpus_hash,
    hnswM: row.hnsw_m,
    hnswEfConstruction: row.hnsw_ef_construction,
    counts: row.counts,
    completedAt: new Date(row.completed_at).toISOString(),
    buildMs: row.build_ms ?? 0,
  };
}

/** Just the active generation's number: what every server polls (one index lookup). */
export async function activeGenerationId(db: Queryable): Promise<number | undefined> {
  const result = await db.query<{ value: string }>("SELECT value FROM qa_meta WHERE key = 'active_generation'");
  return result.rows[0] ? Number(result.rows[0].value) : undefined;
}

export interface LoadedGeneration {
  corpus: Corpus;
  warnings: CorpusWarning[];
  /** sentences × dimension, row-major, when the generation stored sentence vectors (the model). */
  sentenceVectors?: Float32Array;
}

/**
 * Rebuilds the generation's Corpus exactly as the indexer had it: the same documents, sentences
 * and passages in the same order, texts sliced from the documents' texts.
 */
export async function loadGeneration(db: Queryable, generation: GenerationInfo, { sentenceVectors }: { sentenceVectors: boolean }): Promise<LoadedGeneration> {
  const g = generation.id;
  const meta = (await db.query("SELECT examples, warnings FROM qa_generations WHERE id = $1", [g])).rows[0];
  const documents: SourceDocument[] = (await db.query("SELECT id, meta, text, paragraphs FROM qa_documents WHERE generation = $1 ORDER BY position", [g])).rows.map((r) => ({
    id: r.id,
    meta: r.meta,
    text: r.text,
    paragraphs: r.paragraphs,
  }));
  const sentenceRows = (await db.query("SELECT document, paragraph, sentence, start_at, end_at FROM qa_sentences WHERE generation = $1 ORDER BY position", [g])).rows;
  const sentences: Sentence[] = sentenceRows.map((r) => {
    const doc = documents[r.document];
    return { id: `${doc.id}:${r.paragraph}:${r.sentence}`, docId: doc.id, paragraph: r.paragraph, sentence: r.sentence, start: r.start_at, end: r.end_at, text: doc.text.slice(r.start_at, r.end_at) };
  });
  const passageRows = (await db.query("SELECT position, document, paragraph, start_at, end_at, first_sentence, sentence_count FROM qa_passages WHERE generation = $1 ORDER BY position", [g])).rows;
  const passages: Passage[] = passageRows.map((r) => {
    const doc = documents[r.document];
    return {
      index: r.position,
      docId: doc.id,
      paragraph: r.paragraph,
      sentenceIndices: Array.from({ length: r.sentence_count }, (_, k) => r.first_sentence + k),
      start: r.start_at,
      end: r.end_at,
      text: doc.text.slice(r.start_at, r.end_at),
    };
  });
  const { counts } = generation;
  if (documents.length !== counts.documents || sentences.length !== counts.sentences || passages.length !== counts.passages) {
    throw new Error(`generation ${g} is incomplete in the database (${documents.length}/${sentences.length}/${passages.length} rows, expected ${counts.documents}/${counts.sentences}/${counts.passages})`);
  }
  const corpus: Corpus = { documents, sentences, passages, ...(meta?.examples ? { examples: meta.examples as CorpusExample[] } : {}) };

  const vectors = sentenceVectors ? await loadSentenceVectors(db, generation) : undefined;
  return { corpus, warnings: meta?.warnings ?? [], sentenceVectors: vectors };
}

/** The generation's sentence vectors (sentences × dimension, row-major), in sentence order. */
export async function loadSentenceVectors(db: Queryable, generation: GenerationInfo): Promise<Float32Array> {
  const g = generation.id;
  // Read as text ('[0.1,…]'): pg has no binary decoder for vector, and parsing is fast enough
  // (bench/pgvector.ts measures it against reading per question).
  const rows = (
    await db.query<{ e: string }>(
      `SELECT v.embedding::text AS e FROM qa_sentences s
       JOIN qa_vectors v ON v.embedder_id = $2 AND v.text_hash = s.text_hash
       WHERE s.generation = $1 ORDER BY s.position`,
      [g, generation.embedderId],
    )
  ).rows;
  if (rows.length !== generation.counts.sentences) throw new Error(`generation ${g} has ${rows.length} sentence vectors for ${generation.counts.sentences} sentences`);
  const dim = generation.dimension;
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => parseVectorInto(row.e, vectors, i * dim, dim));
  return vectors;
}

/** pgvector's text form, '[x,y,…]'. A float32 printed as a JS number reads back as the same float32. */
export function vectorLiteral(vector: Float32Array): string {
  let out = "[";
  for (let i = 0; i < vector.length; i++) out += (i ? "," : "") + (Number.isFinite(vector[i]) ? vector[i] : 0);
  return out + "]";
}

export function parseVectorInto(text: string, into: Float32Array, offset: number, dimension: number): void {
  const parts = text.slice(1, -1).split(",");
  if (parts.length !== dimension) throw new Error(`a stored vector has ${parts.length} dimensions, expected ${dimension}`);
  for (let d = 0; d < dimension; d++) into[offset + d] = Number(parts[d]);
}

/** pgvector's upper bound for hnsw.ef_search. */
export const PGVECTOR_MAX_EF_SEARCH = 1000;

export interface PgVectorIndexOptions {
  pool: pg.Pool;
  generation: number;
  dimension: number;
  size: number;
  /** hnsw.ef_search for every query (HNSW_EF_SEARCH, or its corpus-size default). */
  efSearch: number;
}

/**
 * Dense search of one generation: cosine distance over its partial HNSW index. One round trip:
 * the SET LOCAL and the SELECT travel as one simple-protocol message, which Postgres runs as one
 * implicit transaction (so the setting is scoped to it and a failure rolls it back). The query
 * vector is spliced in as a literal, numbers only. Ordered by cosine distance (the index's operator)
 * but scored by the inner product (<#> is its negative), which is what hnswlib reports: for
 * normalised vectors the two agree, and 1 − cosine distance differs from it in the last float bits
 * (pgvector divides by the norms in double precision), enough to change a rounded score.
 */
export function createPgVectorIndex({ pool, generation, dimension, size, efSearch }: PgVectorIndexOptions): AsyncVectorIndex {
  const g = Math.trunc(generation);
  const dim = Math.trunc(dimension);
  const ef = Math.trunc(efSearch);
  return {
    dimension,
    size,
    async search(query: Float32Array, k: number): Promise<ScoredId[]> {
      if (query.length !== dim) throw new Error(`query has dimension ${query.length}, expected ${dim}`);
      const limit = Math.max(1, Math.trunc(k));
      const literal = `'${vectorLiteral(query)}'::vector(${dim})`;
      // hnsw.ef_search is at least k, or pgvector returns fewer than k rows; and at most 1000,
      // pgvector's ceiling (HNSW_EF_SEARCH allows 2000 for hnswlib; above 1000 the SET would fail).
      const sql =
        `SET LOCAL hnsw.ef_search = ${Math.min(PGVECTOR_MAX_EF_SEARCH, Math.max(ef, limit))};` +
        `SELECT position, -((embedding::vector(${dim})) <#> ${literal}) AS score FROM qa_passages ` +
        `WHERE generation = ${g} ORDER BY (embedding::vector(${dim})) <=> ${literal} LIMIT ${limit}`;
      let results: pg.QueryResult[];
      try {
        results = (await pool.query(sql)) as unknown as pg.QueryResult[];
      } catch (error) {
        throw unavailable(error);
      }
      const rows = results[results.length - 1].rows as { position: number; score: number }[];
      // As hnsw.ts reports them: 1 − the float32 distance, ties broken by passage number.
      return rows.map((r) => ({ id: r.position, score: 1 - Math.fround(1 - r.score) })).sort((a, b) => b.score - a.score || a.id - b.id);
    },
  };
}
