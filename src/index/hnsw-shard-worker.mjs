// Node adapter, run in a worker thread by hnsw-shards.ts: inserts one contiguous range of the
// shared vectors into its own HNSW graph and writes the graph to a file. Plain JavaScript so
// the worker starts without a TypeScript loader (under tsx, vitest and plain node alike).
import { parentPort, workerData } from "node:worker_threads";
import hnswlib from "hnswlib-node";

const { vectors, dimension, start, end, M, efConstruction, randomSeed, path } = workerData;
const graph = new hnswlib.HierarchicalNSW("ip", dimension);
graph.initIndex({ maxElements: Math.max(1, end - start), m: M, efConstruction, randomSeed });
const PROGRESS_EVERY = 1000;
for (let id = start; id < end; id++) {
  // Labels are global passage ids, so merged results need no translation.
  graph.addPoint(Array.from(vectors.subarray(id * dimension, (id + 1) * dimension)), id);
  if ((id + 1 - start) % PROGRESS_EVERY === 0) parentPort.postMessage({ inserted: id + 1 - start });
}
graph.writeIndexSync(path);
parentPort.postMessage({ inserted: end - start, done: true });
