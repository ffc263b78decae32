import { isSelfIntersecting } from './polygon';

/** A point in normalized image coordinates: (0,0) top-left, (1,1) bottom-right. */
export type NormalizedPoint = readonly [number, number];

export type ZoneShape = { kind: 'AREA'; points: NormalizedPoint[] } | { kind: 'LINE'; points: [NormalizedPoint, NormalizedPoint] };

/**
 * Checks a zone's geometry: every coordinate in [0, 1]; a LINE has exactly two distinct
 * points; an AREA has 3 to 64 points, a non-zero area and no crossing edges (a bow-tie has no
 * well-defined inside). Returns a problem or null.
 */
export function zoneGeometryProblem(kind: 'AREA' | 'LINE', points: readonly (readonly number[])[]): string | null {
  if (points.some((p) => p.length !== 2 || p.some((c) => !Number.isFinite(c) || c < 0 || c > 1))) {
    return 'every point must be [x, y] with both in 0..1 (normalized image coordinates)';
  }
  if (kind === 'LINE') {
    if (points.length !== 2) return 'a LINE zone has exactly 2 points';
    const [a, b] = points as [number[], number[]];
    return a[0] === b[0] && a[1] === b[1] ? 'a LINE zone needs two distinct points' : null;
  }
  if (points.length < 3 || points.length > 64) return 'an AREA zone has 3 to 64 points';
  if (isSelfIntersecting(points.map(([x, y]) => ({ x: x!, y: y! })))) return 'an AREA zone must not cross itself';
  return Math.abs(signedArea(points)) < 1e-9 ? 'an AREA zone must enclose a non-zero area' : null;
}

/** Shoelace formula. */
export function signedArea(points: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i] as [number, number];
    const [x2, y2] = points[(i + 1) % points.length] as [number, number];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}
