import type { AthleteProfile } from '../domain/athlete-calibration';
import type { MotionEventRecord, MotionReport } from '../domain/motion-report';
import { MotionError, MotionErrorCode } from '../domain/motion.error';
import { MotionSourceFailure, type FinishedMotionAnalysis, type MotionAnalysisRow, type MotionFailureReason, type TrackChoice } from './motion-ports';

/**
 * Stature assumed when the request gives none. Only the contact thresholds (metres above the
 * ground) use it, where 10 % off changes nothing; numbers that are lengths (countermovement
 * depth, box height) are then not reported.
 */
const DEFAULT_HEIGHT_CM = 170;
const SCALE_DEPENDENT = ['countermovementDepthM', 'boxHeightM'];

export function athleteOf(row: Pick<MotionAnalysisRow, 'athleteHeightCm'>): AthleteProfile {
  return { heightM: (row.athleteHeightCm ?? DEFAULT_HEIGHT_CM) / 100 };
}

/** How a report (batch or live) ends an analysis: DONE with numbers, or FAILED with the typed reason. */
export function finishedFromReport(
  report: MotionReport,
  row: Pick<MotionAnalysisRow, 'athleteHeightCm'>,
  track: { trackId: number; trackChoice: TrackChoice; candidateTrackIds: number[]; fps: number; frameCount: number },
  events: readonly MotionEventRecord[] = report.events,
): FinishedMotionAnalysis {
  const scaleKnown = row.athleteHeightCm !== null;
  const strip = <T extends Record<string, unknown>>(values: T): T =>
    scaleKnown ? values : (Object.fromEntries(Object.entries(values).map(([k, v]) => [k, SCALE_DEPENDENT.includes(k) ? null : v])) as T);
  const { outcome } = report;
  const base = { ...track, signal: report.signal, phases: [...report.phases], flags: report.flags.length > 0 ? [...report.flags] : null };
  if (outcome.status === 'OK') {
    return {
      ...base,
      status: 'DONE',
      reason: null,
      reasonDetail: null,
      metrics: report.metrics ? strip({ ...report.metrics }) : null,
      events: events.map((e) => ({ ...e, values: strip({ ...e.values }) })),
    };
  }
  const detail =
    outcome.status === 'INSUFFICIENT_FRAME_RATE'
      ? `the video has ${outcome.fps} fps; ${outcome.sport} needs at least ${outcome.minimumFps}`
      : outcome.status === 'IMPLAUSIBLE'
        ? outcome.flags.map((f) => `${f.check}: ${round(f.observed)} ${f.unit} (limit ${f.limit} ${f.unit})`).join('; ')
        : outcome.reason;
  return { ...base, status: 'FAILED', reason: outcome.status, reasonDetail: detail, metrics: null, events: [] };
}

/** An analysis that ended before measuring anything. */
export function failedBefore(reason: MotionFailureReason, detail: string, extra: Partial<FinishedMotionAnalysis> = {}): FinishedMotionAnalysis {
  return {
    status: 'FAILED',
    reason,
    reasonDetail: detail,
    trackId: null,
    trackChoice: null,
    candidateTrackIds: [],
    fps: null,
    frameCount: null,
    metrics: null,
    phases: null,
    flags: null,
    signal: null,
    events: [],
    ...extra,
  };
}

/** The typed reason of an error thrown while reading a source or analysing it. */
export function failureOf(error: unknown): FinishedMotionAnalysis {
  if (error instanceof MotionSourceFailure) return failedBefore('SOURCE_FAILED', error.message);
  if (error instanceof MotionError) {
    const details = error.details as { candidateTrackIds?: number[] };
    if (error.code === MotionErrorCode.NO_PERSON_TRACKED) return failedBefore('NO_PERSON', error.message);
    if (error.code === MotionErrorCode.TRACK_NOT_FOUND) return failedBefore('TRACK_NOT_FOUND', error.message, { candidateTrackIds: details.candidateTrackIds ?? [] });
    if (error.code === MotionErrorCode.INVALID_BATCH_FILE) return failedBefore('SOURCE_FAILED', error.message);
    return failedBefore('INVALID_INPUT', error.message);
  }
  return failedBefore('INTERNAL_ERROR', 'the analysis failed on our side; it was logged');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
