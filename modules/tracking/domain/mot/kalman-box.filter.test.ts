import { KalmanBoxFilter, stateToXyxy, xyxyToCxcyah } from './kalman-box.filter';

/** Dense 8x8 reference of the same filter (ByteTrack's matrix form), for equivalence checks. */
function denseReference() {
  const wp = 1 / 20;
  const wv = 1 / 160;
  const eye = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const mul = (a: number[][], b: number[][]) => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
  const tr = (a: number[][]) => a[0]!.map((_, j) => a.map((row) => row[j]!));
  const add = (a: number[][], b: number[][]) => a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
  const diag = (v: number[]) => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
  const F = eye(8);
  for (let k = 0; k < 4; k++) F[k]![k + 4] = 1;
  const H = eye(8).slice(0, 4);
  return {
    initiate(z: number[]) {
      const h = z[3]!;
      const std = [2 * wp * h, 2 * wp * h, 1e-2, 2 * wp * h, 10 * wv * h, 10 * wv * h, 1e-5, 10 * wv * h];
      return { x: [...z, 0, 0, 0, 0], P: diag(std.map((s) => s * s)) };
    },
    predict(s: { x: number[]; P: number[][] }) {
      const h = s.x[3]!;
      const std = [wp * h, wp * h, 1e-2, wp * h, wv * h, wv * h, 1e-5, wv * h];
      return { x: mul(F, s.x.map((v) => [v])).map((r) => r[0]!), P: add(mul(mul(F, s.P), tr(F)), diag(std.map((v) => v * v))) };
    },
    update(s: { x: number[]; P: number[][] }, z: number[]) {
      const h = s.x[3]!;
      const R = diag([wp * h, wp * h, 1e-1, wp * h].map((v) => v * v));
      const S = add(mul(mul(H, s.P), tr(H)), R);
      // S is diagonal here because P stays block-diagonal.
      const Sinv = S.map((row, i) => row.map((_, j) => (i === j ? 1 / S[i]![i]! : 0)));
      const K = mul(mul(s.P, tr(H)), Sinv);
      const innov = z.map((v, i) => v - s.x[i]!);
      const x = s.x.map((v, i) => v + K[i]!.reduce((acc, kv, j) => acc + kv * innov[j]!, 0));
      const KSKt = mul(mul(K, S), tr(K));
      return { x, P: s.P.map((row, i) => row.map((v, j) => v - KSKt[i]![j]!)) };
    },
  };
}

describe('KalmanBoxFilter', () => {
  const kf = new KalmanBoxFilter();

  it('initiates with ByteTrack variances (hand-computed for h = 100)', () => {
    const s = kf.initiate(50, 60, 0.5, 100);
    expect(Array.from(s.mean)).toEqual([50, 60, 0.5, 100, 0, 0, 0, 0]);
    // std pos = 2 * h / 20 = 10 -> 100; std vel = 10 * h / 160 = 6.25 -> 39.0625
    expect(s.cov[0]).toBeCloseTo(100, 12);
    expect(s.cov[1]).toBe(0);
    expect(s.cov[2]).toBeCloseTo(39.0625, 12);
    expect(s.cov[6]).toBeCloseTo(1e-4, 15);
  });

  it('predicts: x += v, P = F P F^T + Q (hand-computed)', () => {
    const s = kf.initiate(50, 60, 0.5, 100);
    s.mean[4] = 3;
    kf.predict(s);
    expect(s.mean[0]).toBeCloseTo(53, 12);
    // pp = 100 + 2*0 + 39.0625 + (100/20)^2 = 164.0625; pv = 39.0625; vv = 39.0625 + (100/160)^2
    expect(s.cov[0]).toBeCloseTo(164.0625, 10);
    expect(s.cov[1]).toBeCloseTo(39.0625, 10);
    expect(s.cov[2]).toBeCloseTo(39.453125, 10);
  });

  it('updates: gain pp/(pp+r) on position, pv/(pp+r) on velocity (hand-computed)', () => {
    const s = kf.initiate(50, 60, 0.5, 100);
    kf.predict(s);
    kf.update(s, 60, 60, 0.5, 100);
    // S = 164.0625 + 25 = 189.0625; Kp = 0.867768595; Kv = 0.206611570; innovation 10
    expect(s.mean[0]).toBeCloseTo(50 + 8.67768595, 6);
    expect(s.mean[4]).toBeCloseTo(2.0661157, 6);
    expect(s.cov[0]).toBeCloseTo((164.0625 * 25) / 189.0625, 9);
    expect(s.cov[1]).toBeCloseTo((39.0625 * 25) / 189.0625, 9);
    expect(s.cov[2]).toBeCloseTo(39.453125 - 39.0625 ** 2 / 189.0625, 9);
  });

  it.each([
    ['steady walk', [[100, 100, 0.4, 120], [104, 101, 0.41, 121], [108, 102, 0.4, 122], [113, 103, 0.39, 122]]],
    ['jumpy', [[10, 20, 1, 50], [30, 10, 0.8, 60], [5, 25, 1.2, 40], [20, 20, 1, 55]]],
  ])('equals the dense 8x8 matrix form over a sequence (%s)', (_name, measurements) => {
    const ref = denseReference();
    let r = ref.initiate(measurements[0]!);
    const s = kf.initiate(...(measurements[0] as [number, number, number, number]));
    for (const z of measurements.slice(1)) {
      r = ref.predict(r);
      kf.predict(s);
      r = ref.update(r, z);
      kf.update(s, ...(z as [number, number, number, number]));
    }
    r.x.forEach((v, i) => expect(s.mean[i]).toBeCloseTo(v, 9));
    for (let k = 0; k < 4; k++) {
      expect(s.cov[3 * k]).toBeCloseTo(r.P[k]![k]!, 9);
      expect(s.cov[3 * k + 1]).toBeCloseTo(r.P[k]![k + 4]!, 9);
      expect(s.cov[3 * k + 2]).toBeCloseTo(r.P[k + 4]![k + 4]!, 9);
      expect(r.P[k]![(k + 1) % 4]).toBeCloseTo(0, 12);
    }
  });

  it('converts boxes both ways', () => {
    const z = xyxyToCxcyah(10, 20, 50, 100);
    expect(z).toEqual([30, 60, 0.5, 80]);
    const out = new Float64Array(4);
    stateToXyxy(kf.initiate(...z), out, 0);
    expect(Array.from(out)).toEqual([10, 20, 50, 100]);
  });

  it('gatingDistance is the squared Mahalanobis distance with the update step\'s innovation covariance', () => {
    const state = kf.initiate(100, 200, 0.4, 100);
    kf.predict(state);
    // Initiate: var(pos) = (2 * h / 20)^2 = 100; predict adds var(vel) (10 * h / 160)^2 = 39.0625
    // and (h / 20)^2 = 25; the update adds R = (h / 20)^2 = 25. Height: same numbers.
    const s = 100 + 39.0625 + 25 + 25;
    expect(kf.gatingDistance(state, 100, 200, 0.4, 100)).toBe(0);
    expect(kf.gatingDistance(state, 110, 200, 0.4, 100)).toBeCloseTo(100 / s, 12);
    expect(kf.gatingDistance(state, 100, 200, 0.4, 120)).toBeCloseTo(400 / s, 12);
  });

  it.each([
    [1, 'height follows a jump as fast as position'],
    [0.05, 'height is learned and then held'],
  ])('heightNoiseScale %p: %s', (scale) => {
    const filter = new KalmanBoxFilter({ heightNoiseScale: scale });
    const state = filter.initiate(100, 200, 0.4, 100);
    for (let f = 0; f < 30; f++) {
      filter.predict(state);
      filter.update(state, 100, 200, 0.4, 100);
    }
    filter.predict(state);
    filter.update(state, 100, 200, 0.4, 130);
    const moved = state.mean[3]! - 100;
    const positionFilter = new KalmanBoxFilter({ heightNoiseScale: scale });
    const reference = positionFilter.initiate(100, 200, 0.4, 100);
    for (let f = 0; f < 30; f++) {
      positionFilter.predict(reference);
      positionFilter.update(reference, 100, 200, 0.4, 100);
    }
    positionFilter.predict(reference);
    positionFilter.update(reference, 130, 200, 0.4, 100);
    const movedX = reference.mean[0]! - 100;
    // With scale 1, a 30 px jump moves h as much as the same jump moves cx; with 0.05, far less.
    if (scale === 1) expect(moved).toBeCloseTo(movedX, 6);
    else expect(moved).toBeLessThan(0.5 * movedX);
  });
});
