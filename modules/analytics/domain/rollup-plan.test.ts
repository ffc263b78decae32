import { OCCUPANCY_LEVELS, ROLLUP_MS, rollupPlan, rollupRowCount, type RollupPiece } from './rollup-plan';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

/** Every minute start in [from, to) is covered by exactly one piece, and coarse pieces are aligned. */
function expectExactCover(plan: readonly RollupPiece[], from: number, to: number): void {
  let at = from;
  for (const p of plan) {
    expect(p.from).toBe(at);
    expect(p.to).toBeGreaterThan(p.from);
    if (p.level !== 'MINUTE') {
      const size = ROLLUP_MS[p.level];
      expect(p.from % size).toBe(0);
      expect(p.to % size).toBe(0);
    }
    at = p.to;
  }
  expect(at).toBe(to);
}

describe('rollupPlan', () => {
  it('answers 30 whole days with 30 day rows', () => {
    const plan = rollupPlan(T0, T0 + 30 * DAY, 'DAY');
    expect(plan).toEqual([{ level: 'DAY', from: T0, to: T0 + 30 * DAY }]);
    expect(rollupRowCount(plan)).toBe(30);
  });

  it('uses hours and then minutes only at ragged edges (occupancy levels)', () => {
    const from = T0 + 5 * HOUR + 17 * MIN;
    const to = T0 + 3 * DAY + 2 * HOUR + 30 * MIN;
    const plan = rollupPlan(from, to, 'DAY', OCCUPANCY_LEVELS);
    expectExactCover(plan, from, to);
    expect(plan.map((p) => p.level)).toEqual(['MINUTE', 'HOUR', 'DAY', 'HOUR', 'MINUTE']);
    // 43 minutes, 18 hours, 2 days, 2 hours, 30 minutes
    expect(rollupRowCount(plan)).toBe(43 + 18 + 2 + 2 + 30);
  });

  it('reads at most 74 heatmap rows for any range of up to 30 days (every level)', () => {
    const from = T0 + 5 * HOUR + 17 * MIN;
    const to = T0 + 3 * DAY + 2 * HOUR + 30 * MIN;
    const plan = rollupPlan(from, to, 'DAY');
    expectExactCover(plan, from, to);
    expect(rollupRowCount(plan)).toBeLessThan(43 + 18 + 2 + 2 + 30);
    const worst = rollupPlan(T0 + 1 * MIN, T0 + 30 * DAY - 1 * MIN, 'DAY');
    expect(rollupRowCount(worst)).toBeLessThanOrEqual(74);
  });

  it('never reads a level coarser than asked (an hourly series reads no day rows)', () => {
    const plan = rollupPlan(T0, T0 + 2 * DAY, 'HOUR');
    expect(plan).toEqual([{ level: 'HOUR', from: T0, to: T0 + 2 * DAY }]);
    expect(rollupPlan(T0, T0 + 2 * DAY, 'HOUR', OCCUPANCY_LEVELS)).toEqual(plan);
    expect(rollupPlan(T0, T0 + 2 * HOUR, 'MINUTE')).toEqual([{ level: 'MINUTE', from: T0, to: T0 + 2 * HOUR }]);
  });

  it('keeps a range shorter than an hour on minute rows, and unaligned ends (seconds) on minute rows', () => {
    const from = T0 + 10 * MIN + 30_000;
    const plan = rollupPlan(from, from + 20 * MIN, 'DAY', OCCUPANCY_LEVELS);
    expect(plan).toEqual([{ level: 'MINUTE', from, to: from + 20 * MIN }]);
  });

  it('covers random ranges exactly', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 200; i += 1) {
      const from = T0 + Math.floor(rand() * 40 * DAY);
      const to = from + 1 + Math.floor(rand() * 35 * DAY);
      for (const level of ['MINUTE', 'HOUR', 'DAY'] as const) {
        expectExactCover(rollupPlan(from, to, level), from, to);
        expectExactCover(rollupPlan(from, to, level, OCCUPANCY_LEVELS), from, to);
      }
    }
  });

  it('is empty for an empty range', () => {
    expect(rollupPlan(T0, T0, 'DAY')).toEqual([]);
  });
});
