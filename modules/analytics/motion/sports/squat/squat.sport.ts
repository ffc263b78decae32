import { percentile } from '../../domain/athlete-calibration';
import type { BodySignals } from '../../domain/body-signals';
import type { DetectedEvents, ImplausibleValue, MetricsCalculator, MotionPhase, PhaseDetector, SportDefinition } from '../../domain/motion-analysis';

/**
 * A rep must bend the knees at least this far below standing; shallower dips (shifting weight,
 * keypoint noise of a few degrees) are not reps.
 */
const MIN_REP_DEPTH_DEG = 30;
/** Leave the top once the knee is this far below standing (hysteresis with the next line). */
const LEAVE_TOP_DEG = 15;
/** Back at the top (the rep is complete) once within this of standing. */
const REACH_TOP_DEG = 10;
/**
 * Tempo is timed between the crossings of 5 % of the rep's depth below standing and the bottom:
 * a movement's first and last degrees drown in keypoint noise, so "started" means 5 % down.
 */
export const SQUAT_TEMPO_LEVEL = 0.05;
/** A knee angle under this at the bottom is a keypoint failure, not a squat. */
const MIN_PLAUSIBLE_BOTTOM_DEG = 30;

/** One squat rep, seconds from the first frame (sub-frame where interpolated). */
export interface SquatRepEvents {
  readonly startS: number;
  readonly bottomS: number;
  readonly endS: number;
  /** Knee angle at the bottom, degrees (180 = straight). */
  readonly bottomKneeAngleDeg: number;
  /** Standing knee angle the rep started from, degrees. */
  readonly standingKneeAngleDeg: number;
}

export interface SquatEvents {
  readonly reps: readonly SquatRepEvents[];
  /** A descent deep enough for a rep that had not come back up when the clip ended. */
  readonly incompleteReps: number;
}

/** Per-rep and whole-set squat metrics. */
export interface SquatMetrics {
  readonly repCount: number;
  readonly incompleteReps: number;
  readonly reps: readonly {
    readonly bottomKneeAngleDeg: number;
    readonly downS: number;
    readonly upS: number;
    /** The rep's start (5 % down) and end (5 % from the top again), seconds from the first frame. */
    readonly startS: number;
    readonly endS: number;
  }[];
}

/**
 * Counts reps on the filtered knee angle with a top/bottom state machine: a rep leaves the top
 * (15 deg below standing), reaches a bottom at least 30 deg below standing, and comes back
 * within 10 deg of standing. Standing is the 90th percentile of the knee angle over the clip.
 */
export class SquatPhaseDetector implements PhaseDetector<SquatEvents> {
  detect(signals: BodySignals): DetectedEvents<SquatEvents> {
    const angle = signals.kneeAngleDeg.value;
    const top = percentile(angle, 0.9);
    if (top === null) return { found: false, reason: 'no knee angle in any frame' };
    const fps = signals.fps;
    const reps: SquatRepEvents[] = [];
    let incompleteReps = 0;
    let down = false;
    let bottom = -1;
    // Where the current rep's top stretch began (the clip's start or the previous rep's end).
    let topSince = 0;
    for (let i = 0; i < angle.length; i += 1) {
      const a = angle[i] ?? Number.NaN;
      if (!Number.isFinite(a)) continue;
      if (!down) {
        if (a < top - LEAVE_TOP_DEG) {
          down = true;
          bottom = i;
        }
        continue;
      }
      if (a < (angle[bottom] ?? Number.POSITIVE_INFINITY)) bottom = i;
      if (a > top - REACH_TOP_DEG) {
        down = false;
        const deepEnough = top - (angle[bottom] ?? top) >= MIN_REP_DEPTH_DEG;
        if (deepEnough) reps.push(repOf(angle, topSince, bottom, i, fps));
        topSince = i;
      }
    }
    if (down && top - (angle[bottom] ?? top) >= MIN_REP_DEPTH_DEG) incompleteReps = 1;
    if (reps.length === 0) {
      return {
        found: false,
        reason: incompleteReps > 0 ? 'one descent, not completed before the clip ends' : `no knee bend of ${MIN_REP_DEPTH_DEG} deg or more below standing`,
      };
    }
    return { found: true, events: { reps, incompleteReps } };
  }
}

/** A rep's events from the start of its top stretch, its bottom and its back-at-top frame. */
function repOf(angle: Float64Array, topBefore: number, bottom: number, backAtTop: number, fps: number): SquatRepEvents {
  let standing = Number.NEGATIVE_INFINITY;
  for (let i = topBefore; i <= bottom; i += 1) standing = Math.max(standing, angle[i] ?? Number.NEGATIVE_INFINITY);
  const vertex = parabolicMinimum(angle, bottom);
  const level = standing - SQUAT_TEMPO_LEVEL * (standing - vertex.value);
  return {
    startS: crossing(angle, level, bottom, -1) / fps,
    bottomS: vertex.index / fps,
    endS: crossing(angle, level, bottom, +1, backAtTop + Math.round(fps)) / fps,
    bottomKneeAngleDeg: vertex.value,
    standingKneeAngleDeg: standing,
  };
}

/** Sub-frame minimum through the three samples around `i` (exact for a parabolic bottom). */
function parabolicMinimum(values: Float64Array, i: number): { index: number; value: number } {
  const y0 = values[i - 1] ?? Number.NaN;
  const y1 = values[i] ?? Number.NaN;
  const y2 = values[i + 1] ?? Number.NaN;
  const curvature = y0 - 2 * y1 + y2;
  if (!Number.isFinite(curvature) || curvature <= 0) return { index: i, value: y1 };
  const offset = (0.5 * (y0 - y2)) / curvature;
  return { index: i + offset, value: y1 - 0.25 * (y0 - y2) * offset };
}

/** Sub-frame time (in frames) where the signal, walked from `from` in `step` direction, first rises above `level`. */
function crossing(values: Float64Array, level: number, from: number, step: 1 | -1, limit = step < 0 ? 0 : values.length - 1): number {
  let prev = from;
  for (let i = from + step; step < 0 ? i >= Math.max(0, limit) : i <= Math.min(values.length - 1, limit); i += step) {
    const v = values[i] ?? Number.NaN;
    if (!Number.isFinite(v)) continue;
    if (v >= level) {
      const p = values[prev] ?? v;
      const f = v === p ? 0 : (level - p) / (v - p);
      return prev + f * (i - prev);
    }
    prev = i;
  }
  return prev;
}

/** Rep count, depth (knee angle at the bottom) and tempo (down and up seconds) per rep. */
export class SquatMetricsCalculator implements MetricsCalculator<SquatEvents, SquatMetrics> {
  calculate(events: SquatEvents): { metrics: SquatMetrics; phases: MotionPhase[]; implausible: ImplausibleValue[] } {
    const implausible: ImplausibleValue[] = events.reps
      .filter((r) => r.bottomKneeAngleDeg < MIN_PLAUSIBLE_BOTTOM_DEG)
      .map((r) => ({ check: 'SQUAT_BOTTOM_KNEE_ANGLE_MIN', observed: r.bottomKneeAngleDeg, limit: MIN_PLAUSIBLE_BOTTOM_DEG, unit: 'deg' }));
    const phases = events.reps.flatMap((r): MotionPhase[] => [
      { name: 'DOWN', startS: r.startS, endS: r.bottomS },
      { name: 'UP', startS: r.bottomS, endS: r.endS },
    ]);
    return {
      metrics: {
        repCount: events.reps.length,
        incompleteReps: events.incompleteReps,
        reps: events.reps.map((r) => ({
          bottomKneeAngleDeg: r.bottomKneeAngleDeg,
          downS: r.bottomS - r.startS,
          upS: r.endS - r.bottomS,
          startS: r.startS,
          endS: r.endS,
        })),
      },
      phases,
      implausible,
    };
  }
}

/**
 * The squat: 4 fps is enough to count reps of a second or more each way (the real clip in the
 * tests is 5 fps); depth and tempo get coarser below ~15 fps (sub-frame interpolation helps).
 * The 0.4 s window smooths jitter without flattening a bottom that lasts a few tenths.
 */
export const SQUAT: SportDefinition<SquatEvents, SquatMetrics> = {
  sport: 'SQUAT',
  minimumFps: 4,
  filterWindowS: 0.4,
  phaseDetector: new SquatPhaseDetector(),
  metricsCalculator: new SquatMetricsCalculator(),
};
