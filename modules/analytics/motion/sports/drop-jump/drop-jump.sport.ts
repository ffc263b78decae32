import { percentile } from '../../domain/athlete-calibration';
import type { BodySignals } from '../../domain/body-signals';
import { FootContactDetector } from '../../domain/foot-contact.detector';
import type { DetectedEvents, ImplausibleValue, MetricsCalculator, MotionPhase, PhaseDetector, SportDefinition } from '../../domain/motion-analysis';
import { fitParabola, parabolaRoots } from '../../domain/parabola-fit';
import { GRAVITY_MPS2, MAX_CMJ_FLIGHT_S, timeFlight } from '../cmj/cmj.sport';

/** A box lower than this is not a drop (a step or keypoint noise). */
const MIN_BOX_HEIGHT_M = 0.1;
/** Ground contacts outside this range are not a drop jump's rebound (published DJ: 0.15-0.6 s). */
const CONTACT_RANGE_S = { min: 0.08, max: 1.5 } as const;

/** The drop's landing, the rebound's take-off and landing, seconds from the first frame. */
export interface DropJumpEvents {
  readonly boxHeightM: number;
  readonly landingFromDropS: number;
  readonly takeoffS: number;
  readonly landingS: number;
}

/** Drop-jump results. */
export interface DropJumpMetrics {
  /** Ground contact between the drop and the rebound, seconds. */
  readonly contactTimeS: number;
  /** Rebound height by the flight-time method, metres. */
  readonly jumpHeightM: number;
  readonly flightTimeS: number;
  /** Reactive strength index: jump height (m) / contact time (s). */
  readonly reactiveStrengthIndex: number;
  /** Box height as measured from the ankles on the box (uses the stature scale), metres. */
  readonly boxHeightM: number;
}

/**
 * The athlete starts on a box (ankles above the ground the rest of the clip shows), drops,
 * touches down and rebounds. The drop's landing is the root of a parabola fitted to the
 * falling ankle heights below the box (sub-frame, like the rebound's edges); the rebound is
 * timed as a CMJ flight (`timeFlight`).
 */
export class DropJumpPhaseDetector implements PhaseDetector<DropJumpEvents> {
  private readonly contacts = new FootContactDetector();

  detect(signals: BodySignals): DetectedEvents<DropJumpEvents> {
    const { contacts, inContact } = this.contacts.detect(signals.ankleHeightM.value, signals.ankleHeightM.velocity);
    const n = inContact.length;
    const first = contacts.find((c) => c.start > 0);
    if (inContact[0] === true || first === undefined) return { found: false, reason: 'the clip does not start on a box above the ground' };
    const boxHeightM = percentile(signals.rawAnkleHeightM.subarray(0, first.start), 0.5);
    if (boxHeightM === null || boxHeightM < MIN_BOX_HEIGHT_M) return { found: false, reason: `no drop from a box of ${MIN_BOX_HEIGHT_M} m or more` };
    if (first.end >= n - 1) return { found: false, reason: 'no rebound after the drop' };
    const rebound = timeFlight(signals, { start: first.end + 1, end: nextContactStart(inContact, first.end + 1) - 1 });
    if (rebound === null || nextContactStart(inContact, first.end + 1) >= n) return { found: false, reason: 'no rebound flight with a landing after the drop' };
    const landingFromDropS = dropLanding(signals, first.start, boxHeightM);
    return { found: true, events: { boxHeightM, landingFromDropS, takeoffS: rebound.takeoffS, landingS: rebound.landingS } };
  }
}

function nextContactStart(inContact: readonly boolean[], from: number): number {
  let i = from;
  while (i < inContact.length && inContact[i] !== true) i += 1;
  return i;
}

/** Root of the fall's parabola (frames falling below the box, above the ground), else the first contact frame. */
function dropLanding(signals: BodySignals, contactStart: number, boxHeightM: number): number {
  const points: { t: number; y: number }[] = [];
  for (let i = contactStart; i >= 0; i -= 1) {
    const y = signals.rawAnkleHeightM[i] ?? Number.NaN;
    if (!Number.isFinite(y) || y <= 0.02) {
      if (points.length > 0) break;
      continue;
    }
    if (y >= boxHeightM - 0.03) break;
    points.push({ t: i / signals.fps, y });
  }
  const parabola = fitParabola(points);
  const roots = parabola !== null && parabola.c < 0 ? parabolaRoots(parabola) : null;
  return roots !== null ? roots[1] : contactStart / signals.fps;
}

/** Contact time, rebound height and RSI. */
export class DropJumpMetricsCalculator implements MetricsCalculator<DropJumpEvents, DropJumpMetrics> {
  calculate(events: DropJumpEvents): { metrics: DropJumpMetrics; phases: MotionPhase[]; implausible: ImplausibleValue[] } {
    const contactTimeS = events.takeoffS - events.landingFromDropS;
    const flightTimeS = events.landingS - events.takeoffS;
    const jumpHeightM = (GRAVITY_MPS2 * flightTimeS * flightTimeS) / 8;
    const implausible: ImplausibleValue[] = [];
    if (flightTimeS > MAX_CMJ_FLIGHT_S) implausible.push({ check: 'DROP_JUMP_FLIGHT_TIME_MAX', observed: flightTimeS, limit: MAX_CMJ_FLIGHT_S, unit: 's' });
    if (contactTimeS < CONTACT_RANGE_S.min)
      implausible.push({ check: 'DROP_JUMP_CONTACT_TIME_MIN', observed: contactTimeS, limit: CONTACT_RANGE_S.min, unit: 's' });
    if (contactTimeS > CONTACT_RANGE_S.max)
      implausible.push({ check: 'DROP_JUMP_CONTACT_TIME_MAX', observed: contactTimeS, limit: CONTACT_RANGE_S.max, unit: 's' });
    return {
      metrics: { contactTimeS, jumpHeightM, flightTimeS, reactiveStrengthIndex: jumpHeightM / contactTimeS, boxHeightM: events.boxHeightM },
      phases: [
        { name: 'CONTACT', startS: events.landingFromDropS, endS: events.takeoffS },
        { name: 'FLIGHT', startS: events.takeoffS, endS: events.landingS },
      ],
      implausible,
    };
  }
}

/** The drop jump: 25 fps like the CMJ (a 0.2 s contact is 5 frames at 25 fps). */
export const DROP_JUMP: SportDefinition<DropJumpEvents, DropJumpMetrics> = {
  sport: 'DROP_JUMP',
  minimumFps: 25,
  filterWindowS: 0.1,
  phaseDetector: new DropJumpPhaseDetector(),
  metricsCalculator: new DropJumpMetricsCalculator(),
};
