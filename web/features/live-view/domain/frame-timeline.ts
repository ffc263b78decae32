/**
 * Keeps the two latest frame results and answers "what to draw now": results arrive slower
 * than the screen refreshes, so the view plays the step from the previous result to the latest
 * one over the interval at which they arrived, one interval behind real time.
 */
import type { Box, FrameResult, Keypoint, TrackResult } from './frame-result';

/** Options of {@link FrameTimeline}. */
export interface FrameTimelineOptions {
  /**
   * Keypoints scoring below this are not interpolated toward or drawn. Default 0.3: lower
   * shows more joints and more jitter from guesses.
   */
  readonly minKeypointScore?: number;
  /**
   * After this long without a result the view counts as stale. Default 2000 ms.
   */
  readonly staleAfterMs?: number;
  /**
   * Cap on the interpolation interval. Default 1000 ms: after a gap longer than this the view
   * snaps to the latest result instead of drifting slowly toward it.
   */
  readonly maxIntervalMs?: number;
}

/** What the timeline says to draw at one instant. */
export interface TimelineSample {
  readonly result: FrameResult;
  /** Tracks blended between the previous and the latest result. */
  readonly tracks: readonly TrackResult[];
  /** 0 = previous result, 1 = latest result. */
  readonly alpha: number;
  readonly stale: boolean;
}

interface Arrival {
  readonly result: FrameResult;
  readonly at: number;
}

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

function lerpBox(a: Box, b: Box, t: number): Box {
  return { x: lerp(a.x, b.x, t), y: lerp(a.y, b.y, t), width: lerp(a.width, b.width, t), height: lerp(a.height, b.height, t) };
}

function lerpKeypoints(a: readonly Keypoint[], b: readonly Keypoint[], t: number, minScore: number): Keypoint[] {
  return b.map((kb, i) => {
    const ka = a[i];
    if (!ka || ka.score < minScore || kb.score < minScore) return kb;
    return { x: lerp(ka.x, kb.x, t), y: lerp(ka.y, kb.y, t), score: lerp(ka.score, kb.score, t) };
  });
}

/** Blends tracks of `previous` toward `latest` by `alpha`, matching by track id. */
export function interpolateTracks(
  previous: readonly TrackResult[], latest: readonly TrackResult[], alpha: number, minKeypointScore = 0.3,
): TrackResult[] {
  if (alpha >= 1) return [...latest];
  const before = new Map(previous.map((t) => [t.trackId, t]));
  return latest.map((track) => {
    const from = before.get(track.trackId);
    if (!from) return track;
    return {
      trackId: track.trackId,
      quality: track.quality,
      box: lerpBox(from.box, track.box, alpha),
      keypoints: lerpKeypoints(from.keypoints, track.keypoints, alpha, minKeypointScore),
    };
  });
}

export class FrameTimeline {
  private previous: Arrival | null = null;
  private latest: Arrival | null = null;
  private received = 0;
  readonly minKeypointScore: number;
  private readonly staleAfterMs: number;
  private readonly maxIntervalMs: number;

  constructor(options: FrameTimelineOptions = {}) {
    this.minKeypointScore = options.minKeypointScore ?? 0.3;
    this.staleAfterMs = options.staleAfterMs ?? 2000;
    this.maxIntervalMs = options.maxIntervalMs ?? 1000;
  }

  /** Adds a result that arrived at `at` (ms, monotonic). Older or repeated sequences are ignored. */
  push(result: FrameResult, at: number): boolean {
    if (this.latest && result.seq <= this.latest.result.seq) return false;
    this.previous = this.latest;
    this.latest = { result, at };
    this.received += 1;
    return true;
  }

  /** Results accepted so far. */
  get resultsReceived(): number {
    return this.received;
  }

  get latestResult(): FrameResult | null {
    return this.latest?.result ?? null;
  }

  /** What to draw at `now` (same clock as `push`); null before the first result. */
  sample(now: number): TimelineSample | null {
    const latest = this.latest;
    if (!latest) return null;
    const stale = now - latest.at > this.staleAfterMs;
    const previous = this.previous;
    if (!previous) return { result: latest.result, tracks: latest.result.tracks, alpha: 1, stale };
    const interval = latest.at - previous.at;
    const alpha = interval <= 0 || interval > this.maxIntervalMs
      ? 1
      : Math.min(1, Math.max(0, (now - latest.at) / interval));
    return {
      result: latest.result,
      tracks: interpolateTracks(previous.result.tracks, latest.result.tracks, alpha, this.minKeypointScore),
      alpha,
      stale,
    };
  }

  reset(): void {
    this.previous = null;
    this.latest = null;
    this.received = 0;
  }
}
