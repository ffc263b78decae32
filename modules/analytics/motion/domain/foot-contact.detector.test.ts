import { FootContactDetector } from './foot-contact.detector';

describe('FootContactDetector', () => {
  const detector = new FootContactDetector({ liftOffM: 0.04, touchDownM: 0.02, maxContactSpeedMps: 1 });
  const still = (h: number[]) => h.map(() => 0);

  it.each([
    ['jitter between the thresholds never lifts off', [0, 0.03, 0.01, 0.035, 0.0], [true, true, true, true, true]],
    ['lifts above 4 cm, lands below 2 cm', [0, 0.05, 0.2, 0.03, 0.01, 0], [true, false, false, false, true, true]],
    ['a gap keeps the state', [0, 0.1, Number.NaN, 0.01], [true, false, false, true]],
  ])('%s', (_name, heights, expected) => {
    expect(detector.detect(heights, still(heights)).inContact).toEqual(expected);
  });

  it('a low but fast foot has not landed yet', () => {
    const heights = [0, 0.1, 0.01, 0.0];
    expect(detector.detect(heights, [0, 0, -2.5, 0]).inContact).toEqual([true, false, false, true]);
  });

  it('reports runs of contact and flight', () => {
    const heights = [0, 0, 0.1, 0.2, 0.1, 0, 0];
    expect(detector.detect(heights, still(heights))).toMatchObject({
      contacts: [
        { start: 0, end: 1 },
        { start: 5, end: 6 },
      ],
      flights: [{ start: 2, end: 4 }],
    });
  });

  it('rejects thresholds without hysteresis', () => {
    expect(() => new FootContactDetector({ liftOffM: 0.02, touchDownM: 0.02 })).toThrow(RangeError);
  });
});
