// Deterministic test vectors shared by the VectorIndex contract suite and bench:identity.

/** Deterministic unit vectors (a seeded LCG): the same test data for every implementation. */
export function seededVectors(count: number, dims: number, seed = 1): number[][] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: dims }, next);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
}

/** A vector close to `v` (cosine ~0.95+). */
export function near(v: readonly number[], seed: number): number[] {
  const [noise] = seededVectors(1, v.length, seed);
  const mixed = v.map((x, i) => x + 0.25 * noise![i]!);
  const n = Math.hypot(...mixed);
  return mixed.map((x) => x / n);
}
