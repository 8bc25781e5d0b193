// token-vectors.bin (src/embed/token-vectors.ts): what the converter writes, read back row by row.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeTokenVectors, openTokenVectors, type Q4Matrix } from "../../src/embed/token-vectors";

const root = mkdtempSync(join(tmpdir(), "token-vectors-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A Q4_0 matrix with every 4-bit value and varied scales; row 2 all zero. */
function matrix(rows: number, cols: number): Q4Matrix {
  const q = Int8Array.from({ length: rows * cols }, (_, i) => (Math.floor(i / cols) === 2 ? 0 : ((i * 7) % 16) - 8));
  const scales = Float32Array.from({ length: (rows * cols) / 32 }, (_, i) => 0.01 * (i + 1));
  return { q, scales, rows, cols };
}

function written(m: Q4Matrix): string {
  const path = join(root, `m${m.rows}x${m.cols}.bin`);
  writeFileSync(path, encodeTokenVectors(m));
  return path;
}

describe("token vectors", () => {
  it("reads back each row as its values times its block's scale, at unit length", () => {
    const m = matrix(5, 64);
    const table = openTokenVectors(written(m));
    expect([table.rows, table.dimension]).toEqual([5, 64]);
    for (const id of [0, 1, 3, 4]) {
      const expected = Array.from({ length: 64 }, (_, c) => m.q[id * 64 + c] * m.scales[(id * 64 + c) >> 5]);
      const norm = Math.hypot(...expected);
      const row = table.vector(id);
      expected.forEach((value, c) => expect(row[c]).toBeCloseTo(value / norm, 6));
    }
    table.close();
  });

  it("gives a zero vector for an all-zero row and for ids outside the table, never NaN", () => {
    const table = openTokenVectors(written(matrix(5, 64)));
    for (const id of [2, -1, 5, 1.5]) expect([...table.vector(id)].every((x) => x === 0)).toBe(true);
    table.close();
  });

  it("gives the same rows when its cache holds only one", () => {
    const path = written(matrix(5, 64));
    const cached = openTokenVectors(path);
    const small = openTokenVectors(path, 1);
    for (const id of [0, 1, 0, 4, 1, 3, 0]) expect(small.vector(id)).toEqual(cached.vector(id));
    cached.close();
    small.close();
  });

  it("refuses a file that is not one, saying how to get a good one", () => {
    const path = join(root, "not.bin");
    writeFileSync(path, new TextEncoder().encode("PK\u0003\u0004 a zip file, longer than a header"));
    expect(() => openTokenVectors(path)).toThrow(/not a token-vectors file.*model:fetch/);
    writeFileSync(path, new Uint8Array(3));
    expect(() => openTokenVectors(path)).toThrow(/too short/);
  });

  it("will not write columns that do not fill whole blocks of 32", () => {
    expect(() => encodeTokenVectors({ q: new Int8Array(40), scales: new Float32Array(2), rows: 1, cols: 40 })).toThrow(/multiple of the 32-value block/);
  });
});
