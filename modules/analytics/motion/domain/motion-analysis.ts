import type { AthleteProfile } from './athlete-calibration';
import { computeBodySignals, type BodySignals } from './body-signals';
import { MotionError, MotionErrorCode } from './motion.error';
import type { PoseSeries } from './pose-series';

/** The sports with an analysis; each has one folder under `modules/analytics/motion/sports/`. */
export const MOTION_SPORTS = ['CMJ', 'SQUAT', 'DROP_JUMP', 'RUNNING'] as const;
export type MotionSport = (typeof MOTION_SPORTS)[number];

/** A named stretch of the movement, seconds from the first frame. */
export interface MotionPhase {
  readonly name: string;
  readonly startS: number;
  readonly endS: number;
}

/** A value that failed a plausibility check: reported as a flag, never as a metric. */
export interface ImplausibleValue {
  readonly check: string;
  readonly observed: number;
  readonly limit: number;
  readonly unit: string;
}

/**
 * The outcome of an analysis. Only `OK` carries numbers a coach may read; every other status
 * says why there are none, so "no jump found" can never be shown as a 0 cm jump.
 */
export type MotionAnalysis<M> =
  | { readonly status: 'OK'; readonly sport: MotionSport; readonly metrics: M; readonly phases: readonly MotionPhase[] }
  | { readonly status: 'NO_EVENT_DETECTED'; readonly sport: MotionSport; readonly reason: string }
  | { readonly status: 'INSUFFICIENT_FRAME_RATE'; readonly sport: MotionSport; readonly fps: number; readonly minimumFps: number }
  | { readonly status: 'INSUFFICIENT_KEYPOINTS'; readonly sport: MotionSport; readonly reason: string }
  | { readonly status: 'IMPLAUSIBLE'; readonly sport: MotionSport; readonly flags: readonly ImplausibleValue[] };

/** What a phase detector found: the sport's events, or why there are none. */
export type DetectedEvents<E> = { readonly found: true; readonly events: E } | { readonly found: false; readonly reason: string };

/** Finds a sport's events (take-off, landing, reps...) in the body signals. */
export interface PhaseDetector<E> {
  detect(signals: BodySignals): DetectedEvents<E>;
}

/** Turns a sport's events into metrics and phases, flagging values outside physiology. */
export interface MetricsCalculator<E, M> {
  calculate(events: E, signals: BodySignals): { metrics: M; phases: MotionPhase[]; implausible: ImplausibleValue[] };
}

/** Everything one sport contributes; adding a sport is one folder that exports one of these. */
export interface SportDefinition<E, M> {
  readonly sport: MotionSport;
  /** Below this rate the sport's events fall between frames; the analysis refuses to guess. */
  readonly minimumFps: number;
  /** Savitzky–Golay window for the body signals, seconds. */
  readonly filterWindowS: number;
  readonly phaseDetector: PhaseDetector<E>;
  readonly metricsCalculator: MetricsCalculator<E, M>;
}

/**
 * Highest rate accepted (high-speed cameras); the filters work in seconds, but the tests cover
 * 5 to 60 fps only.
 */
export const MAXIMUM_MOTION_FPS = 240;

/** Runs one sport on one athlete's pose sequence; throws {@link MotionError} on an fps or athlete out of range. */
export function analyzeMotion<E, M>(definition: SportDefinition<E, M>, series: PoseSeries, athlete: AthleteProfile): MotionAnalysis<M> {
  const { sport } = definition;
  if (!(series.fps > 0) || series.fps > MAXIMUM_MOTION_FPS) {
    throw new MotionError(MotionErrorCode.INVALID_MOTION_INPUT, `fps must be in (0, ${MAXIMUM_MOTION_FPS}], got ${series.fps}`, { fps: series.fps });
  }
  if (series.fps < definition.minimumFps) return { status: 'INSUFFICIENT_FRAME_RATE', sport, fps: series.fps, minimumFps: definition.minimumFps };
  if (!(athlete.heightM >= 0.9 && athlete.heightM <= 2.5)) {
    throw new MotionError(MotionErrorCode.INVALID_MOTION_INPUT, `athlete height must be 0.9..2.5 m, got ${athlete.heightM}`, { heightM: athlete.heightM });
  }
  const signals = computeBodySignals(series, athlete, { filterWindowS: definition.filterWindowS });
  if (signals === null || signals.validFrames < Math.max(3, series.frames.length / 2)) {
    return { status: 'INSUFFICIENT_KEYPOINTS', sport, reason: 'hips, shoulders, ankles and nose are visible in fewer than half of the frames' };
  }
  const detected = definition.phaseDetector.detect(signals);
  if (!detected.found) return { status: 'NO_EVENT_DETECTED', sport, reason: detected.reason };
  const { metrics, phases, implausible } = definition.metricsCalculator.calculate(detected.events, signals);
  if (implausible.length > 0) return { status: 'IMPLAUSIBLE', sport, flags: implausible };
  return { status: 'OK', sport, metrics, phases };
}
