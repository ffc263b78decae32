import { costMatrixFromRows, solveLinearAssignment } from './linear-assignment';
import { MotError } from './mot.error';

/** Deterministic PRNG for the random tables (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Best (most allowed pairs, then least cost) by trying every partial injection. */
function bruteForce(cost: number[][], maxCost: number): { count: number; total: number } {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0]!.length;
  const used = new Array<boolean>(cols).fill(false);
  let best = { count: -1, total: Infinity };
  const visit = (r: number, count: number, total: number): void => {
    if (r === rows) {
      if (count > best.count || (count === best.count && total < best.total - 1e-12)) best = { count, total };
      return;
    }
    visit(r + 1, count, total);
    for (let c = 0; c < cols; c++) {
      const v = cost[r]![c]!;
      if (used[c] || !Number.isFinite(v) || v > maxCost) continue;
      used[c] = true;
      visit(r + 1, count + 1, total + v);
      used[c] = false;
    }
  };
  visit(0, 0, 0);
  return best;
}

describe('solveLinearAssignment', () => {
  it.each([
    ['square', [[4, 1, 3], [2, 0, 5], [3, 2, 2]], [[0, 1], [1, 0], [2, 2]], 5],
    ['wide', [[1, 2, 3], [3, 1, 0]], [[0, 0], [1, 2]], 1],
    ['tall', [[1, 3], [2, 1], [0, 5]], [[1, 1], [2, 0]], 1],
    ['greedy is wrong here', [[1, 2], [2, 100]], [[0, 1], [1, 0]], 4],
  ])('%s', (_name, rows, expectedPairs, expectedCost) => {
    const result = solveLinearAssignment(costMatrixFromRows(rows));
    expect(result.pairs).toEqual(expectedPairs);
    expect(result.totalCost).toBeCloseTo(expectedCost, 12);
  });

  it('forbidden pairs never take a row from an allowed pair', () => {
    const result = solveLinearAssignment(costMatrixFromRows([[0.1, NaN], [0.2, Infinity]]));
    expect(result.pairs).toEqual([[0, 0]]);
  });

  it('a gate maximises allowed pairs before minimising cost', () => {
    // Without the gate the cheapest full assignment uses 0.9; with maxCost 0.5 only one pair survives
    // and it must be the one that leaves no better alternative.
    const result = solveLinearAssignment(costMatrixFromRows([[0.1, 0.2], [0.3, 0.9]]), { maxCost: 0.5 });
    expect(result.pairs).toEqual([[0, 1], [1, 0]]);
    expect(result.totalCost).toBeCloseTo(0.5, 12);
  });

  it('handles empty matrices', () => {
    expect(solveLinearAssignment({ rows: 0, cols: 3, data: new Float64Array(0) }).pairs).toEqual([]);
  });

  it('rejects a malformed matrix', () => {
    expect(() => solveLinearAssignment({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(MotError);
  });

  it.each(Array.from({ length: 300 }, (_, k) => k))('matches brute force on random matrix #%i', (seed) => {
    const random = rng(seed + 1);
    const rows = 1 + Math.floor(random() * 5);
    const cols = 1 + Math.floor(random() * 5);
    const gated = seed % 3 === 0;
    const cost = Array.from({ length: rows }, () =>
      Array.from({ length: cols }, () => (seed % 5 === 0 && random() < 0.2 ? NaN : Math.round(random() * 20) / 10 - 0.5)),
    );
    const maxCost = gated ? 0.8 : Infinity;
    const expected = bruteForce(cost, maxCost);
    const result = solveLinearAssignment(costMatrixFromRows(cost), { maxCost });
    expect(result.pairs.length).toBe(expected.count);
    expect(result.totalCost).toBeCloseTo(expected.total, 9);
    for (const [r, c] of result.pairs) {
      expect(cost[r]![c]! <= maxCost).toBe(true);
      expect(result.rowToCol[r]).toBe(c);
      expect(result.colToRow[c]).toBe(r);
    }
  });
});
