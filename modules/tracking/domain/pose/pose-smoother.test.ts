import { COCO_17 } from './keypoint-layout';
import { OneEuroFilter } from './one-euro.filter';
import { DEFAULT_SMOOTHING_METHOD, KeypointStatus, PoseSmoother, type SmoothingMethod } from './pose-smoother';
import { measureSmoothing } from './pose-smoothing.metrics';
import { MotError } from '../mot/mot.error';

const K = COCO_17.joints.length;
const idx = (joint: string) => COCO_17.joints.indexOf(joint);

/** A pose with every joint at (x, y) and the given score. */
const pose = (x: number, y: number, score = 0.9): Float64Array => {
  const kps = new Float64Array(3 * K);
  for (let k = 0; k < K; k++) kps.set([x, y, score], 3 * k);
  return kps;
};

describe('OneEuroFilter', () => {
  it('passes the first sample and converges on a constant', () => {
    const f = new OneEuroFilter();
    expect(f.filter(10, 0)).toBe(10);
    let v = 0;
    for (let t = 1; t < 200; t++) v = f.filter(20, t * 33);
    expect(v).toBeCloseTo(20, 3);
  });

  it('follows fast movement more closely than slow (cutoff grows with speed)', () => {
    const lagAt = (speedPxPerFrame: number) => {
      const f = new OneEuroFilter();
      let out = 0;
      for (let t = 0; t < 60; t++) out = f.filter(speedPxPerFrame * t, t * 33);
      return (speedPxPerFrame * 59 - out) / speedPxPerFrame;
    };
    expect(lagAt(40)).toBeLessThan(lagAt(2));
  });
});

describe('PoseSmoother', () => {
  it.each<[string, number]>([
    ['left_wrist', 3],
    ['nose', 4],
    ['left_shoulder', 5],
    ['left_knee', 5],
  ])('EMA uses the per-joint alpha (%s moves %d px of a 10 px step)', (joint, expected) => {
    const s = new PoseSmoother({ method: 'ema' });
    s.smooth(pose(0, 0), 0);
    const out = s.smooth(pose(10, 0), 33).keypoints;
    expect(out[3 * idx(joint)]).toBeCloseTo(expected, 9);
  });

  it('honours custom alphas, e.g. fingers on BlazePose', () => {
    const s = new PoseSmoother({ method: 'ema', emaAlphas: { wrist: 0.5 } });
    s.smooth(pose(0, 0), 0);
    expect(s.smooth(pose(10, 0), 33).keypoints[3 * idx('left_wrist')]).toBeCloseTo(5, 9);
  });

  it.each<SmoothingMethod>(['one-euro', 'ema'])('fills gaps up to 3 frames by extrapolation, then reports missing (%s)', (method) => {
    const s = new PoseSmoother({ method });
    for (let f = 0; f < 20; f++) s.smooth(pose(10 * f, 0), f * 33);
    const w = idx('left_wrist');
    const statuses: number[] = [];
    let lastX = s.smooth(pose(200, 0), 20 * 33).keypoints[3 * w]!;
    for (let f = 21; f < 25; f++) {
      const raw = pose(10 * f, 0);
      raw[3 * w + 2] = 0.1;
      const out = s.smooth(raw, f * 33);
      statuses.push(out.status[w]!);
      if (out.status[w] === KeypointStatus.Filled) {
        expect(out.keypoints[3 * w]!).toBeGreaterThan(lastX);
        expect(out.keypoints[3 * w + 2]!).toBeLessThan(0.9);
        lastX = out.keypoints[3 * w]!;
      } else {
        expect(out.keypoints[3 * w + 2]).toBe(0);
      }
    }
    expect(statuses).toEqual([KeypointStatus.Filled, KeypointStatus.Filled, KeypointStatus.Filled, KeypointStatus.Missing]);
  });

  it('gates low-confidence samples: they never pull the output', () => {
    const s = new PoseSmoother();
    for (let f = 0; f < 10; f++) s.smooth(pose(100, 100), f * 33);
    const glitch = pose(100, 100);
    glitch.set([400, 400, 0.2], 0);
    const out = s.smooth(glitch, 330);
    expect(out.status[0]).toBe(KeypointStatus.Filled);
    expect(out.keypoints[0]).toBeCloseTo(100, 3);
  });

  it('clamps a confident single-frame glitch to maxSpeed', () => {
    const s = new PoseSmoother({ method: 'ema', emaAlphas: { face: 1 }, maxSpeed: 300 });
    s.smooth(pose(0, 0), 0);
    const out = s.smooth(pose(1000, 0), 100).keypoints;
    expect(out[0]).toBeCloseTo(30, 6);
  });

  it('rejects keypoints of the wrong size and bad options', () => {
    expect(() => new PoseSmoother().smooth(new Float64Array(9), 0)).toThrow(MotError);
    expect(() => new PoseSmoother({ emaAlphas: { wrist: 0 } })).toThrow(MotError);
  });
});

describe('smoothing jitter and lag on synthetic trajectories with known truth', () => {
  const figures = {
    'one-euro': measureSmoothing({ method: 'one-euro' }),
    ema: measureSmoothing({ method: 'ema' }),
  };

  it.each<SmoothingMethod>(['one-euro', 'ema'])('%s removes most jitter from a noisy static joint', (method) => {
    expect(figures[method].staticJitter).toBeLessThan(0.3 * figures[method].rawStaticJitter);
  });

  it('the default keeps lag on a fast swing (1.5 Hz, 150 px, ~1400 px/s peak, 30 fps) within 40 ms', () => {
    expect(figures[DEFAULT_SMOOTHING_METHOD].swingLagMs).toBeLessThanOrEqual(40);
  });

  it('the default is the better method: less jitter and less lag than the alternative', () => {
    const other: SmoothingMethod = DEFAULT_SMOOTHING_METHOD === 'one-euro' ? 'ema' : 'one-euro';
    expect(figures[DEFAULT_SMOOTHING_METHOD].staticJitter).toBeLessThan(figures[other].staticJitter);
    expect(figures[DEFAULT_SMOOTHING_METHOD].swingLagMs).toBeLessThan(figures[other].swingLagMs);
  });
});
