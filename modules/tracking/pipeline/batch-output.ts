import { COCO_17 } from '../domain/pose/keypoint-layout';
import type { DetectionProvenance, TrackSummary } from '../domain/session';

/**
 * The batch output format (docs/batch-output.md): JSON lines, gzip-compressed. Version 2 adds
 * `format`/`version`, keypoint names, the creation time and the time base to the header, uses
 * video time (ms from the start of the video) for every timestamp, and ends with a summary line.
 */
export const BATCH_OUTPUT_FORMAT = 'trinetra.batch-output';
export const BATCH_OUTPUT_VERSION = 2;

/** A track lasting less than this many frames is counted in `tracks` but not in `peopleSeen` (flicker). */
export const MIN_FRAMES_FOR_A_PERSON = 5;

export interface BatchOutputHeader {
  type: 'header';
  format: typeof BATCH_OUTPUT_FORMAT;
  version: typeof BATCH_OUTPUT_VERSION;
  createdAt: string;
  /** The video's file name (no directories). */
  source: string;
  perception: string;
  backend: DetectionProvenance['backend'] | null;
  model: string | null;
  keypointLayout: string;
  keypoints: readonly string[];
  width: number | null;
  height: number | null;
  fps: number | null;
  durationMs: number | null;
  /** Every `*Ms` field is milliseconds of video time from the first frame's presentation time. */
  timebase: 'video_ms';
}

export function batchOutputHeader(input: {
  source: string;
  perception: string;
  provenance: DetectionProvenance | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  durationMs: number | null;
  createdAt: Date;
}): BatchOutputHeader {
  return {
    type: 'header',
    format: BATCH_OUTPUT_FORMAT,
    version: BATCH_OUTPUT_VERSION,
    createdAt: input.createdAt.toISOString(),
    source: input.source,
    perception: input.perception,
    backend: input.provenance?.backend ?? null,
    model: input.provenance?.model ?? null,
    keypointLayout: COCO_17.name,
    keypoints: COCO_17.joints,
    width: input.width,
    height: input.height,
    fps: input.fps,
    durationMs: input.durationMs,
    timebase: 'video_ms',
  };
}

/** A track line: the session's summary with its first/last times in video ms. */
export function batchTrackLine(track: TrackSummary): Record<string, unknown> {
  const { firstSeenTs, lastSeenTs, cameraId: _camera, ...rest } = track;
  return { type: 'track', ...rest, firstSeenMs: firstSeenTs, lastSeenMs: lastSeenTs };
}

export interface BatchOutputSummary {
  type: 'summary';
  /** Frames with a line (tracked or dropped). */
  frames: number;
  framesDropped: number;
  /** Frames in which the detector found at least one person. */
  framesWithPeople: number;
  /** Tracks of at least {@link MIN_FRAMES_FOR_A_PERSON} frames: people, flicker excluded. */
  peopleSeen: number;
  /** Every track, short ones included. */
  tracks: number;
  /** Most tracks shown on one frame. */
  maxPeopleInFrame: number;
  /** Frame-weighted mean quality of the tracks, 0..1 (0 without tracks). */
  meanQuality: number;
  /** Video time of the last frame, ms. */
  lastFrameMs: number | null;
  warnings: string[];
}

/** Counts kept while a video is processed, turned into the summary line at the end. */
export class BatchOutputTally {
  frames = 0;
  framesDropped = 0;
  framesWithPeople = 0;
  maxPeopleInFrame = 0;
  lastFrameMs: number | null = null;

  /** `detections`: people the detector found; `tracked`: tracks the frame shows (duplicates merged). */
  frame(detections: number, tracked: number, videoMs: number | null): void {
    this.frames += 1;
    if (detections > 0) this.framesWithPeople += 1;
    this.maxPeopleInFrame = Math.max(this.maxPeopleInFrame, tracked);
    if (videoMs !== null) this.lastFrameMs = Math.max(this.lastFrameMs ?? videoMs, videoMs);
  }

  dropped(videoMs: number | null): void {
    this.frames += 1;
    this.framesDropped += 1;
    if (videoMs !== null) this.lastFrameMs = Math.max(this.lastFrameMs ?? videoMs, videoMs);
  }

  summary(tracks: readonly TrackSummary[]): BatchOutputSummary {
    const trackFrames = tracks.reduce((sum, t) => sum + t.frames, 0);
    const meanQuality = trackFrames > 0 ? tracks.reduce((sum, t) => sum + t.meanQuality * t.frames, 0) / trackFrames : 0;
    // Frames were looked at and nobody was found: worth a warning, not a silent "done".
    const warnings = this.frames - this.framesDropped > 0 && this.framesWithPeople === 0 ? ['NO_DETECTIONS'] : [];
    return {
      type: 'summary',
      frames: this.frames,
      framesDropped: this.framesDropped,
      framesWithPeople: this.framesWithPeople,
      peopleSeen: tracks.filter((t) => t.frames >= MIN_FRAMES_FOR_A_PERSON).length,
      tracks: tracks.length,
      maxPeopleInFrame: this.maxPeopleInFrame,
      meanQuality,
      lastFrameMs: this.lastFrameMs,
      warnings,
    };
  }
}
