import type { ScoredId } from "../types";

/**
 * Keeps the k best (id, score) pairs seen so far in a bounded min-heap, so ranking n
 * candidates costs O(n log k) instead of sorting all n. Ties go to the smaller id,
 * which makes every ranking deterministic.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float64Array;
  private readonly k: number;
  private count = 0;

  /** A k that is not a positive number (0, negative, NaN) keeps nothing. */
  constructor(k: number) {
    this.k = k >= 1 ? Math.floor(k) : 0;
    this.ids = new Int32Array(this.k);
    this.scores = new Float64Array(this.k);
  }

  push(id: number, score: number): void {
    if (this.k === 0 || Number.isNaN(score)) return;
    if (this.count < this.k) {
      this.ids[this.count] = id;
      this.scores[this.count] = score;
      this.siftUp(this.count++);
    } else if (this.worse(0, id, score)) {
      this.ids[0] = id;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** Best first. */
  result(): ScoredId[] {
    const hits: ScoredId[] = [];
    for (let i = 0; i < this.count; i++) hits.push({ id: this.ids[i], score: this.scores[i] });
    return hits.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  /** Whether the entry at slot i ranks below (id, score). */
  private worse(i: number, id: number, score: number): boolean {
    const s = this.scores[i];
    return s < score || (s === score && this.ids[i] > id);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, this.ids[parent], this.scores[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.count && this.worse(left, this.ids[smallest], this.scores[smallest])) smallest = left;
      if (right < this.count && this.worse(right, this.ids[smallest], this.scores[smallest])) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a];
    const score = this.scores[a];
    this.ids[a] = this.ids[b];
    this.scores[a] = this.scores[b];
    this.ids[b] = id;
    this.scores[b] = score;
  }
}
