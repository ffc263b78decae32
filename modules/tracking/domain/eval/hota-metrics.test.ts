import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { accumulateHotaCounts, evaluateHota, HOTA_ALPHAS, poolHotaCounts, summarizeHotaCounts } from './hota-metrics';
import { parseMotChallenge, type MotRow } from './mot-challenge.parser';

const dataDir = sharedDataPath('motmetrics');

/** A row at frame `frame` for id `id`, a 10x10 box whose left edge is at `x`. */
const row = (frame: number, id: number, x: number): MotRow => ({ frame, id, x, y: 0, w: 10, h: 10, score: 1 });

describe('HOTA_ALPHAS', () => {
  it('are the 19 thresholds 0.05 … 0.95', () => {
    expect(HOTA_ALPHAS).toHaveLength(19);
    expect(HOTA_ALPHAS[0]).toBeCloseTo(0.05, 12);
    expect(HOTA_ALPHAS[18]).toBeCloseTo(0.95, 12);
  });
});

describe('evaluateHota on hand-made tables', () => {
  it('a perfect result scores 1 everywhere', () => {
    const gt = [row(1, 1, 0), row(2, 1, 1), row(1, 2, 50), row(2, 2, 51)];
    const m = evaluateHota(
      gt,
      gt.map((r) => ({ ...r, id: r.id + 10 })),
    );
    expect([m.hota, m.detA, m.assA, m.locA]).toEqual([1, 1, 1, 1]);
  });

  it('worked by hand: an id switch on the last frame, where the box also drifts to IoU 1/3', () => {
    // gt id 1 is on frames 1-3. Result id 5 covers it on frame 1 (IoU 1), id 6 on frame 2
    // (IoU 1) and on frame 3 shifted by half a box (IoU 50/150 = 1/3).
    const gt = [row(1, 1, 0), row(2, 1, 0), row(3, 1, 0)];
    const res = [row(1, 5, 0), row(2, 6, 0), row(3, 6, 5)];
    // Alphas 0.05-0.30 (6 of them): 3 TPs, pairs (1,5) x1 and (1,6) x2. AssA = (1·1/3 + 2·2/3) / 3
    // = 5/9, DetA = 1, LocA = (1 + 1 + 1/3) / 3 = 7/9.
    // Alphas 0.35-0.95 (13): frame 3 is one FN and one FP. 2 TPs, AssA = (1/3 + 1/4) / 2 = 7/24,
    // DetA = 2/4, LocA = 1.
    const m = evaluateHota(gt, res);
    expect(m.perAlpha.assA[0]).toBeCloseTo(5 / 9, 12);
    expect(m.perAlpha.assA[6]).toBeCloseTo(7 / 24, 12);
    expect(m.detA).toBeCloseTo((6 * 1 + 13 * 0.5) / 19, 12);
    expect(m.assA).toBeCloseTo((6 * (5 / 9) + 13 * (7 / 24)) / 19, 12);
    expect(m.locA).toBeCloseTo((6 * (7 / 9) + 13 * 1) / 19, 12);
    expect(m.hota).toBeCloseTo((6 * Math.sqrt(5 / 9) + 13 * Math.sqrt(0.5 * (7 / 24))) / 19, 12);
  });

  it('matches by global alignment, not by IoU alone', () => {
    // Result 5 follows gt 1 for four frames; on frame 5 result 6 overlaps gt 1 a little better
    // than 5 does, but 5's long shared history wins the frame's assignment.
    const gt = [1, 2, 3, 4, 5].map((f) => row(f, 1, 0));
    const res = [1, 2, 3, 4].map((f) => row(f, 5, 0)).concat([row(5, 5, 2), row(5, 6, 1)]);
    const counts = accumulateHotaCounts(gt, res);
    // At alpha 0.5 every frame is a TP (IoU 8/12 for id 5 on frame 5) and all are with id 5.
    expect(counts.tp[9]).toBe(5);
    expect(counts.assASum[9]).toBeCloseTo(5 * (5 / (5 + 5 - 5)), 12);
  });

  it.each<[string, MotRow[], MotRow[], { fn: number; fp: number }]>([
    ['no results', [row(1, 1, 0), row(2, 1, 0)], [], { fn: 2, fp: 0 }],
    ['no ground truth', [], [row(1, 1, 0)], { fn: 0, fp: 1 }],
  ])('%s: HOTA 0, LocA 1', (_name, gt, res, expected) => {
    const counts = accumulateHotaCounts(gt, res);
    expect([counts.fn[0], counts.fp[0]]).toEqual([expected.fn, expected.fp]);
    const m = summarizeHotaCounts(counts);
    expect([m.hota, m.locA]).toEqual([0, 1]);
  });

  it('pools sequences by summing per-alpha counts', () => {
    const a = accumulateHotaCounts([row(1, 1, 0)], [row(1, 1, 0)]);
    const b = accumulateHotaCounts([row(1, 1, 0)], []);
    expect(summarizeHotaCounts(poolHotaCounts([a, b])).detA).toBeCloseTo(0.5, 12);
  });
});

// TrackEval's values for the py-motmetrics fixtures (the shared data folder's README lists them).
const reference = {
  'TUD-Campus': { hota: 0.391397, detA: 0.418047, assA: 0.369121 },
  'TUD-Stadtmitte': { hota: 0.397849, detA: 0.392268, assA: 0.408841 },
} as const;

const inputs = Object.keys(reference).flatMap((seq) => ['gt.txt', 'test.txt'].map((f) => join(dataDir, seq, f)));

describeWithInputs(inputs, 'the TrackEval HOTA reference comparison')('evaluateHota against TrackEval reference values (shared data)', () => {
  it.each(Object.keys(reference) as Array<keyof typeof reference>)('%s', (seq) => {
    const read = (f: string) => readFileSync(join(dataDir, seq, f), 'utf8');
    const m = evaluateHota(parseMotChallenge(read('gt.txt'), { minConfidence: 1 }), parseMotChallenge(read('test.txt')));
    for (const [key, value] of Object.entries(reference[seq])) {
      expect([key, (m as unknown as Record<string, number>)[key]!.toFixed(3)]).toEqual([key, value.toFixed(3)]);
      expect(Math.abs((m as unknown as Record<string, number>)[key]! - value)).toBeLessThan(5e-6);
    }
  });
});
