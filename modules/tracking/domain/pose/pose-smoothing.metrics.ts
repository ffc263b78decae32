import { SeededRandom } from '../scenario/seeded-random';
import { COCO_17 } from './keypoint-layout';
import { PoseSmoother, type PoseSmootherOptions } from './pose-smoother';

/** Settings of {@link measureSmoothing}. */
export interface SmoothingTrialOptions {
  /** Frame rate of the synthetic sequences. Default 30. */
  readonly fps?: number;
  /** Length of each sequence in seconds. Default 4. */
  readonly seconds?: number;
  /** Keypoint noise, std in px per coordinate. Default 3. */
  readonly noiseStd?: number;
  /** Amplitude (px) of the fast swing. Default 150. */
  readonly swingAmplitude?: number;
  /** Frequency (Hz) of the fast swing. Default 1.5 (peak speed about 1400 px/s). */
  readonly swingHz?: number;
  /** Joint measured (all joints follow the same trajectory). Default `left_wrist`. */
  readonly joint?: string;
  readonly seed?: number;
}

/** Jitter and lag of one smoother configuration on synthetic trajectories with known truth. */
export interface SmoothingFigures {
  /** RMS frame-to-frame displacement (px) of the raw noisy static joint. */
  readonly rawStaticJitter: number;
  /** Same for the smoothed output: what a viewer sees as shaking. */
  readonly staticJitter: number;
  /** Time shift (ms) that best aligns the smoothed fast swing with the truth. */
  readonly swingLagMs: number;
  /** RMS error (px) of the smoothed fast swing against the truth, lag included. */
  readonly swingRmse: number;
  /** RMS error (px) of the raw fast swing. */
  readonly rawSwingRmse: number;
}

/**
 * Runs a smoother over two synthetic single-person sequences with known truth: a static pose
 * with Gaussian keypoint noise (jitter), and a fast sinusoidal swing with the same noise
 * (lag). The first half second is warm-up and not scored.
 */
export function measureSmoothing(smoother: PoseSmootherOptions, options: SmoothingTrialOptions = {}): SmoothingFigures {
  const fps = options.fps ?? 30;
  const frames = Math.round((options.seconds ?? 4) * fps);
  const noise = options.noiseStd ?? 3;
  const amplitude = options.swingAmplitude ?? 150;
  const hz = options.swingHz ?? 1.5;
  const joint = COCO_17.joints.indexOf(options.joint ?? 'left_wrist');
  const warmup = Math.round(fps / 2);
  const rng = new SeededRandom(options.seed ?? 1);
  const dtMs = 1000 / fps;

  const run = (truth: (tMs: number) => [number, number]) => {
    const s = new PoseSmoother({ ...smoother, layout: COCO_17 });
    const raw: Array<[number, number]> = [];
    const smoothed: Array<[number, number]> = [];
    for (let f = 0; f < frames; f++) {
      const t = f * dtMs;
      const [tx, ty] = truth(t);
      const kps = new Float64Array(3 * COCO_17.joints.length);
      for (let k = 0; k < COCO_17.joints.length; k++) {
        kps[3 * k] = tx + rng.gaussian(0, noise);
        kps[3 * k + 1] = ty + rng.gaussian(0, noise);
        kps[3 * k + 2] = 0.9;
      }
      const out = s.smooth(kps, t).keypoints;
      raw.push([kps[3 * joint]!, kps[3 * joint + 1]!]);
      smoothed.push([out[3 * joint]!, out[3 * joint + 1]!]);
    }
    return { raw, smoothed };
  };

  const jitter = (points: Array<[number, number]>) => {
    let sum = 0;
    let n = 0;
    for (let f = warmup + 1; f < points.length; f++) {
      sum += (points[f]![0] - points[f - 1]![0]) ** 2 + (points[f]![1] - points[f - 1]![1]) ** 2;
      n++;
    }
    return Math.sqrt(sum / n);
  };
  const rmse = (points: Array<[number, number]>, truth: (tMs: number) => [number, number], shiftMs: number) => {
    let sum = 0;
    let n = 0;
    for (let f = warmup; f < points.length; f++) {
      const [tx, ty] = truth(f * dtMs - shiftMs);
      sum += (points[f]![0] - tx) ** 2 + (points[f]![1] - ty) ** 2;
      n++;
    }
    return Math.sqrt(sum / n);
  };

  const still = (): [number, number] => [320, 240];
  const stillRun = run(still);
  const swing = (t: number): [number, number] => [320 + amplitude * Math.sin((2 * Math.PI * hz * t) / 1000), 240];
  const swingRun = run(swing);
  let bestLag = 0;
  let bestErr = Infinity;
  for (let lag = 0; lag <= 300; lag++) {
    const err = rmse(swingRun.smoothed, swing, lag);
    if (err < bestErr) {
      bestErr = err;
      bestLag = lag;
    }
  }
  return {
    rawStaticJitter: jitter(stillRun.raw),
    staticJitter: jitter(stillRun.smoothed),
    swingLagMs: bestLag,
    swingRmse: rmse(swingRun.smoothed, swing, 0),
    rawSwingRmse: rmse(swingRun.raw, swing, 0),
  };
}
