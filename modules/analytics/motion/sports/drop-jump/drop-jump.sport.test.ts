import { analyzeMotion } from '../../domain/motion-analysis';
import { syntheticCmj, syntheticDropJump } from '../../testing/synthetic-athlete';
import { DROP_JUMP } from './drop-jump.sport';

const athlete = { heightM: 1.75 };

describe('DROP_JUMP on synthetic drop jumps with known physics', () => {
  it.each([
    [60, 0.015, 0.01],
    [30, 0.03, 0.03],
  ])('at %i fps contact time within %f s and rebound height within %f m', (fps, contactTolerance, heightTolerance) => {
    for (const [box, contact, v] of [
      [0.3, 0.2, 2.2],
      [0.4, 0.3, 2.6],
      [0.6, 0.45, 2.0],
    ] as const) {
      for (const seed of [1, 2, 3]) {
        const { series, truth } = syntheticDropJump(box, contact, v, { fps, seed, noisePx: 2 });
        const result = analyzeMotion(DROP_JUMP, series, athlete);
        if (result.status !== 'OK') throw new Error(`box ${box} seed ${seed}: ${JSON.stringify(result)}`);
        expect(Math.abs(result.metrics.contactTimeS - truth.contactTimeS)).toBeLessThan(contactTolerance);
        expect(Math.abs(result.metrics.jumpHeightM - truth.jumpHeightM)).toBeLessThan(heightTolerance);
        expect(result.metrics.reactiveStrengthIndex).toBeCloseTo(result.metrics.jumpHeightM / result.metrics.contactTimeS, 9);
        expect(Math.abs(result.metrics.boxHeightM - box)).toBeLessThan(0.05);
      }
    }
  });

  it('a jump from the ground (no box) is NO_EVENT_DETECTED', () => {
    const { series } = syntheticCmj(2.5, { fps: 60 });
    expect(analyzeMotion(DROP_JUMP, series, athlete).status).toBe('NO_EVENT_DETECTED');
  });

  it('refuses 20 fps as INSUFFICIENT_FRAME_RATE', () => {
    const { series } = syntheticDropJump(0.4, 0.25, 2.4, { fps: 20 });
    expect(analyzeMotion(DROP_JUMP, series, athlete).status).toBe('INSUFFICIENT_FRAME_RATE');
  });
});
