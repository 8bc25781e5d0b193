// The install rebuilds hnswlib-node for this CPU (scripts/build-hnswlib.ts) and keeps the portable
// addon. This loads one graph file with each build in the same process and alternates them query
// by query, so the before/after of that change is measured side by side on every bench run.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { hnswlibPaths } from "../../scripts/build-hnswlib";

export type AddonComparison =
  | { builtWith: string; queries: number; k: number; efSearch: number; portableMs: number; nativeMs: number; /** Share of searches where both builds return the same neighbours in the same order. */ sameNeighbours: number }
  | { skipped: string };

interface Graph {
  readIndex(path: string): Promise<void>;
  setEf(ef: number): void;
  searchKnn(query: number[], k: number): { neighbors: number[] };
  getCurrentCount(): number;
}
type Addon = { HierarchicalNSW: new (space: string, dimension: number) => Graph };

export interface CompareOptions {
  graphPath: string;
  dimension: number;
  efSearch: number;
  queries: Float32Array[];
  k?: number;
  rounds?: number;
}

export async function compareAddonBuilds(options: CompareOptions): Promise<AddonComparison> {
  const { graphPath, dimension, efSearch, queries, k, rounds } = { k: 50, rounds: 5, ...options };
  const { addon, marker, portableAddon } = hnswlibPaths();
  const builtWith = existsSync(marker) ? readFileSync(marker, "utf8").trim() : "unknown";
  if (!existsSync(portableAddon)) return { skipped: `no portable addon kept (${builtWith})` };
  if (queries.length === 0) return { skipped: "no query vectors" };

  const require = createRequire(import.meta.url);
  const load = async (file: string) => {
    const graph = new (require(file) as Addon).HierarchicalNSW("ip", dimension);
    await graph.readIndex(graphPath);
    graph.setEf(Math.max(efSearch, k));
    return graph;
  };
  const graphs = { portable: await load(portableAddon), native: await load(addon) };
  const asArrays = queries.map((q) => Array.from(q));
  // hnswlib throws when asked for more neighbours than the graph holds.
  const count = Math.min(k, graphs.native.getCurrentCount());
  const ms = { portable: 0, native: 0 };
  let identical = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [i, query] of asArrays.entries()) {
      // Alternate which build goes first, so neither always finds the caches warmed by the other.
      const order = (round + i) % 2 === 0 ? (["portable", "native"] as const) : (["native", "portable"] as const);
      const found: Record<string, number[]> = {};
      for (const build of order) {
        const start = performance.now();
        found[build] = graphs[build].searchKnn(query, count).neighbors;
        ms[build] += performance.now() - start;
      }
      if (found.portable.join() === found.native.join()) identical++;
    }
  }
  const searches = rounds * asArrays.length;
  const perSearch = (total: number) => Math.round((total / searches) * 1000) / 1000;
  return { builtWith, queries: asArrays.length, k: count, efSearch, portableMs: perSearch(ms.portable), nativeMs: perSearch(ms.native), sameNeighbours: perSearch(identical) };
}
