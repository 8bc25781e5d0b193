// Assembles the stages into an answer engine. Core: no Node APIs, shared by the Node server,
// the command line and the Cloudflare Worker; each supplies its own vector index and embedder.
import type { Corpus, DenseIndex, Embedder } from "./types";
import { createAnalyzer, detectLanguage, type Analyzer } from "./text";
import { createCldrNames, type CldrNames, type CityName } from "./text/cldr-names";
// Generated from the Unicode CLDR by scripts/build-cities.ts (THIRD_PARTY.md): cities' names in each language.
import cldrCities from "../data/cldr-cities.json";
import { ROOT_MARK } from "./text/root";
import { SNOWBALL_MARK } from "./text/stem";
import { createPhoneticIndex } from "./text/phonetic";
import { corpusVocabulary } from "./text/vocabulary";
import { noLexicons, type Lexicons } from "./text/lexicon";
import { createHashingEmbedder } from "./embed";
import { createBm25Index, type Bm25Index } from "./index/bm25";
import { createQueryAnalyzer, createRetriever, type RetrieverOptions } from "./retrieve";
import { embedderFamily, thresholdFor } from "./retrieve/calibration";
import { modelRetrieverOptions, type ModelVectors } from "./retrieve/profiles";
import { createAnswerEngine, type AnswerEngine } from "./answer/engine";
import { bridgeVocabulary, createBridge, type BridgeOptions } from "./retrieve/bridge";

/** The text analyzer used for the lexical index, the built-in embedder and queries alike. */
export function createDefaultAnalyzer(): Analyzer {
  return createAnalyzer();
}

/** The built-in embedder: IDF is learned from the passages, so it is built per corpus. */
export function createBuiltInEmbedder(corpus: Corpus, analyzer: Analyzer = createDefaultAnalyzer()): Embedder {
  return createHashingEmbedder({
    terms: (text) => analyzer.analyze(text),
    words: (text) => analyzer.words(text),
    corpus: corpus.passages.map((p) => p.text),
  });
}

export interface PipelineOptions {
  corpus: Corpus;
  /** The embedder whose passage vectors are in `vectorIndex`. */
  embedder: Embedder;
  vectorIndex: DenseIndex;
  analyzer?: Analyzer;
  /** A BM25 index already built over these passages with this analyzer; built here when omitted. */
  lexicalIndex?: Bm25Index;
  /**
   * The corpus's distinct words in order of first occurrence, for the names-by-sound index, when
   * the caller keeps them across reloads (text/vocabulary.ts); found from the documents when omitted.
   */
  vocabulary?: string[];
  /** The cheap embedder for sentence similarity; built from the corpus when omitted and there are no `sentenceVectors`. */
  sentenceEmbedder?: Embedder;
  /**
   * Every sentence's vector from `embedder` (sentences × dimension), built with the index. With a
   * multilingual model they turn on the model's scoring (retrieve/profiles.ts).
   */
  sentenceVectors?: Float32Array;
  /**
   * The background sentences' vectors from `embedder` (retrieve/background.ts: BACKGROUND_SENTENCES
   * embedded as passages); required with `sentenceVectors` from a model, whose refusal of questions
   * in other languages is calibrated on the margin over them.
   */
  backgroundVectors?: Float32Array;
  /** Refusal threshold; default: the calibrated one for this kind of embedder. */
  abstainBelow?: number;
  /** Fine-tuning of retrieval (weights, candidate counts) for experiments and ablations. */
  retriever?: Partial<Omit<RetrieverOptions, "corpus" | "embedder" | "vectorIndex">>;
  /**
   * Optional translations and synonyms (GPL data a user builds with `npm run lexicons`; on Node,
   * text/lexicon/load-node.ts reads them). Default: none, as in the Worker.
   */
  lexicons?: Lexicons;
  /**
   * The model's cross-lingual bridge (retrieve/bridge.ts): the corpus's Arabic vocabulary
   * (`bridgeEntries`) and its vectors from `embedder` as queries, entries × dimension, built with
   * the index; floor, depth and weight default to the ones chosen on XQuAD's fit half.
   */
  bridge?: { entries: readonly string[]; vectors: Float32Array; index?: BridgeOptions["index"]; floor?: number; depth?: number; weight?: number };
  /** Query expansion switches, for ablations. */
  expansion?: { synonyms?: boolean; translation?: boolean; transliteration?: boolean; names?: boolean };
}

export interface Pipeline {
  engine: AnswerEngine;
  retriever: ReturnType<typeof createRetriever>;
  analyzer: Analyzer;
}

// One name table per analyzer, kept across reloads: each language's table is built at its first question.
const cldrNames = new WeakMap<Analyzer, CldrNames>();
function cldrNamesOf(analyzer: Analyzer): CldrNames {
  let names = cldrNames.get(analyzer);
  if (!names) cldrNames.set(analyzer, (names = createCldrNames({ words: (text) => analyzer.words(text), cities: cldrCities.cities as readonly CityName[] })));
  return names;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  const { corpus, embedder, vectorIndex, expansion = {}, lexicons = noLexicons } = options;
  const analyzer = options.analyzer ?? createDefaultAnalyzer();
  const isBuiltIn = embedderFamily(embedder.id) === "hashing";
  // Stored sentence vectors take the cheap embedder's place, so it is not built for them (it learns
  // its weights from every passage: 0.5–1 s at 10k passages, on every start and reload).
  const sentenceEmbedder = options.sentenceEmbedder ?? (isBuiltIn || options.sentenceVectors ? embedder : createBuiltInEmbedder(corpus, analyzer));
  const lexicalIndex = options.lexicalIndex ?? createBm25Index(corpus.passages.map((p) => analyzer.analyze(p.text)));
  const denseIsMultilingual = !isBuiltIn;
  const vocabulary = options.vocabulary ?? corpusVocabulary({ texts: corpus.documents.map((d) => d.text), wordsOf: (text) => analyzer.words(text) }).words;
  const phonetic = createPhoneticIndex(vocabulary);
  const analyzeQuery = createQueryAnalyzer({
    analyze: (text) => analyzer.analyze(text),
    words: (text) => analyzer.words(text),
    detectLanguage,
    synonyms: expansion.synonyms === false ? undefined : (word) => lexicons.arabicSynonyms(word),
    translate: expansion.translation === false ? undefined : (word, language) => lexicons.translateToArabic(word, language),
    soundsLike: expansion.transliteration === false ? undefined : (word) => phonetic.find(word),
    findNames: expansion.names === false ? undefined : (words, language) => cldrNamesOf(analyzer).find(words, language),
    denseIsMultilingual,
    isLooseTerm: (term) => term.startsWith(ROOT_MARK),
    isStemmedTerm: (term) => term.startsWith(SNOWBALL_MARK),
    ...(options.bridge?.weight === undefined ? {} : { bridgeWeight: options.bridge.weight }),
  });
  const bridge =
    options.bridge && !isBuiltIn
      ? createBridge({
          ...options.bridge,
          dimension: embedder.dimension,
          embed: (texts) => embedder.embed(texts, "query"),
          keyOf: (entry) => analyzer.words(entry).map((word) => analyzer.termsOfWord(word)[0] ?? word).join(" "),
        })
      : undefined;
  const modelVectors = isBuiltIn ? undefined : modelVectorsOf(options);
  const retriever = createRetriever({
    corpus,
    analyzeQuery,
    words: (text) => analyzer.words(text),
    termsOfWord: (word) => analyzer.termsOfWord(word),
    lexicalIndex,
    documentFrequency: (term) => lexicalIndex.documentFrequency(term),
    embedder,
    vectorIndex,
    sentenceEmbedder,
    bridge,
    abstainBelow: thresholdFor(embedder.id),
    ...(modelVectors ? modelRetrieverOptions(modelVectors, embedder.dimension, embedder.id) : {}),
    ...(options.abstainBelow === undefined ? {} : { abstainBelow: options.abstainBelow }),
    ...options.retriever,
  });
  return { engine: createAnswerEngine({ corpus, retriever }), retriever, analyzer };
}

/** The Arabic vocabulary the model's bridge reaches (retrieve/bridge.ts), to embed with the index. */
export function bridgeEntries(corpus: Corpus, analyzer: Analyzer): string[] {
  return bridgeVocabulary(
    corpus.documents.map((d) => d.text),
    { termsOf: (word) => analyzer.analyze(word) },
  );
}

/** A model's stored vectors, which turn on its scoring; its sentences' without the background are refused, as its threshold is calibrated on the margin over it. */
function modelVectorsOf({ sentenceVectors, backgroundVectors }: PipelineOptions): ModelVectors | undefined {
  if (!sentenceVectors) return undefined;
  if (!backgroundVectors) throw new Error("createPipeline: backgroundVectors are required with a model's sentenceVectors (embed BACKGROUND_SENTENCES from retrieve/background.ts)");
  return { sentences: sentenceVectors, background: backgroundVectors };
}
