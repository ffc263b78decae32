/**
 * Which stored bucket rows answer a time range exactly. Minute buckets are rolled up into coarser
 * rows (heatmaps: 10 minutes, hour, 6 hours, day; occupancy: hour, day; UTC; kept in the same
 * statement as the minute write). A query over [from, to) sums the minute rows whose start lies
 * in the range; a coarse row equals the sum of the minute rows of its span, so it may stand in
 * for them when its whole span lies in the range. The plan uses the coarsest rows allowed, finer ones only at the ragged edges: 30 days
 * of minutes (43,200 rows) become at most 30 + 6 + 10 + 10 + 18 = 74 rows.
 */
export type RollupLevel = 'MINUTE' | 'TEN_MINUTES' | 'HOUR' | 'SIX_HOURS' | 'DAY';

export const ROLLUP_MS: Record<RollupLevel, number> = { MINUTE: 60_000, TEN_MINUTES: 600_000, HOUR: 3_600_000, SIX_HOURS: 21_600_000, DAY: 86_400_000 };

/** Coarsest first. Heatmaps keep every level (each row is 3,072 counts, so rows are what cost). */
export const HEATMAP_LEVELS: readonly RollupLevel[] = ['DAY', 'SIX_HOURS', 'HOUR', 'TEN_MINUTES', 'MINUTE'];
/** Occupancy rows are four numbers: hours and days are enough. */
export const OCCUPANCY_LEVELS: readonly RollupLevel[] = ['DAY', 'HOUR', 'MINUTE'];

/** Rows of one level whose bucket start lies in [from, to) (epoch ms). */
export interface RollupPiece {
  level: RollupLevel;
  from: number;
  to: number;
}

/**
 * Splits [from, to) into pieces, each answered by rows of one of `levels` (coarsest first, each
 * size a multiple of the next, ending with MINUTE), using no level coarser than `coarsest` (a
 * series bucketed by hour must not read day rows). Pieces are disjoint, ordered, and cover the range.
 */
export function rollupPlan(from: number, to: number, coarsest: RollupLevel, levels: readonly RollupLevel[] = HEATMAP_LEVELS): RollupPiece[] {
  const usable = levels.filter((l) => ROLLUP_MS[l] <= ROLLUP_MS[coarsest]);
  return plan(from, to, usable.length > 0 ? usable : ['MINUTE']);
}

function plan(from: number, to: number, levels: readonly RollupLevel[]): RollupPiece[] {
  if (!(to > from)) return [];
  const [level, ...finer] = levels;
  if (level === undefined || finer.length === 0) return [{ level: level ?? 'MINUTE', from, to }];
  const size = ROLLUP_MS[level];
  const start = Math.ceil(from / size) * size;
  const end = Math.floor(to / size) * size;
  if (start >= end) return plan(from, to, finer);
  return [...plan(from, start, finer), { level, from: start, to: end }, ...plan(end, to, finer)];
}

/** How many stored rows per series a plan reads at most (one per bucket start in each piece). */
export function rollupRowCount(plan: readonly RollupPiece[]): number {
  let rows = 0;
  for (const p of plan) {
    const size = ROLLUP_MS[p.level];
    rows += Math.floor((p.to - 1) / size) - Math.ceil(p.from / size) + 1;
  }
  return rows;
}
