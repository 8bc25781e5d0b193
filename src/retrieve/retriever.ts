// Hybrid retrieval: dense kNN and BM25 over passages, fused by rank; then the sentences of the
// best passages are scored against the question to choose what to cite, and a calibrated
// answerability score decides whether to abstain.
import type { Corpus, DenseIndex, Embedder, HistoryTurn, LexicalIndex, Passage, Sentence } from "../types";
import { dot, idsToRead, reciprocalRankFusion } from "./fusion";
import { flattenTerms, type AnalyzedQuery, type QueryAnalyzer, type TermGroup } from "./query";
import { createEvidenceTest, evidenceOf, type Evidence, type EvidenceOptions } from "./answerability";
import { createLruCache } from "../lru";
import { createNearMatcher, shortestWindow, type NearMatcher, type SentenceTerms } from "./signals";
import { tokenMatch } from "./token-match";
import { canonicalQuestion, visibleText } from "../text/question";
import type { Bridge } from "./bridge";
import { asWritten, mentionedEntities, unmentionedEntities, type EntityCheckOptions } from "./entities";
import type { LanguageShift } from "./language-shift";
import { documentLift } from "./document-lift";

export interface SentenceWeights {
  /** idf-weighted share of the question's words found in the sentence. */
  coverage: number;
  /** Cosine of sentence and question under the sentence embedder (catches spelling variants). */
  similarity: number;
  /** The fused score of the best passage holding the sentence, relative to the top passage. */
  passage: number;
  /** How close together the question's matched words stand in the sentence. */
  proximity: number;
  /** The dense cosine of the question and the best passage holding the sentence (a sentence read in its context); default 0. */
  densePassage?: number;
}

/**
 * How a question in another language than the sources' is scored, when the dense embedder is
 * multilingual: its words cannot occur in an Arabic sentence, so lexical coverage and the
 * evidence gate say nothing about it; the model's similarity carries the ranking and the refusal.
 */
export interface CrossLingualProfile {
  fusion: { dense: number; lexical: number; k: number };
  sentenceWeights: SentenceWeights;
  /** Refusal threshold for these questions (calibrated per embedder), on the margin over `background` when given. */
  abstainBelow: number;
  /**
   * The threshold instead of `abstainBelow` for a question that names a person, a place or another
   * name (NAMING_KINDS) that the cited document mentions by its spelling or sound: naming it ties the
   * question to this document, which the model's similarity alone reads poorly across languages. Fitted
   * with `abstainBelow` (scripts/tune-model.ts; docs/quality-bridge.md §7); absent, one threshold serves all.
   */
  namedAbstainBelow?: number;
  /**
   * The question's similarity to Arabic text in general (retrieve/background.ts): the answerability
   * of these questions is their best sentence's margin over it.
   */
  background?: (queryVector: Float32Array) => number;
  /**
   * The `depth` best sentences re-scored by matching the question's tokens with theirs
   * (token-match.ts), weighing the match `weight` against 1 for their score, when the embedder has
   * token vectors. It only reorders what to cite; the confidence is the best score before it.
   */
  tokenRerank?: { weight: number; depth: number };
  /**
   * Pseudo-relevance feedback, for experiments (off by default; docs/quality-bridge.md): before
   * sentences are scored, the question's vector is mixed with the mean vector of the sentences of
   * the `passages` best dense passages at `weight`, so it leans toward how the sources say it.
   */
  feedback?: { weight: number; passages: number };
  /**
   * The mean-vector shift, for experiments (off by default; retrieve/language-shift.ts,
   * docs/quality-bridge.md): the question's vector moved toward the sources' language before
   * passage search (`search`), before sentence scoring and the background margin (`sentences`), or both.
   */
  languageShift?: { shift: LanguageShift; apply: "search" | "sentences" | "both" };
}

export interface RetrieverOptions {
  corpus: Corpus;
  analyzeQuery: QueryAnalyzer;
  /** The analyzer's words (before stemming), so a matched term can be placed in its sentence. */
  words: (text: string) => string[];
  /** The terms of one of those words, by the same analyzer the lexical index was built with. */
  termsOfWord: (word: string) => readonly string[];
  lexicalIndex: LexicalIndex;
  documentFrequency: (term: string) => number;
  embedder: Embedder;
  /** Awaited: in process (hnswlib, exact) or in Postgres (src/index/pgvector). */
  vectorIndex: DenseIndex;
  /** A cheap embedder for sentence similarity at query time; defaults to `embedder`. */
  sentenceEmbedder?: Embedder;
  /**
   * Every sentence's vector from `embedder` (sentences × dimension, row-major), computed when the
   * index was built: sentence similarity is then the question's own dense vector against them, with
   * no embedding at query time. Takes the place of `sentenceEmbedder`.
   */
  sentenceVectors?: Float32Array;
  /** The sources' language: questions in it are scored on their words as well (default "ar"). */
  sourceLanguage?: string;
  /** Scoring of questions in other languages (see CrossLingualProfile); without it they are scored like the rest. */
  crossLingual?: CrossLingualProfile;
  /** Arabic corpus words for a question's words in another language, found by the model (retrieve/bridge.ts). */
  bridge?: Bridge;
  /**
   * Refuse a question whose named words the best sentence's document never mentions
   * (retrieve/entities.ts). By default numbers and countries, which cross scripts through digits and
   * a table (text/cldr-names.ts), places any question names beside their kind's noun (مدينة نيوم,
   * Cairo University, Universität Kairo) and people an Arabic question names after a title
   * (الدكتورة سلمى العمري): on XQuAD and the seed sets they refuse no more
   * answerable questions, while a question about another country, city, person or year than the
   * document's is refused. Other names (`kinds`
   * with "name") refused 10–30% more answerable XQuAD questions in Russian and English, for want of
   * a reliable name matcher across scripts (docs/quality-bridge.md); `false` turns the check off.
   */
  entityCheck?: EntityCheckOptions | false;
  /** Candidates taken from each of dense and lexical search before fusion. */
  candidates?: number;
  /** How many fused passages have their sentences scored… */
  rerankPassages?: number;
  /** …plus the first this many of each list (dense, lexical) that fusion ranked lower (see idsToRead). */
  rerankFirstOfEach?: number;
  fusion?: { dense: number; lexical: number; k: number };
  sentenceWeights?: SentenceWeights;
  /** Abstain when the best sentence scores below this (see retrieve/calibration.ts). */
  abstainBelow?: number;
  /** How many of the question's words the best sentence must hold before any score counts (see answerability.ts). */
  evidence?: EvidenceOptions;
  /**
   * Refusal that also reads how far the cited document stands out (retrieve/document-lift.ts), per
   * group of questions: where the lift is defined, the question is refused when its confidence plus
   * `weight` × lift is under `abstainBelow` (instead of the plain threshold). Off by default
   * (docs/quality-bridge.md §5).
   */
  documentLift?: { sameLanguage?: DocumentLiftRule; crossLingual?: DocumentLiftRule };
  maxCitations?: number;
  /** A further sentence is cited only when it scores at least this share of the best one. */
  citationRatio?: number;
  /** Sentences whose vectors and terms are kept between queries (a vector is `dimension` floats). */
  sentenceCacheSize?: number;
  /** Share of a word's weight earned by a near match (a long common core) instead of an exact one; 0 turns it off. */
  fuzzyCredit?: number;
}

/**
 * The named words whose mention ties a question to a document: not numbers or countries, which many
 * documents share (the seed article names the United States too), and not through the bridge's
 * similarity alone (a near word is no mention).
 */
const NAMING_KINDS = { kinds: ["name", "place", "person"], minBridgeSimilarity: Infinity } as const;

export interface DocumentLiftRule {
  weight: number;
  abstainBelow: number;
}

export interface ScoredPassage {
  passage: Passage;
  score: number;
}

export interface ScoredSentence {
  sentence: Sentence;
  score: number;
  /** Share of the question's own words it holds (ranking weighs `signals.coverage`, which counts a follow-up's history too). */
  coverage: number;
  /** What it holds of the question's words (follow-ups: with the previous question's). */
  evidence: Evidence;
  /** Each signal the score weighs (see SentenceWeights), before weighting. */
  signals: Required<SentenceWeights>;
  /** The token-level match with the question, for the sentences re-scored by it (CrossLingualProfile.tokenRerank). */
  tokens?: number;
  /**
   * Its score with the words only the model's bridge found left out (retrieve/bridge.ts): what
   * answerability reads. Bridged words help ranking, but they also lift wrong sentences' coverage,
   * so counted as evidence they let absent-article questions through (docs/quality-bridge.md).
   */
  evidenceScore: number;
}

export interface Retrieval {
  query: AnalyzedQuery;
  abstained: boolean;
  /**
   * The answerability signal the threshold applies to: the best sentence's score (for a question in
   * another language with a `background`, its margin over it); 0 when it holds too few of the question's words.
   */
  confidence: number;
  /** The question's named words (numbers, countries, places, names) that the best sentence's document never mentions, as the question wrote them: any makes it refused (retrieve/entities.ts). */
  unmentioned?: string[];
  /** A question in another language's names (not numbers or countries) that the best sentence's document mentions, as the question wrote them; computed when the profile has `namedAbstainBelow`, which they make apply. */
  named?: string[];
  /** How far the best sentence's document stands out among the dense hits (retrieve/document-lift.ts), when defined. */
  documentLift?: number;
  passages: ScoredPassage[];
  /** The sentences to cite, best first (empty when abstained). */
  cited: ScoredSentence[];
  /** Every scored candidate sentence, best first (for calibration and debugging). */
  candidates: ScoredSentence[];
  timings: Record<string, number>;
}


export const DEFAULT_ENTITY_CHECK: EntityCheckOptions = { kinds: ["number", "region", "place", "person"] };

export const DEFAULT_SENTENCE_WEIGHTS: SentenceWeights = { coverage: 0.6, similarity: 0.25, passage: 0.15, proximity: 0.1 };

export function createRetriever(options: RetrieverOptions) {
  const {
    corpus,
    analyzeQuery,
    words,
    termsOfWord,
    lexicalIndex,
    documentFrequency,
    embedder,
    vectorIndex,
    sentenceEmbedder = embedder,
    sentenceVectors,
    sourceLanguage = "ar",
    crossLingual,
    bridge,
    entityCheck = DEFAULT_ENTITY_CHECK,
    candidates = 50,
    rerankPassages = 8,
    rerankFirstOfEach = 2,
    fusion = { dense: 1, lexical: 1, k: 60 },
    sentenceWeights = DEFAULT_SENTENCE_WEIGHTS,
    abstainBelow = 0,
    evidence = {},
    documentLift: liftRules = {},
    maxCitations = 3,
    citationRatio = 0.75,
    sentenceCacheSize = 20_000,
    fuzzyCredit = 0.6,
  } = options;

  const passageCount = Math.max(lexicalIndex.size, 1);
  const idf = (term: string) => {
    const df = documentFrequency(term);
    return Math.log(1 + (passageCount - df + 0.5) / (df + 0.5));
  };
  // Sentence terms (with the positions of the words they come from) are computed on first use,
  // so start-up stays proportional to the index, not the text; and kept for the most recently
  // used sentences only, so memory stays bounded however many distinct sentences questions reach.
  const sentenceTerms = createLruCache<number, SentenceTerms>(sentenceCacheSize);
  const termsOf = (i: number): SentenceTerms => {
    const cached = sentenceTerms.get(i);
    if (cached) return cached;
    const terms = new Map<string, number[]>();
    words(corpus.sentences[i].text).forEach((word, position) => {
      for (const term of termsOfWord(word)) {
        const positions = terms.get(term);
        if (positions) positions.push(position);
        else terms.set(term, [position]);
      }
    });
    sentenceTerms.set(i, terms);
    return terms;
  };
  const enoughEvidence = createEvidenceTest(evidence);
  // Each document's terms, for the named-word check: built on first use, kept for recent documents.
  const documentTerms = createLruCache<string, Set<string>>(256);
  const documentText = new Map(corpus.documents.map((d) => [d.id, d.text]));
  const termsOfDocument = (docId: string): Set<string> => {
    let terms = documentTerms.get(docId);
    if (!terms) {
      terms = new Set(words(documentText.get(docId) ?? "").flatMap((word) => [...termsOfWord(word)]));
      documentTerms.set(docId, terms);
    }
    return terms;
  };
  const cachedSentenceVectors = createLruCache<number, Float32Array>(sentenceCacheSize);

  const dimension = embedder.dimension;
  if (sentenceVectors && sentenceVectors.length !== corpus.sentences.length * dimension) {
    throw new Error(`sentenceVectors holds ${sentenceVectors.length} floats; ${corpus.sentences.length} sentences × ${dimension} expected`);
  }

  async function vectorsOf(indices: number[]): Promise<Float32Array[]> {
    const stored = sentenceVectors;
    if (stored) return indices.map((i) => stored.subarray(i * dimension, (i + 1) * dimension));
    // Read the cache once: storing the fresh vectors may evict some just read.
    const vectors = indices.map((i) => cachedSentenceVectors.get(i));
    const missing = indices.filter((_, k) => vectors[k] === undefined);
    if (missing.length > 0) {
      const fresh = await sentenceEmbedder.embed(missing.map((i) => corpus.sentences[i].text), "passage");
      let next = 0;
      indices.forEach((i, k) => {
        if (vectors[k] !== undefined) return;
        vectors[k] = fresh[next++];
        cachedSentenceVectors.set(i, vectors[k]);
      });
    }
    return vectors as Float32Array[];
  }

  /** A group weighs what its own words are worth; translations stand in for untranslated words. */
  function groupWeight(group: TermGroup): number {
    const top = Math.max(...group.variants.map((v) => v.weight));
    return Math.max(...group.variants.filter((v) => v.weight === top).map((v) => idf(v.term)));
  }

  function coverage(groups: { group: TermGroup; weight: number }[], terms: SentenceTerms, near: NearMatcher): number {
    let matched = 0;
    let total = 0;
    for (const { group, weight } of groups) {
      total += weight;
      let best = 0;
      for (const v of group.variants) if (v.weight > best && terms.has(v.term)) best = v.weight;
      // A word the stemmers did not conflate (يتعلق / المتعلقة) can still share its core with a sentence word.
      // (near is 0 or 1, so a variant that could not beat the best so far is not tried.)
      if (best === 0) for (const v of group.variants) if (v.weight * fuzzyCredit > best) best = Math.max(best, v.weight * fuzzyCredit * near(v.term, terms));
      matched += weight * best;
    }
    return total > 0 ? matched / total : 0;
  }

  async function retrieve(asked: string, { topK = 5, history: askedHistory = [] as HistoryTurn[] } = {}): Promise<Retrieval> {
    const question = canonicalQuestion(asked);
    const history = askedHistory.map((turn) => ({ ...turn, content: visibleText(turn.content) }));
    const timings: Record<string, number> = {};
    const clock = (stage: string, since: number) => (timings[stage] = round(performance.now() - since));
    let t = performance.now();
    let query = analyzeQuery(question, history);
    clock("analyze", t);
    // The question's vector does not depend on the bridge's words (denseText carries no expansions
    // with a multilingual model), so the question and the words the bridge has not seen go to the
    // model in one call: one forward pass, where two cost up to twice the time (docs/quality-bridge.md).
    // Questions in the sources' language are not bridged.
    const ownWords = bridge && query.language !== sourceLanguage ? query.groups.filter((g) => !g.fromHistory).map((g) => g.word) : [];
    const unknownWords = bridge && ownWords.length > 0 ? bridge.unknown(ownWords) : [];
    const vectorsPromise = embedder.embed([query.denseText, ...unknownWords], "query");
    vectorsPromise.catch(() => undefined); // awaited below; an early rejection is not unhandled
    if (bridge && ownWords.length > 0) {
      t = performance.now();
      if (unknownWords.length > 0) bridge.learn(unknownWords, (await vectorsPromise).slice(1));
      query = analyzeQuery(question, history, await bridge(ownWords));
      clock("bridge", t);
    }

    t = performance.now();
    const { terms, weights } = flattenTerms(query.groups);
    const lexicalHits = lexicalIndex.search(terms, candidates, weights);
    clock("lexical", t);

    t = performance.now();
    const [queryVector] = await vectorsPromise;
    clock("embed", t);
    const profile = crossLingual && query.language !== sourceLanguage ? crossLingual : undefined;
    const shift = profile?.languageShift;
    const shiftedVector = shift ? shift.shift(queryVector, query.language) : queryVector;
    const searchVector = shift && shift.apply !== "sentences" ? shiftedVector : queryVector;
    const scoringVector = shift && shift.apply !== "search" ? shiftedVector : queryVector;
    t = performance.now();
    const denseHits = vectorIndex.size > 0 ? await vectorIndex.search(searchVector, candidates) : [];
    clock("dense", t);

    t = performance.now();
    const { dense, lexical, k } = profile?.fusion ?? fusion;
    const fused = reciprocalRankFusion(
      [
        { hits: denseHits, weight: dense },
        { hits: lexicalHits, weight: lexical },
      ],
      k,
    );
    const topScore = fused[0]?.score ?? 0;
    const relative = new Map(fused.map(({ id, score }) => [id, topScore > 0 ? score / topScore : 0]));
    const scoredPassage = (id: number): ScoredPassage => ({ passage: corpus.passages[id], score: relative.get(id) ?? 0 });
    const passages = fused.slice(0, topK).map(({ id }) => scoredPassage(id));
    const toRead = idsToRead(fused, [lexicalHits, denseHits], rerankPassages, rerankFirstOfEach).map(scoredPassage);
    clock("fusion", t);

    t = performance.now();
    const similarityText = history.length > 0 ? query.denseText : question;
    // The question's dense vector serves sentence similarity too when the sentences' vectors come from
    // the same embedder: stored ones (the model), or the built-in embedder for most questions (no history).
    let similarityVector = sentenceVectors || (sentenceEmbedder === embedder && similarityText === query.denseText) ? scoringVector : undefined;
    if (profile?.feedback && sentenceVectors && denseHits.length > 0) similarityVector = await withFeedback(scoringVector, denseHits, profile.feedback);
    const denseScore = new Map(denseHits.map(({ id, score }) => [id, score]));
    const scored = await scoreSentences(query, toRead, similarityText, similarityVector, profile?.sentenceWeights ?? sentenceWeights, denseScore);
    clock("sentences", t);

    const best = scored[0];
    // A follow-up's subject is in the previous question, so its words count as evidence too (see answerability.ts).
    // A question in another language is judged by the model's similarity alone (see CrossLingualProfile).
    // The best evidence score, not the cited sentence's: without bridged words that is the best
    // score, so the bridge reorders what to cite but never makes a question look more answerable.
    const evidenceScore = Math.max(0, ...scored.map((s) => s.evidenceScore));
    let confidence = best && (profile || enoughEvidence(best.evidence)) ? evidenceScore : 0;
    const unmentioned = best && entityCheck ? asWritten(question, query.groups, unmentionedEntities(query, termsOfDocument(best.sentence.docId), entityCheck), words) : [];
    // A follow-up that names what the document its history led to never mentions has a subject of
    // its own ("Сколько жителей в Варшаве?" after a question about a library in Beirut): read it alone.
    if (unmentioned.length > 0 && history.length > 0) return retrieve(question, { topK });
    if (unmentioned.length > 0) confidence = 0;
    const named = best && profile?.namedAbstainBelow !== undefined ? asWritten(question, query.groups, mentionedEntities(query, termsOfDocument(best.sentence.docId), NAMING_KINDS), words) : [];
    const threshold = !profile ? abstainBelow : named.length > 0 && profile.namedAbstainBelow !== undefined ? profile.namedAbstainBelow : profile.abstainBelow;
    if (profile?.background && confidence > 0) confidence = Math.max(0, confidence - profile.background(scoringVector));
    // A follow-up in another language is searched with the previous question too, whose meaning then
    // lifts every sentence on its topic: it must also be answerable on its own (the model's twin of the
    // evidence gate's rule that a follow-up brings a word of its own), else any question asked after an
    // answered one would be answered.
    if (profile && history.length > 0 && confidence > 0) confidence = Math.min(confidence, (await retrieve(question, { topK })).confidence);
    // The threshold reads the confidence as the response reports it (and as thresholds are fitted on it).
    confidence = round(confidence, 4);
    const lift = best ? documentLift(denseHits.map(({ id, score }) => ({ docId: corpus.passages[id].docId, score })), best.sentence.docId) : undefined;
    const liftRule = lift === undefined ? undefined : liftRules[profile ? "crossLingual" : "sameLanguage"];
    const abstained = !best || (liftRule && lift !== undefined ? confidence === 0 || confidence + liftRule.weight * lift < liftRule.abstainBelow : confidence < threshold);
    let ranked = scored;
    if (!abstained && profile?.tokenRerank && embedder.embedTokens) {
      t = performance.now();
      ranked = await rerankByTokens(question, scored, profile.tokenRerank, embedder.embedTokens.bind(embedder));
      clock("tokens", t);
    }
    const cited = abstained ? [] : chooseCitations(ranked);
    return { query, abstained, confidence, unmentioned, named, ...(lift !== undefined && { documentLift: round(lift, 4) }), passages, cited, candidates: ranked, timings };
  }

  /** The question's vector mixed with the mean of its best dense passages' sentence vectors (CrossLingualProfile.feedback), unit length again. */
  async function withFeedback(queryVector: Float32Array, denseHits: { id: number }[], { weight, passages }: { weight: number; passages: number }): Promise<Float32Array> {
    const indices = denseHits.slice(0, passages).flatMap(({ id }) => corpus.passages[id].sentenceIndices);
    const vectors = await vectorsOf(indices);
    const mixed = Float32Array.from(queryVector);
    for (const v of vectors) for (let d = 0; d < mixed.length; d++) mixed[d] += (weight * v[d]) / vectors.length;
    const norm = Math.hypot(...mixed);
    return norm > 0 ? mixed.map((x) => x / norm) : queryVector;
  }

  async function rerankByTokens(
    question: string,
    scored: ScoredSentence[],
    { weight, depth }: { weight: number; depth: number },
    embedTokens: NonNullable<Embedder["embedTokens"]>,
  ): Promise<ScoredSentence[]> {
    const head = scored.slice(0, depth);
    if (head.length === 0) return scored;
    const [questionTokens, ...sentenceTokens] = await embedTokens([question, ...head.map((s) => s.sentence.text)]);
    // The match joins the weighted mean (the rest count a match of 0), so a score stays in [0, 1]
    // and the re-scored sentences stay ahead of the rest.
    const scale = 1 / (1 + weight);
    const rescored = head
      .map((s, i) => {
        const tokens = tokenMatch(questionTokens, sentenceTokens[i]);
        return { sentence: s, exact: (s.score + weight * tokens) * scale, tokens };
      })
      // Ordered before rounding, so a rounding can never swap two sentences.
      .sort((a, b) => b.exact - a.exact || a.sentence.sentence.start - b.sentence.sentence.start)
      .map(({ sentence, exact, tokens }) => ({ ...sentence, score: round(exact, 4), tokens }));
    return [...rescored, ...scored.slice(depth).map((s) => ({ ...s, score: round(s.score * scale, 4) }))];
  }

  async function scoreSentences(
    query: AnalyzedQuery,
    passages: ScoredPassage[],
    similarityText: string,
    similarityVector: Float32Array | undefined,
    w: SentenceWeights,
    denseScore: Map<number, number>,
  ): Promise<ScoredSentence[]> {
    const own = query.groups.filter((g) => !g.fromHistory).map((group) => ({ group, weight: groupWeight(group) }));
    const all = query.groups.map((group) => ({ group, weight: groupWeight(group) * (group.fromHistory ? 0.5 : 1) }));
    // The same groups without the bridge's and the name table's words (rankingOnly), for the evidence score (ScoredSentence.evidenceScore).
    // A group keeps its weight: it is set by the question's own word, above any bridged variant.
    const bridged = query.groups.some((g) => g.variants.some((v) => v.rankingOnly));
    const unbridgedGroups = bridged ? query.groups.map((g) => ({ ...g, variants: g.variants.filter((v) => !v.rankingOnly) })) : query.groups;
    const unbridged = (list: { group: TermGroup; weight: number }[]) => list.map(({ group, weight }) => ({ group: unbridgedGroups[query.groups.indexOf(group)], weight }));
    const ownUnbridged = bridged ? unbridged(own) : own;
    const allUnbridged = bridged ? unbridged(all) : all;
    const passageScore = new Map<number, number>();
    const passageDense = new Map<number, number>();
    for (const { passage, score } of passages) {
      for (const i of passage.sentenceIndices) {
        passageScore.set(i, Math.max(passageScore.get(i) ?? 0, score));
        passageDense.set(i, Math.max(passageDense.get(i) ?? 0, denseScore.get(passage.index) ?? 0));
      }
    }
    // A heading names a subject but answers nothing (a Word file's title "Warsaw" was cited for
    // "What is the population of Warsaw?"): it helps find its passage, and is never cited itself.
    const indices = [...passageScore.keys()].filter((i) => !isHeading(corpus.sentences[i]));
    if (indices.length === 0) return [];
    const queryVector = similarityVector ?? (await sentenceEmbedder.embed([similarityText], "query"))[0];
    const vectors = await vectorsOf(indices);
    const scoredTerms = indices.map(termsOf);
    const near = createNearMatcher(query.groups.flatMap((g) => g.variants.map((v) => v.term)), scoredTerms);
    return indices
      .map((i, j) => {
        const terms = scoredTerms[j];
        // Answerability is judged on the question's own words; history only helps ranking.
        const ownCoverage = coverage(own, terms, near);
        const rankingCoverage = own.length === all.length ? ownCoverage : coverage(all, terms, near);
        const similarity = Math.max(0, dot(queryVector, vectors[j]));
        const signals = {
          coverage: rankingCoverage,
          similarity,
          passage: passageScore.get(i) ?? 0,
          proximity: proximity(own, terms),
          densePassage: passageDense.get(i) ?? 0,
        };
        const weighted = (s: Required<SentenceWeights>) =>
          w.coverage * s.coverage + w.similarity * s.similarity + w.passage * s.passage + w.proximity * s.proximity + (w.densePassage ?? 0) * s.densePassage;
        const score = weighted(signals);
        const evidenceScore = bridged
          ? weighted({ ...signals, coverage: coverage(allUnbridged, terms, near), proximity: proximity(ownUnbridged, terms) })
          : score;
        return {
          sentence: corpus.sentences[i],
          score: round(score, 4),
          evidenceScore: round(evidenceScore, 4),
          coverage: ownCoverage,
          evidence: evidenceOf(unbridgedGroups, terms),
          signals,
        };
      })
      .sort((a, b) => b.score - a.score || a.sentence.start - b.sentence.start);
  }

  /**
   * |matched words| / |shortest run of sentence words holding them all|: 1 when the question's
   * words stand side by side ("تصعيد الوضع على حدود"), small when they are scattered; 0 below two.
   */
  function proximity(groups: { group: TermGroup }[], terms: SentenceTerms): number {
    const events: [position: number, group: number][] = [];
    groups.forEach(({ group }, g) => {
      const positions = new Set<number>();
      for (const v of group.variants) for (const p of terms.get(v.term) ?? []) positions.add(p);
      for (const p of positions) events.push([p, g]);
    });
    const matched = new Set(events.map(([, g]) => g)).size;
    if (matched < 2) return 0;
    events.sort((a, b) => a[0] - b[0]);
    return matched / shortestWindow(events, matched);
  }

  function chooseCitations(scored: ScoredSentence[]): ScoredSentence[] {
    const best = scored[0].score;
    return scored.filter((s, i) => i === 0 || s.score >= best * citationRatio).slice(0, maxCitations);
  }

  return { retrieve };
}

export type Retriever = ReturnType<typeof createRetriever>;

/** A structured source's heading, read as a sentence of its own section (corpus/locate-spans.ts). */
function isHeading(sentence: Sentence): boolean {
  return sentence.section !== undefined && sentence.text.trim() === sentence.section.trim();
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
