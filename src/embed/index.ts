// The embed stage's core: runs anywhere, including a Cloudflare Worker.
// The Node-only adapters (transformers.ts, select.ts) are imported by path.
export { createHashingEmbedder, type HashingEmbedderOptions } from "./hashing";
export { createQueryBatcher, type QueryBatcherOptions } from "./query-batcher";
