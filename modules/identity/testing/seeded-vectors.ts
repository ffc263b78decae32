// Deterministic test vectors shared by the VectorIndex contract suite, bench:identity and bench:identity-sweep.

/**
 * Deterministic unit vectors (a seeded LCG), one at a time: a 100k-vector bench keeps only the few
 * it needs instead of ~800 MB of arrays. Same stream, so the same vectors, as seededVectors.
 */
export function* seededVectorStream(count: number, dims: number, seed = 1): Generator<number[]> {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let c = 0; c < count; c++) {
    const v = Array.from({ length: dims }, next);
    const n = Math.hypot(...v);
    yield v.map((x) => x / n);
  }
}

/** Deterministic unit vectors (a seeded LCG): the same test data for every implementation. */
export function seededVectors(count: number, dims: number, seed = 1): number[][] {
  return [...seededVectorStream(count, dims, seed)];
}

/** A vector close to `v` (cosine ~0.95+). */
export function near(v: readonly number[], seed: number): number[] {
  const [noise] = seededVectors(1, v.length, seed);
  const mixed = v.map((x, i) => x + 0.25 * noise![i]!);
  const n = Math.hypot(...mixed);
  return mixed.map((x) => x / n);
}
