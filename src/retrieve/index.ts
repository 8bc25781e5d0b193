export { createRetriever, DEFAULT_SENTENCE_WEIGHTS } from "./retriever";
export type { Retrieval, Retriever, RetrieverOptions, ScoredPassage, ScoredSentence, SentenceWeights } from "./retriever";
export { createQueryAnalyzer, flattenTerms } from "./query";
export type { AnalyzedQuery, QueryAnalyzer, QueryAnalyzerOptions, TermGroup, TermVariant } from "./query";
export { reciprocalRankFusion, idsToRead, dot } from "./fusion";
