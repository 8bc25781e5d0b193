// Core corpus API (runs in Node and Workers). The Node folder loader lives in ./load-node.
export { splitParagraphs, splitSentences, segmentDocument } from "./segment";
export { buildPassages, DEFAULT_PASSAGE_OPTIONS, type PassageOptions } from "./passages";
export { parseFrontMatter, metaFromJson, type MetaResult } from "./front-matter";
export { buildCorpus, documentId, detectLanguage, DEFAULT_MAX_BYTES, type BuildOptions, type CorpusFile, type ParsedFile, type ParsedFiles } from "./build";
export { corpusCounts, type CorpusCounts } from "./counts";
