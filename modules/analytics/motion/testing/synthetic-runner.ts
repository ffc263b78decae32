/**
 * A synthetic runner seen from the side (on a treadmill: the hips stay in frame) with known
 * step timing, for the RUNNING analysis's tests. Feet alternate: each foot stands on the ground
 * for `contactS`, then swings for 2 P - contactS (P = 60 / cadence, one step period), its ankle
 * rising on a half sine `swingLiftM` high, so every step ends in a flight of P - contactS with
 * both feet off the ground. Keypoints are COCO-17 pixels with Gaussian noise, sampled at any
 * rate with a random sub-frame phase, like `synthetic-athlete.ts`.
 */
import { LANDMARK_HEIGHT_FRACTION as F } from '../domain/athlete-calibration';
import type { MotionKeypoint, PoseSeries } from '../domain/pose-series';
import type { SyntheticCamera } from './synthetic-athlete';

export interface SyntheticRun {
  /** Steps per minute. */
  readonly cadenceSpm: number;
  /** Ground contact of every step, seconds (below 60 / cadence: running has a flight). */
  readonly contactS: number;
  readonly durationS: number;
  /** Peak ankle rise in the swing, metres; default 0.25. */
  readonly swingLiftM?: number;
}

export interface SyntheticRunTruth {
  readonly cadenceSpm: number;
  readonly contactTimeS: number;
  readonly flightTimeS: number;
  readonly stanceSwingRatio: number;
  /** Touch-down times of every step, seconds from the first frame. */
  readonly touchDownsS: readonly number[];
}

export function syntheticRun(run: SyntheticRun, camera: SyntheticCamera, athleteHeightM = 1.75): { series: PoseSeries; truth: SyntheticRunTruth } {
  const period = 60 / run.cadenceSpm;
  if (!(run.contactS < period)) throw new RangeError('contactS must be below the step period (running has a flight)');
  const swing = 2 * period - run.contactS;
  const lift = run.swingLiftM ?? 0.25;
  const random = mulberry32(camera.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const noise = camera.noisePx ?? 2;
  const scale = camera.pxPerM ?? 350;
  const phase = random() / camera.fps;
  const firstTouchDown = 0.3;
  const h = athleteHeightM;
  // Foot 0 touches down at firstTouchDown + 2kP, foot 1 at firstTouchDown + (2k + 1)P.
  const foot = (t: number, which: 0 | 1): { x: number; y: number } => {
    const u = (((t - firstTouchDown - which * period) % (2 * period)) + 2 * period) % (2 * period);
    const ankleY = F.ankle * h;
    if (u < run.contactS) return { x: 0.3 - (0.6 * u) / run.contactS, y: ankleY };
    const s = (u - run.contactS) / swing;
    return { x: -0.3 + 0.6 * s, y: ankleY + lift * Math.sin(Math.PI * s) };
  };
  const frames: MotionKeypoint[][] = [];
  for (let k = 0; k / camera.fps < run.durationS; k += 1) {
    const t = phase + k / camera.fps;
    const px = (p: { x: number; y: number }): MotionKeypoint => ({ x: 600 + p.x * scale + noise * gauss(), y: 1100 - p.y * scale + noise * gauss(), score: 0.9 });
    const bounce = 0.03 * Math.cos((2 * Math.PI * t) / period);
    const hip = { x: 0, y: F.hip * h * 0.96 + bounce };
    const shoulder = { x: 0.08, y: hip.y + (F.shoulder - F.hip) * h };
    const nose = { x: 0.15, y: hip.y + (F.nose - F.hip) * h };
    const a0 = foot(t, 0);
    const a1 = foot(t, 1);
    const knee = (a: { x: number; y: number }): { x: number; y: number } => ({ x: (a.x + hip.x) / 2 + 0.12, y: (a.y + hip.y) / 2 });
    const arm = (dx: number, dy: number): { x: number; y: number } => ({ x: shoulder.x + dx, y: shoulder.y + dy });
    frames.push([
      px(nose),
      px({ x: nose.x - 0.01, y: nose.y + 0.03 }),
      px({ x: nose.x - 0.01, y: nose.y + 0.03 }),
      px({ x: nose.x - 0.08, y: nose.y }),
      px({ x: nose.x - 0.08, y: nose.y }),
      px(shoulder),
      px({ x: shoulder.x - 0.02, y: shoulder.y }),
      px(arm(0.1, -0.25)),
      px(arm(-0.1, -0.25)),
      px(arm(0.25, -0.3)),
      px(arm(-0.2, -0.35)),
      px(hip),
      px({ x: hip.x - 0.02, y: hip.y }),
      px(knee(a0)),
      px(knee(a1)),
      px(a0),
      px(a1),
    ]);
  }
  const touchDownsS: number[] = [];
  for (let t = firstTouchDown; t < run.durationS; t += period) touchDownsS.push(t - phase);
  return {
    series: { fps: camera.fps, frames },
    truth: {
      cadenceSpm: run.cadenceSpm,
      contactTimeS: run.contactS,
      flightTimeS: period - run.contactS,
      stanceSwingRatio: run.contactS / swing,
      touchDownsS,
    },
  };
}

/** Small seeded PRNG (uniform in [0, 1)) so every test run sees the same noise. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
