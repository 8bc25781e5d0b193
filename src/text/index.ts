export { normalizeArabic } from "./normalize";
export { tokenize } from "./tokenize";
export { createLightStemmer, lightStem, lightStems, stemTerms, stripEnglishPlural, SNOWBALL_MARK } from "./stem";
export type { LightStemOptions } from "./stem";
export { ARABIC_STOP_WORDS, ENGLISH_STOP_WORDS, DEFAULT_STOP_WORDS } from "./stop-words";
export { createAnalyzer, createProcessTerm } from "./analyzer";
export type { Analyzer, AnalyzerOptions, ProcessTerm } from "./analyzer";
export { detectLanguage } from "./language";
