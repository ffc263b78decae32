import { QuantileSketch } from './quantile-sketch';

const exactQuantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))] as number;

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const distributions: Record<string, () => number> = {
  uniform: () => 1 + rand() * 199,
  exponential: () => -Math.log(1 - rand()) * 20,
  lognormal: () => Math.exp(2 + Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())),
  bimodal: () => (rand() < 0.9 ? 5 + rand() : 500 + rand() * 100),
};

describe('QuantileSketch', () => {
  it.each(Object.keys(distributions).flatMap((d) => [0.01, 0.02].map((alpha) => ({ d, alpha }))))(
    '$d: p50/p90/p99 within relative accuracy $alpha of the exact order statistic',
    ({ d, alpha }) => {
      const sketch = new QuantileSketch({ relativeAccuracy: alpha });
      const values = Array.from({ length: 20_000 }, distributions[d] as () => number);
      values.forEach((v) => sketch.add(v));
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0.5, 0.9, 0.99]) {
        const exact = exactQuantile(sorted, q);
        expect(Math.abs(sketch.quantile(q) - exact)).toBeLessThanOrEqual(alpha * exact + 1e-9);
      }
      expect(sketch.count).toBe(values.length);
    },
  );

  it('merging two halves equals sketching everything', () => {
    const all = new QuantileSketch();
    const a = new QuantileSketch();
    const b = new QuantileSketch();
    for (let i = 0; i < 5000; i += 1) {
      const v = distributions.lognormal!();
      all.add(v);
      (i % 2 ? a : b).add(v);
    }
    a.merge(b);
    for (const q of [0.1, 0.5, 0.9, 0.99]) expect(a.quantile(q)).toBeCloseTo(all.quantile(q), 9);
  });

  it.each([
    { name: 'empty', values: [], q: 0.5, expected: NaN },
    { name: 'zeros', values: [0, 0, 0], q: 0.99, expected: 0 },
    { name: 'single', values: [12.5], q: 0.5, expected: 12.5 },
    { name: 'min', values: [3, 1, 2], q: 0, expected: 1 },
    { name: 'max', values: [3, 1, 2], q: 1, expected: 3 },
  ])('edge case: $name', ({ values, q, expected }) => {
    const sketch = new QuantileSketch();
    values.forEach((v) => sketch.add(v));
    if (Number.isNaN(expected)) expect(sketch.quantile(q)).toBeNaN();
    else expect(sketch.quantile(q)).toBeCloseTo(expected, 1);
  });

  it('memory stays within maxBuckets over 9 decades, keeping high quantiles accurate', () => {
    const sketch = new QuantileSketch({ maxBuckets: 256 });
    const values: number[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const v = Math.pow(10, -3 + rand() * 9);
      values.push(v);
      sketch.add(v);
    }
    expect(sketch.bucketCount).toBeLessThanOrEqual(256);
    const exact = exactQuantile(
      values.sort((a, b) => a - b),
      0.99,
    );
    expect(Math.abs(sketch.quantile(0.99) - exact)).toBeLessThanOrEqual(0.01 * exact);
  });
});
