// Extraction fidelity: how much of a source text a reader got back, character by character.
// Both sides get the same normalisation (NFKC, every run of blank space one space), then
// similarity = 2 × (characters in a longest common subsequence) / (sum of lengths), as Python's
// difflib ratio; 1 means identical. Myers' O((N+M)·D) diff keeps it fast for near-identical texts.

export function normalizeForFidelity(text: string): string {
  return text.normalize("NFKC").replace(/[\s\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C]+/gu, " ").trim();
}

export function fidelity(expected: string, got: string): number {
  const a = [...normalizeForFidelity(expected)];
  const b = [...normalizeForFidelity(got)];
  if (a.length + b.length === 0) return 1;
  const distance = editDistance(a, b); // insertions + deletions only
  const common = (a.length + b.length - distance) / 2;
  return (2 * common) / (a.length + b.length);
}

/** Myers' shortest edit script length (insertions and deletions) between two sequences. */
function editDistance(a: string[], b: string[]): number {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return max;
}
