import type { BodySignals } from '../../domain/body-signals';
import { fitParabola, parabolaRoots } from '../../domain/parabola-fit';
import type { DetectedEvents, ImplausibleValue, MetricsCalculator, MotionPhase, PhaseDetector, SportDefinition } from '../../domain/motion-analysis';

/**
 * Running, filmed from the side: steps from the ground contacts of the lower foot.
 *
 * A running step is one foot's contact followed by a flight with both feet off the ground (that
 * flight is what makes it running and not walking). The lower ankle of the two
 * (`BodySignals.rawLowerAnkleHeightM`) is on the ground in every stance and off it in every
 * flight, whichever foot the model calls left, so steps need no left/right identity. The same
 * foot touches down again two steps later, which gives its swing time.
 */

/** Above this the lower foot has left the ground (hysteresis with the next line), metres. */
const LIFT_OFF_M = 0.04;
/** Below this an airborne lower foot has touched down, metres. */
const TOUCH_DOWN_M = 0.025;
/** Airborne samples below this height time a contact's edge (the ankle path is nearly straight there), metres. */
const EDGE_FIT_MAX_M = 0.1;
/** Keypoint noise of a foot on the ground stays below this (~2 sigma at 2 px, 350 px/m), metres. */
const GROUND_NOISE_M = 0.0125;
/** Fewer steps than this is not a run we measure (a cadence needs a few periods). */
const MIN_STEPS = 4;
/**
 * Shortest plausible ground contact: elite sprinters touch the ground for ~80-90 ms; shorter
 * is a missed contact or keypoint jitter, so it is flagged and no metric is reported.
 */
export const MIN_RUNNING_CONTACT_S = 0.08;
/** Cadence range we report, steps per minute (sprinting tops out near 300). */
export const RUNNING_CADENCE_RANGE_SPM = [100, 300] as const;

/** One step: the contact's edges (seconds from the first frame, sub-frame) and its frames. */
export interface RunningStepEvent {
  readonly touchDownS: number;
  readonly toeOffS: number;
  readonly firstFrame: number;
  readonly lastFrame: number;
}

export interface RunningEvents {
  /** Contacts with a flight before and after them, in time order. */
  readonly steps: readonly RunningStepEvent[];
}

/** Per-step and whole-run metrics. */
export interface RunningMetrics {
  /** Steps per minute, from the period between touch-downs (least squares over every step). */
  readonly cadenceSpm: number;
  readonly stepCount: number;
  readonly meanContactTimeS: number;
  readonly meanFlightTimeS: number;
  /** Mean stance / swing time of the same foot (~0.4-0.7 running, rising as speed falls). */
  readonly stanceSwingRatio: number | null;
  readonly steps: readonly {
    readonly touchDownS: number;
    readonly toeOffS: number;
    readonly contactTimeS: number;
    /** Flight after this step's toe-off until the next touch-down (null for the last step). */
    readonly flightTimeS: number | null;
    /** This foot's swing: toe-off to its own next touch-down, two steps later (null near the end). */
    readonly swingTimeS: number | null;
  }[];
}

/**
 * Finds the contacts of the lower foot with height hysteresis on the raw signal (a filter would
 * round the sharp touch-down and shift it), then times each edge by extending the straight
 * path of the first airborne samples down to the ground: a threshold crossing alone would make
 * every contact longer by the time the foot needs to rise to the threshold.
 */
export class RunningPhaseDetector implements PhaseDetector<RunningEvents> {
  detect(signals: BodySignals): DetectedEvents<RunningEvents> {
    const h = signals.rawLowerAnkleHeightM;
    const n = h.length;
    const contact: boolean[] = new Array<boolean>(n).fill(true);
    let state = true;
    for (let i = 0; i < n; i += 1) {
      const v = h[i] ?? Number.NaN;
      if (Number.isFinite(v)) {
        if (state && v > LIFT_OFF_M) state = false;
        else if (!state && v < TOUCH_DOWN_M) state = true;
      }
      contact[i] = state;
    }
    const steps: RunningStepEvent[] = [];
    let start = -1;
    for (let i = 0; i < n; i += 1) {
      if (contact[i] && start < 0) start = i;
      const endsHere = contact[i] && (i === n - 1 || !contact[i + 1]);
      if (!endsHere) continue;
      // A contact needs a flight on both sides; one cut by the clip cannot be timed.
      if (start > 0 && i < n - 1) {
        steps.push({
          touchDownS: edgeTime(stanceAnkle(signals, start, i), start, -1, signals.fps),
          toeOffS: edgeTime(stanceAnkle(signals, start, i), i, +1, signals.fps),
          firstFrame: start,
          lastFrame: i,
        });
      }
      start = -1;
    }
    if (steps.length < MIN_STEPS) {
      return {
        found: false,
        reason: `${steps.length} running steps (a contact between two flights with both feet off the ground); ${MIN_STEPS} or more are needed`,
      };
    }
    return { found: true, events: { steps } };
  }
}

/**
 * The ankle standing in the contact [first, last]: the one lower over its frames (the model's
 * left and right may swap between steps in a side view; within one contact they rarely do).
 */
function stanceAnkle(signals: BodySignals, first: number, last: number): Float64Array {
  const [left, right] = signals.rawAnkleHeightsM;
  let l = 0;
  let r = 0;
  for (let i = first; i <= last; i += 1) {
    const a = left[i] ?? Number.NaN;
    const b = right[i] ?? Number.NaN;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      if (a < b) l += 1;
      else r += 1;
    }
  }
  return l >= r ? left : right;
}

/**
 * Time (seconds) where the stance foot left (step +1) or reached (step -1) the ground at the
 * contact frame `edge`: the root of the parabola (or line, with fewer samples) through that
 * foot's airborne samples next to the edge, up to {@link EDGE_FIT_MAX_M} high. The foot's own
 * path is used, not the lower foot's: in a flight the lower foot climbs with one foot and falls
 * with the other. Falls back to the middle of the edge interval when the samples do not
 * describe a foot leaving the ground there.
 */
function edgeTime(h: Float64Array, contactEdge: number, step: 1 | -1, fps: number): number {
  // The hysteresis keeps a foot in contact up to the lift-off height: step back to the last
  // frame near the ground.
  let edge = contactEdge;
  while (Math.abs(edge - contactEdge) < 3 && (h[edge] ?? 0) > GROUND_NOISE_M && (h[edge - step] ?? Number.NaN) <= (h[edge] ?? 0)) edge -= step;
  const points: { t: number; y: number }[] = [];
  for (let i = edge + step; i >= 0 && i < h.length && points.length < 8; i += step) {
    const y = h[i] ?? Number.NaN;
    if (!Number.isFinite(y)) continue;
    if (y > EDGE_FIT_MAX_M) break;
    if (y > GROUND_NOISE_M) points.push({ t: i - edge, y });
  }
  const fallback = (edge + step / 2) / fps;
  let root: number | null = null;
  const parabola = points.length >= 4 ? fitParabola(points) : null;
  if (parabola !== null) {
    const roots = parabolaRoots(parabola);
    // The root next to the edge (the other root lies beyond the swing's top or behind the contact).
    if (roots !== null) root = roots.reduce((best, r) => (Math.abs(r) < Math.abs(best) ? r : best));
  } else if (points.length >= 2) {
    const mt = points.reduce((s, p) => s + p.t, 0) / points.length;
    const my = points.reduce((s, p) => s + p.y, 0) / points.length;
    let sxy = 0;
    let sxx = 0;
    for (const p of points) {
      sxy += (p.t - mt) * (p.y - my);
      sxx += (p.t - mt) * (p.t - mt);
    }
    const slope = sxy / sxx;
    if (slope * step > 0) root = mt - my / slope;
  }
  // The root must fall within a frame of the edge frame (a foot just below the touch-down
  // height lands after it); otherwise the middle of the interval is the better guess.
  return root !== null && Math.abs(root) <= 1 ? (edge + root) / fps : fallback;
}

/** Cadence, contact, flight and swing times, and the stance/swing ratio. */
export class RunningMetricsCalculator implements MetricsCalculator<RunningEvents, RunningMetrics> {
  calculate(events: RunningEvents): { metrics: RunningMetrics; phases: MotionPhase[]; implausible: ImplausibleValue[] } {
    const { steps } = events;
    const perStep = steps.map((s, i) => {
      const next = steps[i + 1];
      const sameFootNext = steps[i + 2];
      return {
        touchDownS: s.touchDownS,
        toeOffS: s.toeOffS,
        contactTimeS: s.toeOffS - s.touchDownS,
        flightTimeS: next ? next.touchDownS - s.toeOffS : null,
        swingTimeS: sameFootNext ? sameFootNext.touchDownS - s.toeOffS : null,
      };
    });
    const cadenceSpm = 60 / stepPeriodS(steps.map((s) => s.touchDownS));
    const implausible: ImplausibleValue[] = [];
    const shortest = Math.min(...perStep.map((s) => s.contactTimeS));
    if (shortest < MIN_RUNNING_CONTACT_S) implausible.push({ check: 'RUNNING_CONTACT_TIME_MIN', observed: shortest, limit: MIN_RUNNING_CONTACT_S, unit: 's' });
    const [minSpm, maxSpm] = RUNNING_CADENCE_RANGE_SPM;
    if (!(cadenceSpm >= minSpm)) implausible.push({ check: 'RUNNING_CADENCE_MIN', observed: cadenceSpm, limit: minSpm, unit: 'steps/min' });
    if (cadenceSpm > maxSpm) implausible.push({ check: 'RUNNING_CADENCE_MAX', observed: cadenceSpm, limit: maxSpm, unit: 'steps/min' });
    const ratios = perStep.filter((s) => s.swingTimeS !== null && s.swingTimeS > 0).map((s) => s.contactTimeS / (s.swingTimeS ?? 1));
    const flights = perStep.flatMap((s) => (s.flightTimeS === null ? [] : [s.flightTimeS]));
    const phases = perStep.flatMap((s): MotionPhase[] => [
      { name: 'CONTACT', startS: s.touchDownS, endS: s.toeOffS },
      ...(s.flightTimeS === null ? [] : [{ name: 'FLIGHT', startS: s.toeOffS, endS: s.toeOffS + s.flightTimeS }]),
    ]);
    return {
      metrics: {
        cadenceSpm,
        stepCount: steps.length,
        meanContactTimeS: mean(perStep.map((s) => s.contactTimeS)),
        meanFlightTimeS: mean(flights),
        stanceSwingRatio: ratios.length > 0 ? mean(ratios) : null,
        steps: perStep,
      },
      phases,
      implausible,
    };
  }
}

/**
 * The step period: the least-squares slope of touch-down time against step number. Every
 * touch-down counts, so one edge timed a few ms off moves the cadence less than it would
 * moving the first or the last touch-down of a first-to-last difference.
 */
function stepPeriodS(touchDownsS: readonly number[]): number {
  const n = touchDownsS.length;
  const mi = (n - 1) / 2;
  const mt = mean(touchDownsS);
  let sit = 0;
  let sii = 0;
  touchDownsS.forEach((t, i) => {
    sit += (i - mi) * (t - mt);
    sii += (i - mi) * (i - mi);
  });
  return sit / sii;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/**
 * Running: 25 fps at least; a contact of ~200 ms is then 5 frames and its edges, timed from
 * the foot's path, land within a frame. The short window is unused by the detector (it reads
 * the raw lower ankle) and only smooths the plotted signals.
 */
export const RUNNING: SportDefinition<RunningEvents, RunningMetrics> = {
  sport: 'RUNNING',
  minimumFps: 25,
  filterWindowS: 0.1,
  phaseDetector: new RunningPhaseDetector(),
  metricsCalculator: new RunningMetricsCalculator(),
};
