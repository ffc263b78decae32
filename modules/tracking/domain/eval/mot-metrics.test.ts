import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { accumulateMotCounts, evaluateMot, iouXywh, poolMotCounts, summarizeMotCounts } from './mot-metrics';
import { parseMotChallenge, type MotRow } from './mot-challenge.parser';

const dataDir = sharedDataPath('motmetrics');

/** A row at frame `frame` for id `id`, a 10x10 box whose left edge is at `x`. */
const row = (frame: number, id: number, x: number, y = 0): MotRow => ({ frame, id, x, y, w: 10, h: 10, score: 1 });

describe('iouXywh', () => {
  it.each([
    ['identical', [0, 0, 10, 10], [0, 0, 10, 10], 1],
    ['disjoint', [0, 0, 10, 10], [20, 0, 10, 10], 0],
    ['half overlap', [0, 0, 10, 10], [5, 0, 10, 10], 50 / 150],
    ['contained', [0, 0, 10, 10], [0, 0, 5, 10], 0.5],
  ])('%s', (_n, a, b, expected) => {
    expect(iouXywh(...(a as [number, number, number, number]), ...(b as [number, number, number, number]))).toBeCloseTo(expected, 12);
  });
});

describe('evaluateMot on hand-made tables', () => {
  it.each<[string, MotRow[], MotRow[], Partial<Record<string, number>>]>([
    ['perfect', [row(1, 1, 0), row(2, 1, 1), row(1, 2, 50), row(2, 2, 51)], [row(1, 7, 0), row(2, 7, 1), row(1, 8, 50), row(2, 8, 51)],
      { mota: 1, motp: 1, idf1: 1, numSwitches: 0, numFalsePositives: 0, numMisses: 0, mostlyTracked: 2 }],
    ['one miss and one false positive', [row(1, 1, 0), row(2, 1, 0)], [row(1, 5, 0), row(2, 5, 100)],
      { mota: 0, numMisses: 1, numFalsePositives: 1, numSwitches: 0, idtp: 1, idf1: 0.5, partiallyTracked: 1 }],
    ['an id switch', [row(1, 1, 0), row(2, 1, 0), row(3, 1, 0), row(4, 1, 0)], [row(1, 5, 0), row(2, 5, 0), row(3, 6, 0), row(4, 6, 0)],
      { numSwitches: 1, mota: 0.75, idtp: 2, idf1: 0.5, idp: 0.5, idr: 0.5 }],
    ['a fragmentation', [row(1, 1, 0), row(2, 1, 0), row(3, 1, 0), row(4, 1, 0), row(5, 1, 0)], [row(1, 5, 0), row(2, 5, 0), row(4, 5, 0)],
      { numFragmentations: 1, numMisses: 2, numSwitches: 0, partiallyTracked: 1 }],
    ['IoU below 0.5 is not a match', [row(1, 1, 0)], [row(1, 5, 6)], { numMatches: 0, numMisses: 1, numFalsePositives: 1 }],
    ['motp as mean IoU', [row(1, 1, 0)], [row(1, 5, 2)], { motp: 80 / 120, motpDistance: 1 - 80 / 120 }],
  ])('%s', (_name, gt, res, expected) => {
    const metrics = evaluateMot(gt, res) as unknown as Record<string, number>;
    for (const [key, value] of Object.entries(expected)) expect([key, metrics[key]]).toEqual([key, expect.closeTo(value!, 9)]);
  });

  it('keeps the previous pair while it stays in the gate instead of re-solving optimally', () => {
    // Frame 2: hyp 6 fits object 1 better than hyp 5, but 5 is still within the gate: no switch.
    const gt = [row(1, 1, 0), row(2, 1, 0)];
    const res = [row(1, 5, 0), row(2, 5, 3), row(2, 6, 0)];
    const counts = accumulateMotCounts(gt, res);
    expect(counts.numSwitches).toBe(0);
    expect(counts.numFalsePositives).toBe(1);
  });

  it('IDF1 uses a globally optimal id mapping, not a greedy one', () => {
    // Object 1 overlaps hyp 5 for 2 frames and hyp 6 for 3; object 2 overlaps hyp 6 for 3 frames.
    const gt = [1, 2, 3, 4, 5].map((f) => row(f, 1, 0)).concat([6, 7, 8].map((f) => row(f, 2, 0)));
    const res = [row(1, 5, 0), row(2, 5, 0), row(3, 6, 0), row(4, 6, 0), row(5, 6, 0), row(6, 6, 0), row(7, 6, 0), row(8, 6, 0)];
    const counts = accumulateMotCounts(gt, res);
    // Optimal: 1->5 (2) + 2->6 (3) = 5, better than greedy 1->6 (3).
    expect(counts.idtp).toBe(5);
  });

  it('pools counts across sequences', () => {
    const a = accumulateMotCounts([row(1, 1, 0)], [row(1, 1, 0)]);
    const b = accumulateMotCounts([row(1, 1, 0)], []);
    expect(summarizeMotCounts(poolMotCounts([a, b])).mota).toBeCloseTo(0.5, 12);
  });
});

const reference = {
  'TUD-Campus': { idf1: 0.557659, idp: 0.72973, idr: 0.451253, recall: 0.582173, precision: 0.941441, numUniqueObjects: 8, mostlyTracked: 1, partiallyTracked: 6, mostlyLost: 1, numFalsePositives: 13, numMisses: 150, numSwitches: 7, numFragmentations: 7, mota: 0.526462, motpDistance: 0.277201 },
  'TUD-Stadtmitte': { idf1: 0.644619, idp: 0.81976, idr: 0.531142, recall: 0.608997, precision: 0.93992, numUniqueObjects: 10, mostlyTracked: 5, partiallyTracked: 4, mostlyLost: 1, numFalsePositives: 45, numMisses: 452, numSwitches: 7, numFragmentations: 6, mota: 0.564014, motpDistance: 0.345904 },
  overall: { idf1: 0.624296, idp: 0.799176, idr: 0.512211, recall: 0.60264, precision: 0.940268, numUniqueObjects: 18, mostlyTracked: 6, partiallyTracked: 10, mostlyLost: 2, numFalsePositives: 58, numMisses: 602, numSwitches: 14, numFragmentations: 13, mota: 0.555116, motpDistance: 0.330177 },
} as const;

const sequences = ['TUD-Campus', 'TUD-Stadtmitte'].flatMap((seq) => ['gt.txt', 'test.txt'].map((f) => join(dataDir, seq, f)));

describeWithInputs(sequences, 'the py-motmetrics reference comparison')('evaluateMot against py-motmetrics reference values (shared data)', () => {
  const load = (seq: string) => {
    const read = (f: string) => readFileSync(join(dataDir, seq, f), 'utf8');
    return accumulateMotCounts(parseMotChallenge(read('gt.txt'), { minConfidence: 1 }), parseMotChallenge(read('test.txt')));
  };
  // Loaded in beforeAll: a skipped describe still runs its body, and the files may be absent.
  let counts: Record<keyof typeof reference, ReturnType<typeof accumulateMotCounts>>;
  beforeAll(() => {
    const campus = load('TUD-Campus');
    const stadtmitte = load('TUD-Stadtmitte');
    counts = { 'TUD-Campus': campus, 'TUD-Stadtmitte': stadtmitte, overall: poolMotCounts([campus, stadtmitte]) };
  });

  it.each(Object.keys(reference) as Array<keyof typeof reference>)('%s', (name) => {
    const metrics = summarizeMotCounts(counts[name]) as unknown as Record<string, number>;
    for (const [key, value] of Object.entries(reference[name])) {
      expect([key, Math.round(metrics[key]! * 1000) / 1000]).toEqual([key, Math.round(value * 1000) / 1000]);
      expect(Math.abs(metrics[key]! - value)).toBeLessThan(1e-3);
    }
  });
});
