// Which rows of a changed corpus are already in a stored HNSW graph, and which must be added or
// removed, so that adding a document inserts its few vectors instead of rebuilding the graph.
// Core (no Node APIs); store.ts applies the plan.
//
// Rows are matched by the content of their vectors (a key such as a hash of the bytes): a
// passage whose text is unchanged embeds to the same vector wherever it moved in the corpus.
// A graph label is never given twice: a removed one stays retired, new rows take `nextLabel` on.

export interface UpdatePlan {
  /** The graph label of each new row. */
  labels: number[];
  /** New rows whose vectors must be inserted (under labels[row]). */
  added: number[];
  /** Old labels whose vectors no row uses any more. */
  removed: number[];
  /** The first label never given, for the next update. */
  nextLabel: number;
}

/**
 * `oldKeys[i]` is the key of old row i, stored under `oldLabels[i]`; equal keys (duplicate
 * passages) are matched one for one, in order.
 */
export function planUpdate(oldKeys: string[], oldLabels: ArrayLike<number>, newKeys: string[], nextLabel: number): UpdatePlan {
  if (oldKeys.length !== oldLabels.length) throw new Error(`${oldKeys.length} old keys for ${oldLabels.length} labels`);
  const free = new Map<string, number[]>();
  oldKeys.forEach((key, i) => {
    const list = free.get(key);
    if (list) list.push(oldLabels[i]);
    else free.set(key, [oldLabels[i]]);
  });
  const labels: number[] = [];
  const added: number[] = [];
  let next = nextLabel;
  newKeys.forEach((key, row) => {
    const kept = free.get(key)?.shift();
    if (kept !== undefined) labels.push(kept);
    else {
      labels.push(next++);
      added.push(row);
    }
  });
  const removed = [...free.values()].flat();
  return { labels, added, removed, nextLabel: next };
}
