import { MotError, MotErrorCode } from '../mot/mot.error';
import { COCO_17, type KeypointLayout } from './keypoint-layout';

/** Options of {@link TrackQualityScorer}. */
export interface TrackQualityOptions {
  /** Joint order; default COCO 17. */
  readonly layout?: KeypointLayout;
  /** A keypoint counts as visible at or above this score. Default 0.3. */
  readonly minConfidence?: number;
  /** Box height (px) at which resolution scores 1. Default 200: below, joints blur together. */
  readonly targetBoxHeight?: number;
  /**
   * Normalised jitter (RMS second difference of joint positions / box height) at which
   * stability reaches 0. Default 0.05. Second differences ignore steady motion, so walking
   * is not penalised, shaking is.
   */
  readonly maxNormalizedJitter?: number;
  /** A joint missing in at least this fraction of the frames that had a pose is named in the issues. Default 0.2. */
  readonly missingIssueFraction?: number;
  /** Weights of visibility, stability, coverage and resolution. Default 0.35 / 0.25 / 0.25 / 0.15. */
  readonly weights?: { visibility: number; stability: number; coverage: number; resolution: number };
}

/** Quality of one track's pose stream. */
export interface TrackQuality {
  /** Weighted mean of the components, in [0, 1]. */
  readonly score: number;
  /** Mean fraction of joints visible in frames that had a pose. */
  readonly visibility: number;
  /** 1 - normalised jitter / max, clamped to [0, 1]. */
  readonly stability: number;
  /** Fraction of the track's frames that had a pose at all. */
  readonly coverage: number;
  /** Mean box height / target height, clamped to [0, 1]. */
  readonly resolution: number;
  /** Named problems, e.g. `left_wrist_missing_30%`, `low_resolution`, `unstable_keypoints`. */
  readonly issues: string[];
  readonly frames: number;
}

/**
 * Accumulates a track's frames and scores its pose quality from keypoint visibility,
 * stability (jitter), coverage and resolution. Memory is constant per track.
 */
export class TrackQualityScorer {
  private readonly layout: KeypointLayout;
  private readonly minConfidence: number;
  private readonly targetBoxHeight: number;
  private readonly maxJitter: number;
  private readonly missingFraction: number;
  private readonly weights: NonNullable<TrackQualityOptions['weights']>;
  private readonly missing: Uint32Array;
  private frames = 0;
  private posedFrames = 0;
  private visibleFractionSum = 0;
  private boxHeightSum = 0;
  private jitterSum = 0;
  private jitterCount = 0;
  private prev: Float64Array | undefined;
  private prevPrev: Float64Array | undefined;

  constructor(options: TrackQualityOptions = {}) {
    this.layout = options.layout ?? COCO_17;
    this.minConfidence = options.minConfidence ?? 0.3;
    this.targetBoxHeight = options.targetBoxHeight ?? 200;
    this.maxJitter = options.maxNormalizedJitter ?? 0.05;
    this.missingFraction = options.missingIssueFraction ?? 0.2;
    this.weights = options.weights ?? { visibility: 0.35, stability: 0.25, coverage: 0.25, resolution: 0.15 };
    this.missing = new Uint32Array(this.layout.joints.length);
  }

  /**
   * Adds one frame of the track: its box height and its (smoothed or raw) keypoints, or
   * undefined when the frame had no pose.
   */
  observe(boxHeight: number, keypoints: ArrayLike<number> | undefined): void {
    const k = this.layout.joints.length;
    if (keypoints !== undefined && keypoints.length !== 3 * k) {
      throw new MotError(MotErrorCode.INVALID_DETECTIONS, `keypoints to have ${k} * 3 values (${this.layout.name}), but got ${keypoints.length}`);
    }
    this.frames++;
    this.boxHeightSum += Math.max(0, boxHeight);
    if (!keypoints) {
      this.prev = undefined;
      this.prevPrev = undefined;
      return;
    }
    this.posedFrames++;
    let visible = 0;
    const current = Float64Array.from(keypoints);
    for (let i = 0; i < k; i++) {
      if (current[3 * i + 2]! >= this.minConfidence) visible++;
      else this.missing[i]!++;
    }
    this.visibleFractionSum += visible / k;
    if (this.prev && this.prevPrev && boxHeight > 0) {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < k; i++) {
        if (current[3 * i + 2]! < this.minConfidence || this.prev[3 * i + 2]! < this.minConfidence || this.prevPrev[3 * i + 2]! < this.minConfidence) continue;
        const ax = current[3 * i]! - 2 * this.prev[3 * i]! + this.prevPrev[3 * i]!;
        const ay = current[3 * i + 1]! - 2 * this.prev[3 * i + 1]! + this.prevPrev[3 * i + 1]!;
        sum += ax * ax + ay * ay;
        n++;
      }
      if (n > 0) {
        this.jitterSum += Math.sqrt(sum / n) / boxHeight;
        this.jitterCount++;
      }
    }
    this.prevPrev = this.prev;
    this.prev = current;
  }

  /** The quality so far; a track without frames scores 0 with issue `no_frames`. */
  score(): TrackQuality {
    if (this.frames === 0) {
      return { score: 0, visibility: 0, stability: 0, coverage: 0, resolution: 0, issues: ['no_frames'], frames: 0 };
    }
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    const visibility = this.posedFrames > 0 ? this.visibleFractionSum / this.posedFrames : 0;
    const jitter = this.jitterCount > 0 ? this.jitterSum / this.jitterCount : 0;
    const stability = this.posedFrames > 0 ? clamp(1 - jitter / this.maxJitter) : 0;
    const coverage = this.posedFrames / this.frames;
    const resolution = clamp(this.boxHeightSum / this.frames / this.targetBoxHeight);
    const w = this.weights;
    const total = w.visibility + w.stability + w.coverage + w.resolution;
    const score = clamp((w.visibility * visibility + w.stability * stability + w.coverage * coverage + w.resolution * resolution) / total);

    const issues: string[] = [];
    if (coverage < 0.8) issues.push(`pose_missing_${Math.round((1 - coverage) * 100)}%`);
    // Joint issues are relative to frames that had a pose; whole missing poses are reported once above.
    this.layout.joints.forEach((joint, i) => {
      const fraction = this.posedFrames > 0 ? this.missing[i]! / this.posedFrames : 0;
      if (fraction >= this.missingFraction) issues.push(`${joint}_missing_${Math.round(fraction * 100)}%`);
    });
    if (stability < 0.5) issues.push('unstable_keypoints');
    if (resolution < 0.5) issues.push('low_resolution');
    return { score, visibility, stability, coverage, resolution, issues, frames: this.frames };
  }
}
