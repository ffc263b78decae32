import type { MotionKeypoint } from './pose-series';

/**
 * A cheap per-frame check that lets a live session skip re-analyses that cannot find a new
 * settled event (an idle stretch, the middle of a descent). It only gates when the full
 * analysis runs, never what it finds: the analysis that does run is the same `reportMotion` over
 * the same window, so a trigger must err on the side of firing (a needless re-read costs time,
 * a missed one would delay or lose an event).
 */
export interface LiveTrigger {
  /** Sees one frame (null: the person was not seen). */
  observe(ts: number, keypoints: readonly MotionKeypoint[] | null): void;
  /** Whether a re-analysis at frame time `ts` may find an event that settled since the last one. */
  mayHaveEvent(ts: number): boolean;
  /** An event ending at frame time `endTs` was reported: what armed the trigger before it is spent. */
  reported(endTs: number): void;
}

/** What a trigger needs to know of its session to stay armed long enough. */
export interface LiveTriggerTiming {
  /** Frame time between re-analyses, ms. */
  readonly everyMs: number;
  /** An event ending closer than this to the newest frame is not reported yet, ms. */
  readonly settleMs: number;
}

export type LiveTriggerFactory = (timing: LiveTriggerTiming) => LiveTrigger;
