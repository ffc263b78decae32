/** y = a + b t + c t^2, fitted by least squares. */
export interface Parabola {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** Least-squares parabola through (t, y) points; null with fewer than 3 points or a degenerate fit. */
export function fitParabola(points: readonly { t: number; y: number }[]): Parabola | null {
  if (points.length < 3) return null;
  // Centre time for conditioning; shift back at the end.
  const t0 = points.reduce((s, p) => s + p.t, 0) / points.length;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    y0 = 0,
    y1 = 0,
    y2 = 0;
  for (const p of points) {
    const t = p.t - t0;
    const t2 = t * t;
    s0 += 1;
    s1 += t;
    s2 += t2;
    s3 += t2 * t;
    s4 += t2 * t2;
    y0 += p.y;
    y1 += p.y * t;
    y2 += p.y * t2;
  }
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  if (Math.abs(det) < 1e-15) return null;
  const a = (y0 * (s2 * s4 - s3 * s3) - s1 * (y1 * s4 - s3 * y2) + s2 * (y1 * s3 - s2 * y2)) / det;
  const b = (s0 * (y1 * s4 - y2 * s3) - y0 * (s1 * s4 - s3 * s2) + s2 * (s1 * y2 - y1 * s2)) / det;
  const c = (s0 * (s2 * y2 - s3 * y1) - s1 * (s1 * y2 - s3 * y0) + y0 * (s1 * s3 - s2 * s2)) / det;
  // Undo the shift: y = a + b (t - t0) + c (t - t0)^2.
  return { a: a - b * t0 + c * t0 * t0, b: b - 2 * c * t0, c };
}

/** The two real roots of a parabola, ascending, or null when it has none. */
export function parabolaRoots(p: Parabola): [number, number] | null {
  if (p.c === 0) return null;
  const disc = p.b * p.b - 4 * p.a * p.c;
  if (disc < 0) return null;
  const r1 = (-p.b - Math.sqrt(disc)) / (2 * p.c);
  const r2 = (-p.b + Math.sqrt(disc)) / (2 * p.c);
  return r1 < r2 ? [r1, r2] : [r2, r1];
}
