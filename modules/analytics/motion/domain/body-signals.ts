import { metresPerPixel, percentile, type AthleteProfile } from './athlete-calibration';
import { COCO, type MotionKeypoint, type PoseSeries } from './pose-series';
import { savitzkyGolay, type FilteredSignal } from './savitzky-golay.filter';

/**
 * Per-frame body signals every sport reads, in metres and degrees, filtered once.
 *
 * - Centre of mass (height above the ground): the hip midpoint raised by 20 % of the
 *   hip-to-shoulder distance. With arms and head ignored this lands near the whole-body COM of
 *   an upright adult (~0.55-0.57 H, Winter) and, what matters for jumps, moves with it.
 * - Ankle height above the ground: ground = the median ankle row of the sequence (the feet are
 *   on the ground in most frames of every analysed movement).
 * - Knee angle (hip-knee-ankle) and hip angle (shoulder-hip-knee), interior, degrees: 180 is
 *   straight. Each side counts only where its three joints pass `minScore`; both sides are
 *   averaged (a side view hides one side, a front view shows both).
 */
export interface BodySignals {
  readonly fps: number;
  readonly metresPerPixel: number;
  /** Unfiltered ankle height above the ground, metres (NaN in gaps): contact edges use it. */
  readonly rawAnkleHeightM: Float64Array;
  /**
   * Unfiltered height of the lower of the two ankles above its ground, metres (NaN in gaps).
   * Running reads it: some foot is down in every stance and none in a flight, whichever the
   * model calls left or right (side views often swap them). Its ground is the 70th percentile
   * of the lower ankle's image row, which lies among the stance frames while they are 30 % or
   * more of the clip (sprinting ~45 %, jogging ~70 %).
   */
  readonly rawLowerAnkleHeightM: Float64Array;
  /** Unfiltered height of each ankle (COCO left, right) above the lower ankle's ground, metres (NaN where unseen). */
  readonly rawAnkleHeightsM: readonly [Float64Array, Float64Array];
  readonly ankleHeightM: FilteredSignal;
  readonly comHeightM: FilteredSignal;
  readonly kneeAngleDeg: FilteredSignal;
  readonly hipAngleDeg: FilteredSignal;
  /** Frames with enough confident keypoints for the signals above. */
  readonly validFrames: number;
}

/** Options of {@link computeBodySignals}. */
export interface BodySignalOptions {
  /** Savitzky–Golay window, seconds (a sport chooses it: short for jumps, longer for squats). */
  readonly filterWindowS: number;
  /** Keypoints below this confidence are gaps; default 0.3 (MoveNet's usual visibility cut). */
  readonly minScore?: number;
}

/** Computes {@link BodySignals}, or null when the athlete cannot be scaled (no extended frame). */
export function computeBodySignals(series: PoseSeries, athlete: AthleteProfile, options: BodySignalOptions): BodySignals | null {
  const minScore = options.minScore ?? 0.3;
  const n = series.frames.length;
  const comY = new Float64Array(n).fill(Number.NaN);
  const ankleY = new Float64Array(n).fill(Number.NaN);
  const lowerAnkleY = new Float64Array(n).fill(Number.NaN);
  const leftAnkleY = new Float64Array(n).fill(Number.NaN);
  const rightAnkleY = new Float64Array(n).fill(Number.NaN);
  const span = new Float64Array(n).fill(Number.NaN);
  const knee = new Float64Array(n).fill(Number.NaN);
  const hip = new Float64Array(n).fill(Number.NaN);
  let validFrames = 0;
  series.frames.forEach((kp, i) => {
    if (kp === null) return;
    const at = (j: number): MotionKeypoint | null => {
      const p = kp[j];
      return p !== undefined && p.score >= minScore && Number.isFinite(p.x) && Number.isFinite(p.y) ? p : null;
    };
    const hipMid = midpoint(at(COCO.leftHip), at(COCO.rightHip));
    const shoulderMid = midpoint(at(COCO.leftShoulder), at(COCO.rightShoulder));
    const ankleMid = midpoint(at(COCO.leftAnkle), at(COCO.rightAnkle));
    const nose = at(COCO.nose);
    if (hipMid && shoulderMid) comY[i] = hipMid.y + 0.2 * (shoulderMid.y - hipMid.y);
    if (ankleMid) ankleY[i] = ankleMid.y;
    const la = at(COCO.leftAnkle);
    const ra = at(COCO.rightAnkle);
    if (la) leftAnkleY[i] = la.y;
    if (ra) rightAnkleY[i] = ra.y;
    if (la || ra) lowerAnkleY[i] = Math.max(la?.y ?? Number.NEGATIVE_INFINITY, ra?.y ?? Number.NEGATIVE_INFINITY);
    if (nose && ankleMid) span[i] = ankleMid.y - nose.y;
    knee[i] = meanAngle(
      angleDeg(at(COCO.leftHip), at(COCO.leftKnee), at(COCO.leftAnkle)),
      angleDeg(at(COCO.rightHip), at(COCO.rightKnee), at(COCO.rightAnkle)),
    );
    hip[i] = meanAngle(
      angleDeg(at(COCO.leftShoulder), at(COCO.leftHip), at(COCO.leftKnee)),
      angleDeg(at(COCO.rightShoulder), at(COCO.rightHip), at(COCO.rightKnee)),
    );
    if (Number.isFinite(comY[i] ?? Number.NaN) && Number.isFinite(ankleY[i] ?? Number.NaN)) validFrames += 1;
  });
  const mpp = metresPerPixel(span, athlete);
  const groundY = percentile(ankleY, 0.5);
  const lowerGroundY = percentile(lowerAnkleY, 0.7);
  if (mpp === null || groundY === null || lowerGroundY === null) return null;
  const rawAnkleHeightM = ankleY.map((y) => (groundY - y) * mpp);
  const comHeightRaw = comY.map((y) => (groundY - y) * mpp);
  const filter = { fps: series.fps, windowS: options.filterWindowS };
  return {
    fps: series.fps,
    metresPerPixel: mpp,
    rawAnkleHeightM,
    rawLowerAnkleHeightM: lowerAnkleY.map((y) => (lowerGroundY - y) * mpp),
    rawAnkleHeightsM: [leftAnkleY.map((y) => (lowerGroundY - y) * mpp), rightAnkleY.map((y) => (lowerGroundY - y) * mpp)],
    ankleHeightM: savitzkyGolay(rawAnkleHeightM, filter),
    comHeightM: savitzkyGolay(comHeightRaw, filter),
    kneeAngleDeg: savitzkyGolay(knee, filter),
    hipAngleDeg: savitzkyGolay(hip, filter),
    validFrames,
  };
}

function midpoint(a: MotionKeypoint | null, b: MotionKeypoint | null): { x: number; y: number } | null {
  if (a && b) return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  return a ?? b;
}

/** Interior angle at `b` of the segments b-a and b-c, degrees; NaN when a joint is missing. */
export function angleDeg(a: MotionKeypoint | null, b: MotionKeypoint | null, c: MotionKeypoint | null): number {
  if (!a || !b || !c) return Number.NaN;
  const ux = a.x - b.x;
  const uy = a.y - b.y;
  const vx = c.x - b.x;
  const vy = c.y - b.y;
  const norm = Math.hypot(ux, uy) * Math.hypot(vx, vy);
  if (norm === 0) return Number.NaN;
  return (Math.acos(Math.max(-1, Math.min(1, (ux * vx + uy * vy) / norm))) * 180) / Math.PI;
}

function meanAngle(a: number, b: number): number {
  if (Number.isFinite(a) && Number.isFinite(b)) return (a + b) / 2;
  return Number.isFinite(a) ? a : b;
}
