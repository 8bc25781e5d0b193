// Seeded random unit vectors, so vector tests are reproducible and fast to generate.

import { mulberry32 } from "../../bench/lib/random";

/** The benchmarks' seeded PRNG, shared so tests and benchmarks draw the same numbers. */
export const seededRandom = mulberry32;

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}

/** Gaussian directions are uniform on the sphere, unlike uniform cube samples. */
export function randomUnitVectors(count: number, dimension: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => normalize(Float32Array.from({ length: dimension }, gaussian)));
}
