import type { AthleteProfile } from './athlete-calibration';
import type { LiveTrigger } from './live-trigger';
import { sportEntry } from './motion-catalog';
import type { MotionSport } from './motion-analysis';
import { reportMotion, type MotionEventRecord, type MotionReport } from './motion-report';
import type { MotionKeypoint, PoseSeries } from './pose-series';

/** Options of {@link LiveMotionSession}. */
export interface LiveMotionSessionOptions {
  /** Seconds of recent frames each re-analysis reads; default: the sport's catalog entry. */
  readonly windowS?: number;
  /** Frame time between re-analyses, seconds; default: the sport's catalog entry (0.5 s for jumps, 1 s otherwise). */
  readonly analyzeEveryS?: number;
  /** An event ending closer than this to the newest frame may still change; default 0.3 s. */
  readonly settleS?: number;
  /** Frames kept for the final analysis, default 36 000 (10 min at 60 fps). */
  readonly maxFrames?: number;
  /** Re-read at every tick even where the sport has a trigger (tests compare both). */
  readonly ungated?: boolean;
}

/** A live event, its times in ms since the epoch (frame time). */
export interface LiveMotionEvent extends MotionEventRecord {
  readonly startTs: number;
  readonly endTs: number;
}

/**
 * One person's track analysed as it arrives: every `analyzeEveryS` of frame time the last
 * `windowS` (per sport, `SportCatalogEntry.live`) are re-read with the same `reportMotion` a batch analysis uses, and each event
 * (jump, rep, step) that has settled and was not reported before is returned once. Sports that
 * report only their best event (CMJ, drop jump) read from the end of the last reported event,
 * so the next jump is the one found.
 *
 * Where the sport has a cheap per-frame trigger (`SportCatalogEntry.live.trigger`; squats), a
 * tick at which the trigger says no event can have settled is skipped: the reads that do run
 * are the same, at the same ticks, so the events are those of an ungated session.
 *
 * Live frames come at the camera's pace, not on a grid: they are placed on a uniform grid at
 * the median frame interval, missing frames as gaps.
 */
export class LiveMotionSession {
  private readonly frames: { ts: number; keypoints: readonly MotionKeypoint[] | null }[] = [];
  private readonly emitted: LiveMotionEvent[] = [];
  private lastAnalysisTs = Number.NEGATIVE_INFINITY;
  private readonly windowMs: number;
  private readonly everyMs: number;
  private readonly settleMs: number;
  private readonly maxFrames: number;
  private readonly trigger: LiveTrigger | null;

  constructor(
    readonly sport: MotionSport,
    private readonly athlete: AthleteProfile,
    options: LiveMotionSessionOptions = {},
  ) {
    const live = sportEntry(sport).live;
    this.windowMs = (options.windowS ?? live.windowS) * 1000;
    this.everyMs = (options.analyzeEveryS ?? live.everyS) * 1000;
    this.settleMs = (options.settleS ?? 0.3) * 1000;
    this.maxFrames = options.maxFrames ?? 36_000;
    this.trigger = options.ungated || !live.trigger ? null : live.trigger({ everyMs: this.everyMs, settleMs: this.settleMs });
  }

  /** Frames received (with or without the person). */
  get frameCount(): number {
    return this.frames.length;
  }

  /** Frames in which the person was seen. */
  seenFrames = 0;

  /** Re-analyses run, and ticks the trigger skipped. */
  reads = 0;
  skippedReads = 0;

  /** Adds one frame (null: the person was not seen) and returns the events that settled with it. */
  push(ts: number, keypoints: readonly MotionKeypoint[] | null): LiveMotionEvent[] {
    const last = this.frames[this.frames.length - 1];
    if (last && ts <= last.ts) return [];
    this.frames.push({ ts, keypoints });
    if (keypoints) this.seenFrames += 1;
    if (this.frames.length > this.maxFrames) this.frames.shift();
    this.trigger?.observe(ts, keypoints);
    if (ts - this.lastAnalysisTs < this.everyMs) return [];
    this.lastAnalysisTs = ts;
    if (this.trigger && !this.trigger.mayHaveEvent(ts)) {
      this.skippedReads += 1;
      return [];
    }
    this.reads += 1;
    return this.analyzeWindow(ts);
  }

  /** Every event reported so far. */
  events(): readonly LiveMotionEvent[] {
    return this.emitted;
  }

  /** The whole kept recording analysed once more (the analysis's final numbers and plot). */
  finalReport(): { report: MotionReport; series: PoseSeries } | null {
    const first = this.frames[0];
    if (!first) return null;
    const series = this.seriesFrom(first.ts);
    if (series === null) return null;
    return { report: reportMotion(this.sport, series, this.athlete), series };
  }

  private analyzeWindow(now: number): LiveMotionEvent[] {
    const lastEvent = this.emitted[this.emitted.length - 1];
    let from = now - this.windowMs;
    if (sportEntry(this.sport).singleEventPerWindow && lastEvent) from = Math.max(from, lastEvent.endTs + 1);
    const series = this.seriesFrom(from);
    if (series === null || series.frames.length < 3) return [];
    const startTs = this.gridStart;
    let report: MotionReport;
    try {
      report = reportMotion(this.sport, series, this.athlete, false);
    } catch {
      // An fps outside what the analyses accept (a stalled camera): nothing to report yet.
      return [];
    }
    const fresh: LiveMotionEvent[] = [];
    for (const event of report.events) {
      const ev: LiveMotionEvent = { ...event, index: this.emitted.length + fresh.length + 1, startTs: startTs + event.startS * 1000, endTs: startTs + event.endS * 1000 };
      const previous = fresh[fresh.length - 1] ?? lastEvent;
      // Not yet settled, or one already reported (events of one person do not overlap).
      if (ev.endTs > now - this.settleMs) continue;
      if (previous && ev.startTs < previous.endTs - 50) continue;
      fresh.push(ev);
    }
    this.emitted.push(...fresh);
    const latest = fresh[fresh.length - 1];
    if (latest) this.trigger?.reported(latest.endTs);
    return fresh;
  }

  private gridStart = 0;

  /** The kept frames from `fromTs` on a uniform grid, or null without enough frames for a rate. */
  private seriesFrom(fromTs: number): PoseSeries | null {
    const start = this.frames.findIndex((f) => f.ts >= fromTs);
    if (start < 0) return null;
    const slice = this.frames.slice(start);
    if (slice.length < 3) return null;
    const gaps: number[] = [];
    for (let i = Math.max(1, slice.length - 120); i < slice.length; i += 1) gaps.push((slice[i]?.ts ?? 0) - (slice[i - 1]?.ts ?? 0));
    gaps.sort((a, b) => a - b);
    const intervalMs = gaps[Math.floor(gaps.length / 2)] ?? 0;
    if (!(intervalMs > 0)) return null;
    // Rates are quoted to 0.1 fps: a 33.3 ms median reads as 30 fps.
    const fps = Math.round(10_000 / intervalMs) / 10;
    const t0 = slice[0]?.ts ?? 0;
    this.gridStart = t0;
    const n = Math.round(((slice[slice.length - 1]?.ts ?? t0) - t0) / (1000 / fps)) + 1;
    const frames: (readonly MotionKeypoint[] | null)[] = new Array<readonly MotionKeypoint[] | null>(n).fill(null);
    const received = new Uint8Array(n);
    for (const f of slice) {
      const k = Math.round((f.ts - t0) / (1000 / fps));
      if (k >= 0 && k < n) {
        frames[k] = f.keypoints;
        received[k] = 1;
      }
    }
    fillDroppedFrames(frames, received, Math.max(1, Math.round((MAX_FILLED_GAP_MS * fps) / 1000)));
    return { fps, frames };
  }
}

/**
 * Longest run of frames the pipeline dropped (never received, unlike a frame received without
 * the athlete) that is filled by interpolation. A loaded server analyses a random 5-7 of a 10
 * fps webcam's frames: the median interval stays the camera's, and holes on that grid would
 * count as frames without the athlete (fewer than half valid: INSUFFICIENT_KEYPOINTS). A squat
 * or a jump's keypoints move smoothly over 0.3 s; longer holes stay gaps.
 */
const MAX_FILLED_GAP_MS = 300;

/** Fills runs of at most `maxRun` dropped grid frames between two seen frames, linearly per keypoint. */
function fillDroppedFrames(frames: (readonly MotionKeypoint[] | null)[], received: Uint8Array, maxRun: number): void {
  let prev = -1;
  for (let i = 0; i < frames.length; i += 1) {
    if (!received[i]) continue;
    const a = prev >= 0 ? frames[prev] : null;
    const b = frames[i];
    const run = i - prev - 1;
    if (a && b && run > 0 && run <= maxRun && a.length === b.length) {
      for (let k = prev + 1; k < i; k += 1) {
        const w = (k - prev) / (i - prev);
        frames[k] = a.map((p, j) => {
          const q = b[j] ?? p;
          return { x: p.x + w * (q.x - p.x), y: p.y + w * (q.y - p.y), score: Math.min(p.score, q.score) };
        });
      }
    }
    prev = i;
  }
}
