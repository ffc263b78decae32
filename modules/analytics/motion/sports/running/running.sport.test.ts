import { analyzeMotion } from '../../domain/motion-analysis';
import { syntheticStanding } from '../../testing/synthetic-athlete';
import { syntheticRun } from '../../testing/synthetic-runner';
import { RUNNING } from './running.sport';

const athlete = { heightM: 1.75 };

describe('RUNNING on synthetic runners with known step timing', () => {
  // Jogging to sprinting: (cadence steps/min, contact s).
  const runs = [
    [160, 0.28],
    [172, 0.24],
    [185, 0.2],
    [210, 0.13],
  ] as const;

  // Keypoint noise of 2 px (~6 mm here) against a foot moving ~1.7 m/s times each contact edge
  // to ~4 ms at best: a single step's contact is good to two frames, the run's mean (what a
  // coach reads) to one.
  it.each([30, 50, 60])('at %i fps: cadence within 1 step/min, mean contact and flight time within one frame, every step within two', (fps) => {
    for (const [cadenceSpm, contactS] of runs) {
      for (const seed of [1, 2, 3]) {
        const { series, truth } = syntheticRun({ cadenceSpm, contactS, durationS: 8 }, { fps, seed, noisePx: 2 });
        const result = analyzeMotion(RUNNING, series, athlete);
        if (result.status !== 'OK') throw new Error(`${cadenceSpm} spm seed ${seed}: ${JSON.stringify(result)}`);
        const m = result.metrics;
        expect(Math.abs(m.cadenceSpm - truth.cadenceSpm)).toBeLessThan(1);
        // Every step except the two cut by the clip's ends.
        expect(m.stepCount).toBeGreaterThanOrEqual(truth.touchDownsS.length - 2);
        expect(Math.abs(m.meanContactTimeS - truth.contactTimeS)).toBeLessThan(1 / fps);
        expect(Math.abs(m.meanFlightTimeS - truth.flightTimeS)).toBeLessThan(1 / fps);
        for (const step of m.steps) expect(Math.abs(step.contactTimeS - truth.contactTimeS)).toBeLessThan(2 / fps);
        // Stance over swing of the same foot: one frame of contact error moves it by ~1/30 / 0.45 s at 30 fps.
        expect(Math.abs((m.stanceSwingRatio ?? Number.NaN) - truth.stanceSwingRatio)).toBeLessThan(0.08);
      }
    }
  });

  it('places touch-downs at the true instants and shades contacts and flights in turn', () => {
    const { series, truth } = syntheticRun({ cadenceSpm: 180, contactS: 0.22, durationS: 5 }, { fps: 60, seed: 4 });
    const result = analyzeMotion(RUNNING, series, athlete);
    if (result.status !== 'OK') throw new Error(JSON.stringify(result));
    for (const step of result.metrics.steps) {
      const nearest = Math.min(...truth.touchDownsS.map((t) => Math.abs(t - step.touchDownS)));
      expect(nearest).toBeLessThan(1.5 / 60);
    }
    const names = result.phases.map((p) => p.name);
    expect(names.slice(0, 4)).toEqual(['CONTACT', 'FLIGHT', 'CONTACT', 'FLIGHT']);
  });

  it('flags a ground contact under 80 ms as IMPLAUSIBLE and reports no cadence', () => {
    const { series } = syntheticRun({ cadenceSpm: 220, contactS: 0.06, durationS: 6 }, { fps: 60, seed: 2 });
    const result = analyzeMotion(RUNNING, series, athlete);
    expect(result.status).toBe('IMPLAUSIBLE');
    if (result.status !== 'IMPLAUSIBLE') return;
    expect(result.flags).toEqual([expect.objectContaining({ check: 'RUNNING_CONTACT_TIME_MIN', limit: 0.08, unit: 's' })]);
    expect(result).not.toHaveProperty('metrics');
  });

  it.each([1, 2, 3])('standing still (noise only, seed %i) is NO_EVENT_DETECTED', (seed) => {
    const result = analyzeMotion(RUNNING, syntheticStanding(6, { fps: 60, seed, noisePx: 3 }), athlete);
    expect(result.status).toBe('NO_EVENT_DETECTED');
    expect(result).not.toHaveProperty('metrics');
  });

  it.each([5, 15, 24])('refuses %i fps as INSUFFICIENT_FRAME_RATE', (fps) => {
    const { series } = syntheticRun({ cadenceSpm: 170, contactS: 0.25, durationS: 4 }, { fps });
    expect(analyzeMotion(RUNNING, series, athlete)).toEqual({ status: 'INSUFFICIENT_FRAME_RATE', sport: 'RUNNING', fps, minimumFps: 25 });
  });

  it('is NO_EVENT_DETECTED for a clip too short for four steps', () => {
    const { series } = syntheticRun({ cadenceSpm: 170, contactS: 0.25, durationS: 1 }, { fps: 60 });
    expect(analyzeMotion(RUNNING, series, athlete).status).toBe('NO_EVENT_DETECTED');
  });
});
