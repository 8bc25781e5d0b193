// The runtime-neutral part of the index stage (no Node APIs): safe to bundle into the Worker.
export { createBm25Index, type Bm25Index, type Bm25Options } from "./bm25";
export { createExactIndex, type ExactIndex } from "./exact";
export { FORMAT_VERSION, ManifestSchema, STORE_FILES, staleReason, type Manifest, type ManifestExpectation } from "./manifest";
