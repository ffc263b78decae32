import { savitzkyGolay } from './savitzky-golay.filter';

const sample = (fps: number, seconds: number, f: (t: number) => number): number[] => Array.from({ length: Math.round(fps * seconds) }, (_, i) => f(i / fps));

describe('savitzkyGolay', () => {
  it.each([5, 30, 60])('reproduces a parabola and its derivative exactly at %i fps (edges included)', (fps) => {
    const { value, velocity } = savitzkyGolay(
      sample(fps, 2, (t) => 1 + 2 * t - 4.9 * t * t),
      { fps, windowS: 0.4 },
    );
    value.forEach((v, i) => expect(v).toBeCloseTo(1 + 2 * (i / fps) - 4.9 * (i / fps) ** 2, 9));
    velocity.forEach((v, i) => expect(v).toBeCloseTo(2 - 9.8 * (i / fps), 6));
  });

  it('skips gaps instead of bridging them with zeros', () => {
    const samples = sample(30, 1, (t) => 3 * t);
    samples[10] = Number.NaN;
    samples[11] = Number.NaN;
    const { value } = savitzkyGolay(samples, { fps: 30, windowS: 0.2 });
    expect(Number.isNaN(value[10] ?? 0)).toBe(true);
    expect(value[12]).toBeCloseTo(3 * (12 / 30), 9);
  });

  it('reduces white noise', () => {
    let seed = 7;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
    const raw = sample(60, 4, () => noise());
    const { value } = savitzkyGolay(raw, { fps: 60, windowS: 0.2 });
    const rms = (xs: ArrayLike<number>) => Math.sqrt(Array.from(xs).reduce((s, x) => s + x * x, 0) / xs.length);
    expect(rms(value)).toBeLessThan(rms(raw) * 0.6);
  });

  it.each([[{ fps: 0, windowS: 0.1 }], [{ fps: 30, windowS: 0.1, order: 0 }]])('rejects %j', (options) => {
    expect(() => savitzkyGolay([1, 2, 3], options)).toThrow(RangeError);
  });
});
