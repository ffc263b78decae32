import { analyzeMotion } from '../../domain/motion-analysis';
import { MotionErrorCode } from '../../domain/motion.error';
import { syntheticCmj, syntheticStanding } from '../../testing/synthetic-athlete';
import { CMJ } from './cmj.sport';

const athlete = { heightM: 1.75 };

describe('CMJ on synthetic jumps with known physics', () => {
  // Take-off speeds 1.5..3.2 m/s: jumps of 11..52 cm; five noise seeds each.
  const cases = [1.5, 2.0, 2.4, 2.8, 3.2].flatMap((v) => [1, 2, 3, 4, 5].map((seed) => [v, seed] as const));

  it.each([
    [60, 0.01],
    [30, 0.03],
  ])('at %i fps the flight-time height is within %f m of v^2/2g', (fps, tolerance) => {
    const errors = cases.map(([v, seed]) => {
      const { series, truth } = syntheticCmj(v, { fps, seed, noisePx: 2 });
      const result = analyzeMotion(CMJ, series, athlete);
      if (result.status !== 'OK') throw new Error(`v=${v} seed=${seed}: ${JSON.stringify(result)}`);
      return result.metrics.jumpHeightM - truth.jumpHeightM;
    });
    expect(Math.max(...errors.map(Math.abs))).toBeLessThan(tolerance);
  });

  it('keeps within 1 cm at 60 fps with every 10th frame missing (gaps, not zeros)', () => {
    for (const seed of [1, 2, 3]) {
      const { series, truth } = syntheticCmj(2.4, { fps: 60, seed });
      const gappy = { fps: 60, frames: series.frames.map((f, i) => ((i + seed) % 10 === 0 ? null : f)) };
      const result = analyzeMotion(CMJ, gappy, athlete);
      expect(result.status === 'OK' && Math.abs(result.metrics.jumpHeightM - truth.jumpHeightM)).toBeLessThan(0.01);
    }
  });

  it('times take-off and splits the jump into its phases in order', () => {
    const { series, truth } = syntheticCmj(2.5, { fps: 60, seed: 7 });
    const result = analyzeMotion(CMJ, series, athlete);
    if (result.status !== 'OK') throw new Error(JSON.stringify(result));
    expect(Math.abs(result.metrics.takeoffS - truth.takeoffS)).toBeLessThan(1 / 60);
    expect(Math.abs(result.metrics.flightTimeS - truth.flightTimeS)).toBeLessThan(0.01);
    expect(result.phases.map((p) => p.name)).toEqual(['QUIET', 'ECCENTRIC', 'CONCENTRIC', 'FLIGHT', 'LANDING']);
    for (let i = 1; i < result.phases.length; i += 1) expect(result.phases[i]?.startS).toBeCloseTo(result.phases[i - 1]?.endS ?? Number.NaN, 6);
    // The synthetic body drops its hip by ~0.3 m (knee 175 -> 100 deg); the COM follows it.
    expect(result.metrics.countermovementDepthM).toBeGreaterThan(0.15);
  });

  it.each([1, 2, 3])('noise only (seed %i) is NO_EVENT_DETECTED, never a number', (seed) => {
    const result = analyzeMotion(CMJ, syntheticStanding(4, { fps: 60, seed, noisePx: 3 }), athlete);
    expect(result.status).toBe('NO_EVENT_DETECTED');
    expect(result).not.toHaveProperty('metrics');
  });

  it.each([5, 15, 24])('refuses %i fps as INSUFFICIENT_FRAME_RATE', (fps) => {
    const { series } = syntheticCmj(2.5, { fps });
    expect(analyzeMotion(CMJ, series, athlete)).toEqual({ status: 'INSUFFICIENT_FRAME_RATE', sport: 'CMJ', fps, minimumFps: 25 });
  });

  it('flags a flight over 1.2 s as IMPLAUSIBLE and reports no height', () => {
    const { series, truth } = syntheticCmj(6.5, { fps: 60 });
    expect(truth.flightTimeS).toBeGreaterThan(1.2);
    const result = analyzeMotion(CMJ, series, athlete);
    expect(result.status).toBe('IMPLAUSIBLE');
    if (result.status !== 'IMPLAUSIBLE') return;
    expect(result.flags).toEqual([expect.objectContaining({ check: 'CMJ_FLIGHT_TIME_MAX', limit: 1.2, unit: 's' })]);
    expect(result).not.toHaveProperty('metrics');
  });

  it('is INSUFFICIENT_KEYPOINTS when the legs are never seen', () => {
    const { series } = syntheticCmj(2.5, { fps: 60 });
    const legless = { fps: 60, frames: series.frames.map((f) => f?.map((k, i) => (i >= 11 ? { ...k, score: 0.05 } : k)) ?? null) };
    expect(analyzeMotion(CMJ, legless, athlete).status).toBe('INSUFFICIENT_KEYPOINTS');
  });

  it.each([
    ['fps 0', 0, 1.75],
    ['fps 1000', 1000, 1.75],
    ['a 3 m athlete', 60, 3],
  ])('throws INVALID_MOTION_INPUT for %s', (_name, fps, heightM) => {
    const { series } = syntheticCmj(2.5, { fps: 60 });
    expect(() => analyzeMotion(CMJ, { ...series, fps }, { heightM })).toThrow(expect.objectContaining({ code: MotionErrorCode.INVALID_MOTION_INPUT }) as Error);
  });
});
