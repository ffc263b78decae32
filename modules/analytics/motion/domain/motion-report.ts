import type { AthleteProfile } from './athlete-calibration';
import { computeBodySignals, type BodySignals } from './body-signals';
import { sportEntry, type PlotSignalName } from './motion-catalog';
import { analyzeMotion, type ImplausibleValue, type MotionAnalysis, type MotionPhase, type MotionSport } from './motion-analysis';
import { COCO, type PoseSeries } from './pose-series';

/**
 * An analysis as it is stored and shown: the typed outcome, one record per measured event (a
 * jump, a rep, a step) with its confidence and frames, and the plotted body signal. Batch and
 * live analyses both produce it, from the same `analyzeMotion`.
 */

/** One measured event. Times are seconds from the analysed series' first frame. */
export interface MotionEventRecord {
  readonly kind: 'JUMP' | 'REP' | 'STEP';
  /** 1-based within the analysis. */
  readonly index: number;
  readonly startS: number;
  readonly endS: number;
  /** The event's numbers, keyed as in the sport's catalog entry; null where not measurable. */
  readonly values: Readonly<Record<string, number | null>>;
  /** Mean keypoint confidence of hips, knees and ankles over the event's frames, 0..1. */
  readonly confidence: number;
  /** Frames [first, last] (0-based in the series) the event was measured from. */
  readonly frames: readonly [number, number];
}

/** The plotted signal, one sample per frame (null in gaps). */
export interface MotionSignalPlot {
  readonly name: PlotSignalName;
  readonly unit: string;
  readonly fps: number;
  readonly values: readonly (number | null)[];
}

export interface MotionReport {
  readonly sport: MotionSport;
  readonly outcome: MotionAnalysis<Record<string, unknown>>;
  /** Summary numbers when OK (repCount, cadenceSpm, ...), else null. */
  readonly metrics: Readonly<Record<string, unknown>> | null;
  readonly phases: readonly MotionPhase[];
  readonly flags: readonly ImplausibleValue[];
  readonly events: readonly MotionEventRecord[];
  readonly signal: MotionSignalPlot | null;
}

/** Runs one sport and shapes its result as a {@link MotionReport}; `withSignal` adds the plot (batch only). */
export function reportMotion(sport: MotionSport, series: PoseSeries, athlete: AthleteProfile, withSignal = true): MotionReport {
  const entry = sportEntry(sport);
  const outcome = analyzeMotion(entry.definition, series, athlete) as MotionAnalysis<Record<string, unknown>>;
  const signals = withSignal ? computeBodySignals(series, athlete, { filterWindowS: entry.definition.filterWindowS }) : null;
  const events = outcome.status === 'OK' ? eventsOf(sport, outcome.metrics, outcome.phases, series) : [];
  return {
    sport,
    outcome,
    metrics: outcome.status === 'OK' ? summaryOf(outcome.metrics) : null,
    phases: outcome.status === 'OK' ? outcome.phases : [],
    flags: outcome.status === 'IMPLAUSIBLE' ? outcome.flags : [],
    events,
    signal: signals ? plotOf(entry.plotSignal, signals) : null,
  };
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The per-analysis numbers (per-event lists are in the events). */
function summaryOf(metrics: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metrics)) if (!Array.isArray(v)) out[k] = num(v);
  return out;
}

function eventsOf(sport: MotionSport, metrics: Record<string, unknown>, phases: readonly MotionPhase[], series: PoseSeries): MotionEventRecord[] {
  const fps = series.fps;
  const frameOf = (s: number): number => Math.max(0, Math.min(series.frames.length - 1, Math.round(s * fps)));
  const make = (kind: MotionEventRecord['kind'], index: number, startS: number, endS: number, values: Record<string, number | null>): MotionEventRecord => {
    const frames: [number, number] = [frameOf(startS), frameOf(endS)];
    return { kind, index, startS, endS, values, confidence: confidenceOf(series, frames), frames };
  };
  if (sport === 'CMJ') {
    const m = metrics;
    return [
      make('JUMP', 1, num(m['takeoffS']) ?? 0, num(m['landingS']) ?? 0, {
        jumpHeightM: num(m['jumpHeightM']),
        flightTimeS: num(m['flightTimeS']),
        countermovementDepthM: num(m['countermovementDepthM']),
        takeoffS: num(m['takeoffS']),
        landingS: num(m['landingS']),
      }),
    ];
  }
  if (sport === 'DROP_JUMP') {
    const m = metrics;
    const contact = phases.find((p) => p.name === 'CONTACT');
    const flight = phases.find((p) => p.name === 'FLIGHT');
    return [
      make('JUMP', 1, contact?.startS ?? 0, flight?.endS ?? 0, {
        contactTimeS: num(m['contactTimeS']),
        flightTimeS: num(m['flightTimeS']),
        jumpHeightM: num(m['jumpHeightM']),
        reactiveStrengthIndex: num(m['reactiveStrengthIndex']),
        boxHeightM: num(m['boxHeightM']),
      }),
    ];
  }
  if (sport === 'SQUAT') {
    const reps = (metrics['reps'] as { bottomKneeAngleDeg: number; downS: number; upS: number; startS: number; endS: number }[]) ?? [];
    return reps.map((r, i) => make('REP', i + 1, r.startS, r.endS, { bottomKneeAngleDeg: num(r.bottomKneeAngleDeg), downS: num(r.downS), upS: num(r.upS) }));
  }
  const steps = (metrics['steps'] as { touchDownS: number; toeOffS: number; contactTimeS: number; flightTimeS: number | null; swingTimeS: number | null }[]) ?? [];
  return steps.map((s, i) =>
    make('STEP', i + 1, s.touchDownS, s.toeOffS, { contactTimeS: num(s.contactTimeS), flightTimeS: num(s.flightTimeS), swingTimeS: num(s.swingTimeS) }),
  );
}

const LEG_JOINTS = [COCO.leftHip, COCO.rightHip, COCO.leftKnee, COCO.rightKnee, COCO.leftAnkle, COCO.rightAnkle];

function confidenceOf(series: PoseSeries, [first, last]: readonly [number, number]): number {
  let sum = 0;
  let n = 0;
  for (let i = first; i <= last; i += 1) {
    const frame = series.frames[i];
    for (const j of LEG_JOINTS) {
      sum += frame?.[j]?.score ?? 0;
      n += 1;
    }
  }
  return n === 0 ? 0 : Math.round((sum / n) * 1000) / 1000;
}

function plotOf(name: PlotSignalName, signals: BodySignals): MotionSignalPlot {
  const source = name === 'KNEE_ANGLE' ? signals.kneeAngleDeg.value : name === 'COM_HEIGHT' ? signals.comHeightM.value : signals.rawLowerAnkleHeightM;
  const digits = name === 'KNEE_ANGLE' ? 10 : 1000;
  return {
    name,
    unit: name === 'KNEE_ANGLE' ? 'deg' : 'm',
    fps: signals.fps,
    values: Array.from(source, (v) => (Number.isFinite(v) ? Math.round(v * digits) / digits : null)),
  };
}
