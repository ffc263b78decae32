import { ManualClock, type DropReason } from '@trinetra/shared';
import type { CameraTier } from '@trinetra/shared';
import { FrameAdmission, type AdmissionDecision, type AdmissionFrame, type FrameAdmissionOptions } from './frame-admission';
import { TokenBucket } from './token-bucket';

function frame(seq: number, captureTs: number, cameraId = 'cam', size?: number): AdmissionFrame {
  return size === undefined ? { cameraId, seq, captureTs } : { cameraId, seq, captureTs, jpeg: { length: size } };
}

function setup(tier: CameraTier, targetFps = 10, burst?: number, options: Partial<FrameAdmissionOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  const admission = new FrameAdmission({ clock, ...options });
  admission.configureCamera('cam', burst === undefined ? { tier, targetFps } : { tier, targetFps, burst });
  return { clock, admission };
}

/** Feeds `count` frames at `fps` (clock advancing), returns the decisions. */
function feed(tier: CameraTier, fps: number, count: number, targetFps = 10, burst?: number): AdmissionDecision[] {
  const { clock, admission } = setup(tier, targetFps, burst);
  const out: AdmissionDecision[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push(admission.admitFrame(frame(i, clock.now())));
    clock.advance(1000 / fps);
  }
  const stats = admission.stats('cam')!;
  const dropped = Object.values(stats.dropped).reduce((a, b) => a + (b ?? 0), 0);
  expect(stats.admitted + dropped).toBe(stats.seen);
  return out;
}

const count = (ds: AdmissionDecision[], what: 'admitted' | DropReason) =>
  ds.filter((d) => (what === 'admitted' ? d.admitted : !d.admitted && d.reason === what)).length;

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(10, 5);
    const burst = Array.from({ length: 8 }, () => bucket.tryTake(0));
    expect(burst).toEqual([true, true, true, true, true, false, false, false]);
    expect(bucket.tryTake(99)).toBe(false);
    expect(bucket.tryTake(100)).toBe(true);
    expect(bucket.available(10_000)).toBe(5);
  });

  it('ignores time going backwards', () => {
    const bucket = new TokenBucket(1, 1);
    expect(bucket.tryTake(5000)).toBe(true);
    expect(bucket.tryTake(0)).toBe(false);
    expect(bucket.tryTake(5999)).toBe(false);
    expect(bucket.tryTake(6000)).toBe(true);
  });

  it.each([[0, 1], [10, 0.5], [-1, 3]])('rejects rate %p burst %p', (rate, burst) => {
    expect(() => new TokenBucket(rate, burst)).toThrow(RangeError);
  });
});

describe('FrameAdmission', () => {
  it('suppresses bursts beyond the token bucket and recovers at the target rate', () => {
    const { clock, admission } = setup('STANDARD', 10, 10);
    const first = Array.from({ length: 30 }, (_, i) => admission.admitFrame(frame(i, clock.now() + i)));
    expect(count(first, 'admitted')).toBe(10);
    expect(count(first, 'burst_suppressed')).toBe(20);
    clock.advance(500);
    const later = Array.from({ length: 10 }, (_, i) => admission.admitFrame(frame(100 + i, clock.now() + i)));
    expect(count(later, 'admitted')).toBe(5);
  });

  it.each<[CameraTier, number, number, [number, number]]>([
    // tier, source fps, seconds, expected admitted range: the token bucket at the target rate (10 fps)
    ['STANDARD', 10, 10, [100, 100]],
    ['STANDARD', 30, 10, [109, 110]],
    ['CRITICAL', 10, 10, [100, 100]],
    ['BEST_EFFORT', 10, 10, [20, 21]],
    ['LIVE', 10, 10, [100, 100]],
    ['BILLING', 30, 10, [300, 300]],
  ])('%s at %p fps over %ps admits %p', (tier, fps, seconds, [lo, hi]) => {
    const ds = feed(tier, fps, fps * seconds);
    expect(count(ds, 'admitted')).toBeGreaterThanOrEqual(lo);
    expect(count(ds, 'admitted')).toBeLessThanOrEqual(hi);
  });

  it('never drops BILLING frames under overload and signals backpressure instead', () => {
    const ds = feed('BILLING', 100, 500, 10);
    expect(ds.every((d) => d.admitted)).toBe(true);
    expect(ds.filter((d) => d.admitted && d.backpressure).length).toBeGreaterThan(400);
  });

  it('signals backpressure for BILLING only when over its rate', () => {
    const ds = feed('BILLING', 10, 50, 10);
    expect(ds.some((d) => d.admitted && d.backpressure)).toBe(false);
  });

  describe('ordering', () => {
    type Step = [seq: number, ts: number, expected: 'admit' | DropReason, tsOut?: number];
    it.each<[string, CameraTier, Step[]]>([
      ['increasing', 'STANDARD', [[0, 100, 'admit', 100], [1, 200, 'admit', 200], [5, 300, 'admit', 300]]],
      ['repeated sequence', 'STANDARD', [[0, 100, 'admit'], [0, 200, 'out_of_order'], [1, 300, 'admit']]],
      ['backwards sequence', 'STANDARD', [[4, 100, 'admit'], [3, 200, 'out_of_order'], [5, 300, 'admit']]],
      ['clock steps back a little', 'STANDARD', [[0, 1000, 'admit', 1000], [1, 900, 'admit', 1000.001], [2, 1100, 'admit', 1100]]],
      ['clock repeats', 'LIVE', [[0, 1000, 'admit', 1000], [1, 1000, 'admit', 1000.001]]],
      ['clock jumps far back', 'STANDARD', [[0, 10_000, 'admit'], [1, 2_000, 'out_of_order'], [2, 10_100, 'admit', 10_100]]],
      ['billing clock jumps far back', 'BILLING', [[0, 10_000, 'admit'], [1, 2_000, 'admit', 10_000.001]]],
      ['billing duplicate', 'BILLING', [[7, 10_000, 'admit'], [7, 10_000, 'out_of_order']]],
      ['not a number', 'STANDARD', [[Number.NaN, 1, 'out_of_order'], [0, Number.POSITIVE_INFINITY, 'out_of_order'], [0, 5, 'admit']]],
    ])('%s', (_name, tier, steps) => {
      const { admission, clock } = setup(tier, 1000, 1000);
      for (const [seq, ts, expected, tsOut] of steps) {
        clock.advance(10);
        const d = admission.admitFrame(frame(seq, ts));
        if (expected === 'admit') {
          expect(d.admitted).toBe(true);
          if (tsOut !== undefined && d.admitted) expect(d.ts).toBeCloseTo(tsOut, 6);
        } else {
          expect(d).toEqual({ admitted: false, reason: expected });
        }
      }
    });

    it('tolerates a drifting source clock: admitted timestamps stay strictly increasing', () => {
      const { admission, clock } = setup('STANDARD', 1000, 1000);
      let last = Number.NEGATIVE_INFINITY;
      for (let seq = 0; seq < 500; seq += 1) {
        clock.advance(33);
        // A slow clock with jitter and an occasional small NTP step back.
        const ts = seq * 32 + Math.sin(seq) * 20 - (seq % 97 === 0 ? 300 : 0);
        const d = admission.admitFrame(frame(seq, ts));
        expect(d.admitted).toBe(true);
        if (d.admitted) {
          expect(d.ts).toBeGreaterThan(last);
          last = d.ts;
        }
      }
    });

    it('keeps cameras independent', () => {
      const { admission } = setup('STANDARD', 1000, 1000);
      expect(admission.admitFrame(frame(5, 100, 'a')).admitted).toBe(true);
      expect(admission.admitFrame(frame(1, 50, 'b')).admitted).toBe(true);
      expect(admission.admitFrame(frame(5, 200, 'a'))).toEqual({ admitted: false, reason: 'out_of_order' });
      admission.forgetCamera('a');
      expect(admission.admitFrame(frame(0, 10, 'a')).admitted).toBe(true);
    });
  });

  it('estimates motion from the change in frame size: near 0 for a static scene, high for a busy one', () => {
    const { admission, clock } = setup('STANDARD', 100, 100);
    const motionOf = (d: AdmissionDecision): number | undefined => (d.admitted ? d.motion : undefined);
    const still: AdmissionDecision[] = [];
    for (let i = 0; i < 20; i += 1) {
      clock.advance(10);
      still.push(admission.admitFrame(frame(i, clock.now(), 'cam', 30_000)));
    }
    expect(motionOf(still[0]!)).toBeUndefined();
    expect(motionOf(still.at(-1)!)).toBeLessThan(0.05);
    const busy: AdmissionDecision[] = [];
    for (let i = 20; i < 40; i += 1) {
      clock.advance(10);
      busy.push(admission.admitFrame(frame(i, clock.now(), 'cam', i % 2 ? 30_000 : 45_000)));
    }
    expect(motionOf(busy.at(-1)!)).toBeGreaterThan(0.5);
  });

  it('reconfiguring a camera keeps its ordering state and counters', () => {
    const { admission, clock } = setup('STANDARD');
    admission.admitFrame(frame(3, clock.now()));
    admission.configureCamera('cam', { tier: 'BILLING', targetFps: 5 });
    expect(admission.admitFrame(frame(2, clock.now() + 1))).toEqual({ admitted: false, reason: 'out_of_order' });
    expect(admission.stats('cam')).toMatchObject({ seen: 2, admitted: 1, dropped: { out_of_order: 1 } });
  });
});
