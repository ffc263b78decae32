import { analyzeMotion } from '../../domain/motion-analysis';
import { syntheticSquats, syntheticStanding, type SyntheticSquatRep } from '../../testing/synthetic-athlete';
import { SQUAT } from './squat.sport';

const athlete = { heightM: 1.75 };
const set: SyntheticSquatRep[] = [
  { bottomKneeDeg: 90, downS: 1.5, upS: 1.0 },
  { bottomKneeDeg: 110, downS: 2.0, upS: 0.8 },
  { bottomKneeDeg: 75, downS: 1.2, upS: 1.2 },
  { bottomKneeDeg: 100, downS: 1.0, upS: 1.0 },
];

describe('SQUAT on synthetic sets with known reps', () => {
  // 3 px of keypoint noise; tolerances grow at 5 fps (one frame is 0.2 s: the bottom falls
  // between frames and its parabolic interpolation misses a cosine's bottom by a few degrees).
  it.each([
    [60, 3, 0.25],
    [30, 3, 0.25],
    [5, 5, 0.4],
  ])('at %i fps counts every rep, depth within %i deg, tempo within %f s', (fps, depthTolerance, tempoTolerance) => {
    for (const seed of [1, 2, 3]) {
      const { series, truth } = syntheticSquats(set, { fps, seed, noisePx: 3 });
      const result = analyzeMotion(SQUAT, series, athlete);
      if (result.status !== 'OK') throw new Error(`seed ${seed}: ${JSON.stringify(result)}`);
      expect(result.metrics.repCount).toBe(truth.repCount);
      expect(result.metrics.incompleteReps).toBe(0);
      result.metrics.reps.forEach((rep, i) => {
        const want = truth.reps[i];
        if (want === undefined) throw new Error(`no truth for rep ${i}`);
        expect(Math.abs(rep.bottomKneeAngleDeg - want.bottomKneeAngleDeg)).toBeLessThan(depthTolerance);
        expect(Math.abs(rep.downS - want.downS)).toBeLessThan(tempoTolerance);
        expect(Math.abs(rep.upS - want.upS)).toBeLessThan(tempoTolerance);
      });
      expect(result.phases.map((p) => p.name)).toEqual(set.flatMap(() => ['DOWN', 'UP']));
    }
  });

  it('does not count a shallow dip (knee 155 deg) as a rep', () => {
    const { series } = syntheticSquats(
      [
        { bottomKneeDeg: 90, downS: 1, upS: 1 },
        { bottomKneeDeg: 155, downS: 0.8, upS: 0.8 },
      ],
      { fps: 30 },
    );
    const result = analyzeMotion(SQUAT, series, athlete);
    expect(result.status === 'OK' && result.metrics.repCount).toBe(1);
  });

  it('counts a descent the clip cuts off as incomplete, not as a rep', () => {
    const { series } = syntheticSquats(
      [
        { bottomKneeDeg: 90, downS: 1, upS: 1 },
        { bottomKneeDeg: 90, downS: 1, upS: 1 },
      ],
      { fps: 30 },
    );
    // Cut the clip in the second rep's ascent (1 s quiet + 2 s rep + 0.8 s rest + 1.5 s).
    const cut = { fps: 30, frames: series.frames.slice(0, Math.round(5.3 * 30)) };
    const result = analyzeMotion(SQUAT, cut, athlete);
    expect(result.status === 'OK' && [result.metrics.repCount, result.metrics.incompleteReps]).toEqual([1, 1]);
  });

  it.each([1, 2, 3])('noise only (seed %i) is NO_EVENT_DETECTED, never a number', (seed) => {
    const result = analyzeMotion(SQUAT, syntheticStanding(10, { fps: 30, seed, noisePx: 4 }), athlete);
    expect(result.status).toBe('NO_EVENT_DETECTED');
    expect(result).not.toHaveProperty('metrics');
  });

  it('refuses 3 fps as INSUFFICIENT_FRAME_RATE', () => {
    const { series } = syntheticSquats(set, { fps: 3 });
    expect(analyzeMotion(SQUAT, series, athlete)).toEqual({ status: 'INSUFFICIENT_FRAME_RATE', sport: 'SQUAT', fps: 3, minimumFps: 4 });
  });
});
