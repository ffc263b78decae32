import { MotError, MotErrorCode } from '../mot/mot.error';
import { COCO_17, DEFAULT_EMA_ALPHAS, jointGroup, type JointGroup, type KeypointLayout } from './keypoint-layout';
import { OneEuroFilter, type OneEuroOptions } from './one-euro.filter';

/** Smoothing method of a {@link PoseSmoother}. */
export type SmoothingMethod = 'one-euro' | 'ema';

/**
 * The default method. Chosen by measurement (`pose-smoothing.metrics.test.ts`, `npm run
 * bench:tracking`): on noisy static joints and fast swings the One Euro filter has both less
 * jitter and less lag than the per-joint EMA, because its cutoff opens while the joint moves.
 */
export const DEFAULT_SMOOTHING_METHOD: SmoothingMethod = 'one-euro';

/** Options of {@link PoseSmoother}. */
export interface PoseSmootherOptions {
  /** Default {@link DEFAULT_SMOOTHING_METHOD}. */
  readonly method?: SmoothingMethod;
  /** Joint order of the keypoint arrays; default COCO 17. */
  readonly layout?: KeypointLayout;
  /** EMA alphas per joint group (weight of the new sample); defaults {@link DEFAULT_EMA_ALPHAS}. */
  readonly emaAlphas?: Partial<Record<JointGroup, number>>;
  /** One Euro parameters (same for all joints, in pixels and seconds). */
  readonly oneEuro?: OneEuroOptions;
  /**
   * Keypoints scoring below this are treated as not observed (confidence gating). Default
   * 0.3. Higher drops more flicker from half-visible joints, and fills more gaps.
   */
  readonly minConfidence?: number;
  /**
   * Missing frames bridged by constant-velocity extrapolation before a joint is reported
   * missing. Default 3. Longer gaps would invent motion.
   */
  readonly maxGapFrames?: number;
  /**
   * Largest believable joint speed in px/s; a sample implying more is pulled back to that
   * distance (velocity clamp against single-frame glitches). Default 4000 (about 130 px per
   * frame at 30 fps). Too low makes real fast movements lag.
   */
  readonly maxSpeed?: number;
  /** Score multiplier per filled frame, so consumers can tell filled joints apart. Default 0.7. */
  readonly gapScoreDecay?: number;
}

/** Per-joint status in a {@link SmoothedPose}. */
export enum KeypointStatus {
  Observed = 0,
  /** Not observed this frame; extrapolated from the joint's recent motion. */
  Filled = 1,
  /** Not observed for longer than `maxGapFrames`; coordinates are the raw ones, score 0. */
  Missing = 2,
}

/** Output of {@link PoseSmoother.smooth}. */
export interface SmoothedPose {
  /** `K * 3` values `(x, y, score)`. */
  readonly keypoints: Float64Array;
  readonly status: Uint8Array;
}

interface JointState {
  fx: OneEuroFilter;
  fy: OneEuroFilter;
  has: boolean;
  x: number;
  y: number;
  vx: number;
  vy: number;
  t: number;
  score: number;
  gap: number;
}

/**
 * Smooths one track's skeleton frame by frame: confidence gating, velocity clamp, One Euro or
 * per-joint EMA smoothing, and short gap filling. One instance per track; feed frames in
 * time order.
 */
export class PoseSmoother {
  readonly method: SmoothingMethod;
  private readonly layout: KeypointLayout;
  private readonly alphas: Float64Array;
  private readonly minConfidence: number;
  private readonly maxGapFrames: number;
  private readonly maxSpeed: number;
  private readonly decay: number;
  private readonly joints: JointState[];

  constructor(options: PoseSmootherOptions = {}) {
    this.method = options.method ?? DEFAULT_SMOOTHING_METHOD;
    this.layout = options.layout ?? COCO_17;
    const alphas = { ...DEFAULT_EMA_ALPHAS, ...options.emaAlphas };
    this.alphas = Float64Array.from(this.layout.joints.map((j) => alphas[jointGroup(j)]));
    this.minConfidence = options.minConfidence ?? 0.3;
    this.maxGapFrames = options.maxGapFrames ?? 3;
    this.maxSpeed = options.maxSpeed ?? 4000;
    this.decay = options.gapScoreDecay ?? 0.7;
    if (this.alphas.some((a) => !(a > 0 && a <= 1)) || this.maxGapFrames < 0 || !(this.maxSpeed > 0)) {
      throw new MotError(MotErrorCode.INVALID_OPTIONS, 'expected EMA alphas in (0, 1], maxGapFrames >= 0, maxSpeed > 0');
    }
    this.joints = this.layout.joints.map(() => ({
      fx: new OneEuroFilter(options.oneEuro),
      fy: new OneEuroFilter(options.oneEuro),
      has: false,
      x: 0,
      y: 0,
      vx: 0,
      vy: 0,
      t: 0,
      score: 0,
      gap: 0,
    }));
  }

  /** Number of joints expected per frame. */
  get jointCount(): number {
    return this.joints.length;
  }

  /** Forgets all joint state. */
  reset(): void {
    for (const j of this.joints) this.forget(j);
  }

  /** Smooths one frame of raw keypoints (`K * 3`, `(x, y, score)`) taken at `timeMs`. */
  smooth(raw: ArrayLike<number>, timeMs: number): SmoothedPose {
    const k = this.joints.length;
    if (raw.length !== 3 * k) {
      throw new MotError(MotErrorCode.INVALID_DETECTIONS, `keypoints to have ${k} * 3 values (${this.layout.name}), but got ${raw.length}`);
    }
    const out = new Float64Array(3 * k);
    const status = new Uint8Array(k);
    for (let i = 0; i < k; i++) {
      const j = this.joints[i]!;
      const rx = raw[3 * i]!;
      const ry = raw[3 * i + 1]!;
      const score = raw[3 * i + 2]!;
      const observed = score >= this.minConfidence && Number.isFinite(rx) && Number.isFinite(ry);
      if (observed) {
        this.observe(j, i, rx, ry, score, timeMs);
        out[3 * i] = j.x;
        out[3 * i + 1] = j.y;
        out[3 * i + 2] = score;
        status[i] = KeypointStatus.Observed;
      } else if (j.has && j.gap < this.maxGapFrames) {
        const dt = Math.max((timeMs - j.t) / 1000, 0);
        j.gap++;
        j.x += j.vx * dt;
        j.y += j.vy * dt;
        j.t = timeMs;
        j.score *= this.decay;
        j.fx.reset(j.x, timeMs);
        j.fy.reset(j.y, timeMs);
        out[3 * i] = j.x;
        out[3 * i + 1] = j.y;
        out[3 * i + 2] = j.score;
        status[i] = KeypointStatus.Filled;
      } else {
        this.forget(j);
        out[3 * i] = rx;
        out[3 * i + 1] = ry;
        out[3 * i + 2] = 0;
        status[i] = KeypointStatus.Missing;
      }
    }
    return { keypoints: out, status };
  }

  private observe(j: JointState, index: number, rx: number, ry: number, score: number, timeMs: number): void {
    if (!j.has) {
      j.fx.reset();
      j.fy.reset();
      j.fx.filter(rx, timeMs);
      j.fy.filter(ry, timeMs);
      Object.assign(j, { has: true, x: rx, y: ry, vx: 0, vy: 0, t: timeMs, score, gap: 0 });
      return;
    }
    const dt = Math.max((timeMs - j.t) / 1000, 1e-6);
    let x = rx;
    let y = ry;
    const dist = Math.hypot(x - j.x, y - j.y);
    const maxStep = this.maxSpeed * dt;
    if (dist > maxStep) {
      x = j.x + ((x - j.x) * maxStep) / dist;
      y = j.y + ((y - j.y) * maxStep) / dist;
    }
    let nx: number;
    let ny: number;
    if (this.method === 'ema') {
      const a = this.alphas[index]!;
      nx = a * x + (1 - a) * j.x;
      ny = a * y + (1 - a) * j.y;
    } else {
      nx = j.fx.filter(x, timeMs);
      ny = j.fy.filter(y, timeMs);
    }
    const vx = (nx - j.x) / dt;
    const vy = (ny - j.y) / dt;
    j.vx = 0.5 * j.vx + 0.5 * vx;
    j.vy = 0.5 * j.vy + 0.5 * vy;
    j.x = nx;
    j.y = ny;
    j.t = timeMs;
    j.score = score;
    j.gap = 0;
  }

  private forget(j: JointState): void {
    j.has = false;
    j.gap = 0;
    j.vx = 0;
    j.vy = 0;
    j.fx.reset();
    j.fy.reset();
  }
}
