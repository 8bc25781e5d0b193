// The HNSW efSearch a corpus of a given size needs. Greedy graph search must look at more
// candidates as the graph grows to find the same share of the true neighbours; on the built-in
// embedder's vectors the efSearch that keeps recall@10 at 0.95 or more grows about as N^0.6
// (bench/REPORT.md: 10k passages in one graph 128 → 0.955; 20k in one graph 256 → 0.975; 100k
// in two graphs 512 → 0.98, 256 → 0.93). A fixed efSearch is either wasted on small corpora or
// too small for large ones.

export type EfSearchSetting = number | "auto";

const REFERENCE_PASSAGES = 10_000;
const EF_AT_REFERENCE = 128;
const GROWTH = 0.6;
const SMALLEST = 64;
const LARGEST = 1024;

/** A fixed setting is returned as given; "auto" is read off the curve above, as a power of two. */
export function efSearchFor(passages: number, setting: EfSearchSetting = "auto"): number {
  if (setting !== "auto") return setting;
  const wanted = EF_AT_REFERENCE * Math.pow(Math.max(passages, 1) / REFERENCE_PASSAGES, GROWTH);
  return Math.min(LARGEST, Math.max(SMALLEST, 2 ** Math.ceil(Math.log2(wanted))));
}
