import type { BodySignals } from '../../domain/body-signals';
import { FootContactDetector, type FrameInterval } from '../../domain/foot-contact.detector';
import type { DetectedEvents, ImplausibleValue, MetricsCalculator, MotionPhase, PhaseDetector, SportDefinition } from '../../domain/motion-analysis';
import { fitParabola, parabolaRoots } from '../../domain/parabola-fit';

/** Standard gravity, m/s^2. */
export const GRAVITY_MPS2 = 9.80665;

/**
 * Longest flight we report: 1.2 s is a 1.77 m jump by the flight-time method, far above any
 * recorded countermovement jump (elite ~0.9 m); a longer "flight" is a tracking failure or a
 * step off a box.
 */
export const MAX_CMJ_FLIGHT_S = 1.2;

/** A jump lower than this is not a jump (keypoint noise and heel raises stay below it). */
const MIN_JUMP_HEIGHT_M = 0.05;

/** Take-off and landing of the analysed jump, seconds from the first frame (sub-frame). */
export interface CmjEvents {
  readonly takeoffS: number;
  readonly landingS: number;
  readonly flight: FrameInterval;
}

/** CMJ results. */
export interface CmjMetrics {
  /** Jump height by the flight-time method, h = g T^2 / 8, metres. */
  readonly jumpHeightM: number;
  readonly flightTimeS: number;
  readonly takeoffS: number;
  readonly landingS: number;
  /** How far the centre of mass dropped before the push, metres (uses the stature scale). */
  readonly countermovementDepthM: number | null;
}

/**
 * Finds the highest flight and times its edges by fitting the ballistic parabola to the ankle
 * heights of the airborne frames and taking its roots at ground level: the edges fall between
 * frames, and a threshold crossing would shorten the flight by the time the foot needs to rise
 * to the threshold (~12 ms at 4 cm and 2.5 m/s, i.e. ~1.5 cm of height).
 *
 * Caveat for real footage: the ankle rises with a heel raise before the toes leave the ground,
 * so ankle-based take-off is early by up to a few frames; toe keypoints (BlazePose) or a COM
 * parabola with known g would be better, and are a later slice.
 */
export class CmjPhaseDetector implements PhaseDetector<CmjEvents> {
  private readonly contacts = new FootContactDetector();

  detect(signals: BodySignals): DetectedEvents<CmjEvents> {
    const { inContact, flights } = this.contacts.detect(signals.ankleHeightM.value, signals.ankleHeightM.velocity);
    const n = inContact.length;
    // A flight needs ground on both sides: one cut by the clip's start or end cannot be timed.
    const bounded = flights.filter((f) => f.start > 0 && f.end < n - 1);
    let best: { events: CmjEvents; heightM: number } | null = null;
    for (const flight of bounded) {
      const timed = timeFlight(signals, flight);
      if (timed === null || timed.apexM < MIN_JUMP_HEIGHT_M) continue;
      if (best === null || timed.apexM > best.heightM) best = { events: { takeoffS: timed.takeoffS, landingS: timed.landingS, flight }, heightM: timed.apexM };
    }
    if (best === null) return { found: false, reason: 'no flight with ground contact before and after and a rise of at least 5 cm' };
    return { found: true, events: best.events };
  }
}

/**
 * Times one flight: the roots at ground level of the parabola fitted to its airborne ankle
 * heights (seconds from the first frame) and its apex (metres); null when the frames do not
 * describe a fall (too few points, or a curve that opens upwards).
 */
export function timeFlight(signals: BodySignals, flight: FrameInterval): { takeoffS: number; landingS: number; apexM: number } | null {
  const points: { t: number; y: number }[] = [];
  for (let i = flight.start - 1; i <= flight.end + 1; i += 1) {
    const y = signals.rawAnkleHeightM[i] ?? Number.NaN;
    // The frame either side of the run may already be airborne below the lift-off threshold;
    // frames near the ground (landing frames held airborne by their speed) are not ballistic.
    if (Number.isFinite(y) && y > 0.02) points.push({ t: i / signals.fps, y });
  }
  const parabola = fitParabola(points);
  if (parabola === null || parabola.c >= 0) return null;
  const roots = parabolaRoots(parabola);
  if (roots === null) return null;
  const apexT = -parabola.b / (2 * parabola.c);
  return { takeoffS: roots[0], landingS: roots[1], apexM: parabola.a + parabola.b * apexT + parabola.c * apexT * apexT };
}

/** Jump height from flight time, countermovement depth and the jump's phases. */
export class CmjMetricsCalculator implements MetricsCalculator<CmjEvents, CmjMetrics> {
  calculate(events: CmjEvents, signals: BodySignals): { metrics: CmjMetrics; phases: MotionPhase[]; implausible: ImplausibleValue[] } {
    const flightTimeS = events.landingS - events.takeoffS;
    const implausible: ImplausibleValue[] =
      flightTimeS > MAX_CMJ_FLIGHT_S ? [{ check: 'CMJ_FLIGHT_TIME_MAX', observed: flightTimeS, limit: MAX_CMJ_FLIGHT_S, unit: 's' }] : [];
    const com = signals.comHeightM.value;
    const fps = signals.fps;
    const takeoffFrame = Math.min(events.flight.start, Math.floor(events.takeoffS * fps));
    const quiet = median(com, 0, Math.max(1, Math.round(0.3 * fps)));
    const bottom = argMin(com, 0, takeoffFrame);
    const landingFrame = Math.max(events.flight.end, Math.ceil(events.landingS * fps));
    const absorbed = argMin(com, landingFrame, Math.min(com.length - 1, landingFrame + Math.round(0.6 * fps)));
    let moveStart = bottom;
    if (quiet !== null && bottom !== null) {
      moveStart = bottom;
      while (moveStart > 0 && (com[moveStart - 1] ?? Number.NaN) < quiet - 0.01) moveStart -= 1;
    }
    const phases: MotionPhase[] = [];
    if (moveStart !== null && bottom !== null) {
      phases.push({ name: 'QUIET', startS: 0, endS: moveStart / fps });
      phases.push({ name: 'ECCENTRIC', startS: moveStart / fps, endS: bottom / fps });
      phases.push({ name: 'CONCENTRIC', startS: bottom / fps, endS: events.takeoffS });
    }
    phases.push({ name: 'FLIGHT', startS: events.takeoffS, endS: events.landingS });
    if (absorbed !== null) phases.push({ name: 'LANDING', startS: events.landingS, endS: absorbed / fps });
    return {
      metrics: {
        jumpHeightM: (GRAVITY_MPS2 * flightTimeS * flightTimeS) / 8,
        flightTimeS,
        takeoffS: events.takeoffS,
        landingS: events.landingS,
        countermovementDepthM: quiet !== null && bottom !== null ? quiet - (com[bottom] ?? Number.NaN) : null,
      },
      phases,
      implausible,
    };
  }
}

/** The countermovement jump: needs 25 fps (at 40 ms a frame the edges blur past 3 cm). */
export const CMJ: SportDefinition<CmjEvents, CmjMetrics> = {
  sport: 'CMJ',
  minimumFps: 25,
  filterWindowS: 0.1,
  phaseDetector: new CmjPhaseDetector(),
  metricsCalculator: new CmjMetricsCalculator(),
};

function argMin(values: ArrayLike<number>, from: number, to: number): number | null {
  let best: number | null = null;
  for (let i = Math.max(0, from); i <= to && i < values.length; i += 1) {
    const v = values[i] ?? Number.NaN;
    if (Number.isFinite(v) && (best === null || v < (values[best] ?? Number.POSITIVE_INFINITY))) best = i;
  }
  return best;
}

function median(values: ArrayLike<number>, from: number, to: number): number | null {
  const xs: number[] = [];
  for (let i = from; i < to && i < values.length; i += 1) {
    const v = values[i] ?? Number.NaN;
    if (Number.isFinite(v)) xs.push(v);
  }
  if (xs.length === 0) return null;
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] ?? null;
}
