import { ByteTracker, type ByteTrackerOptions, type TrackedObject } from '../mot/byte-tracker';
import { Detections } from '../mot/detections';
import { PoseSmoother, type PoseSmootherOptions } from '../pose/pose-smoother';
import { TrackQualityScorer } from '../pose/track-quality.scorer';

/** A person as the worker reported it (pixels, COCO-17 keypoints). */
export interface DetectedPerson {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  keypoints: readonly { x: number; y: number; score: number }[];
  embedding?: readonly number[];
}

/**
 * What produced a frame's detections (the worker's report): `simulated` ground truth or an
 * `onnx` model, and which models. Carried to every output so nobody mistakes one for the other.
 */
export interface DetectionProvenance {
  backend: 'simulated' | 'onnx';
  model: string;
}

/**
 * A face embedding of a track on one frame, for identity's live matching. Kept apart from
 * {@link TrackedFrame}, which goes to subscribers: a vector never reaches a public result.
 */
export interface TrackFaceEmbedding {
  trackId: number;
  embedding: readonly number[];
}

/** One processed frame of a camera, ready for subscribers. */
export interface TrackedFrame {
  cameraId: string;
  seq: number;
  captureTs: number;
  width: number;
  height: number;
  tracks: FrameTrack[];
  /** Null only for frames fed without one (tests, tools). */
  provenance: DetectionProvenance | null;
}

export interface FrameTrack {
  trackId: number;
  box: { x: number; y: number; width: number; height: number };
  score: number;
  /** Smoothed keypoints (pixels); empty when the detection had none. */
  keypoints: { x: number; y: number; score: number }[];
  /** Running pose quality of the track in [0, 1]. */
  quality: number;
}

/** What remains of a track once the tracker removed it (stored in Postgres). */
export interface TrackSummary {
  cameraId: string;
  trackId: number;
  firstSeenTs: number;
  lastSeenTs: number;
  frames: number;
  /** Distance travelled by the box centre, pixels. */
  pathLengthPx: number;
  meanQuality: number;
  issues: string[];
  /** What produced the track's last detection. */
  provenance: DetectionProvenance | null;
}

interface TrackExtras {
  smoother: PoseSmoother;
  quality: TrackQualityScorer;
  firstSeenTs: number;
  lastSeenTs: number;
  frames: number;
  pathLength: number;
  lastCx: number;
  lastCy: number;
  provenance: DetectionProvenance | null;
}

export interface CameraTrackingSessionOptions {
  tracker?: ByteTrackerOptions;
  smoothing?: PoseSmootherOptions;
}

const KEYPOINTS = 17;

/**
 * Everything that happens to one camera's frames after the control plane releases them in
 * order: the ByteTrack-style tracker, per-track pose smoothing and quality, and summaries of
 * tracks that ended. Pure and synchronous; the server feeds it and publishes what it returns.
 */
export class CameraTrackingSession {
  private readonly extras = new Map<number, TrackExtras>();

  constructor(
    readonly cameraId: string,
    private readonly tracker: ByteTracker,
    private readonly options: CameraTrackingSessionOptions = {},
  ) {}

  static create(cameraId: string, options: CameraTrackingSessionOptions = {}): CameraTrackingSession {
    return new CameraTrackingSession(cameraId, new ByteTracker(options.tracker), options);
  }

  /** The tracker's state, for checkpoints (smoothing state restarts after a restore). */
  snapshot(): unknown {
    return this.tracker.toSnapshot();
  }

  liveTracks(): TrackedObject[] {
    return this.tracker.listTracks();
  }

  /** Ends every live track (the camera stopped): their summaries, and a fresh tracker state. */
  endAll(): TrackSummary[] {
    const ended = [...this.extras.keys()].map((id) => this.summarize(id)).filter((s): s is TrackSummary => s !== null);
    this.tracker.reset();
    return ended;
  }

  /** Runs one frame; returns what subscribers see and the tracks that ended with it. */
  update(frame: {
    seq: number;
    captureTs: number;
    width: number;
    height: number;
    persons: readonly DetectedPerson[];
    provenance?: DetectionProvenance | null;
  }): { frame: TrackedFrame; ended: TrackSummary[]; faces: TrackFaceEmbedding[] } {
    const persons = frame.persons;
    const provenance = frame.provenance ?? null;
    const withKeypoints = persons.every((p) => p.keypoints.length === KEYPOINTS);
    const detections = persons.length === 0
      ? Detections.empty()
      : Detections.create({
          boxes: persons.map((p) => [p.box.x, p.box.y, p.box.x + p.box.width, p.box.y + p.box.height] as [number, number, number, number]),
          scores: persons.map((p) => Math.min(1, Math.max(0, p.score))),
          ...(withKeypoints ? { keypoints: persons.flatMap((p) => p.keypoints.flatMap((k) => [k.x, k.y, k.score])) } : {}),
          ...appearanceOf(persons),
        });
    const update = this.tracker.update(detections);
    const tracks: FrameTrack[] = update.tracks.map((t) => this.describe(t, persons, frame.captureTs, provenance));
    const ended = update.removed.map((id) => this.summarize(id)).filter((x): x is TrackSummary => x !== null);
    const faces: TrackFaceEmbedding[] = [];
    for (const t of update.tracks) {
      const embedding = t.detectionIndex >= 0 ? persons[t.detectionIndex]?.embedding : undefined;
      if (embedding && embedding.length > 0) faces.push({ trackId: t.trackId, embedding });
    }
    return {
      frame: { cameraId: this.cameraId, seq: frame.seq, captureTs: frame.captureTs, width: frame.width, height: frame.height, tracks, provenance },
      ended,
      faces,
    };
  }

  private summarize(id: number): TrackSummary | null {
    const extra = this.extras.get(id);
    this.extras.delete(id);
    if (!extra || extra.frames === 0) return null;
    const quality = extra.quality.score();
    return {
      cameraId: this.cameraId,
      trackId: id,
      firstSeenTs: extra.firstSeenTs,
      lastSeenTs: extra.lastSeenTs,
      frames: extra.frames,
      pathLengthPx: extra.pathLength,
      meanQuality: quality.score,
      issues: quality.issues,
      provenance: extra.provenance,
    };
  }

  private describe(track: TrackedObject, persons: readonly DetectedPerson[], ts: number, provenance: DetectionProvenance | null): FrameTrack {
    const [x1, y1, x2, y2] = track.box;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    let extra = this.extras.get(track.trackId);
    if (!extra) {
      extra = {
        smoother: new PoseSmoother(this.options.smoothing),
        quality: new TrackQualityScorer(),
        firstSeenTs: ts,
        lastSeenTs: ts,
        frames: 0,
        pathLength: 0,
        lastCx: cx,
        lastCy: cy,
        provenance,
      };
      this.extras.set(track.trackId, extra);
    }
    if (provenance) extra.provenance = provenance;
    extra.pathLength += Math.hypot(cx - extra.lastCx, cy - extra.lastCy);
    extra.lastCx = cx;
    extra.lastCy = cy;
    extra.lastSeenTs = ts;
    extra.frames += 1;
    const person = track.detectionIndex >= 0 ? persons[track.detectionIndex] : undefined;
    let keypoints: FrameTrack['keypoints'] = [];
    if (person && person.keypoints.length === KEYPOINTS) {
      const raw = person.keypoints.flatMap((k) => [k.x, k.y, k.score]);
      const smoothed = extra.smoother.smooth(raw, ts).keypoints;
      keypoints = Array.from({ length: KEYPOINTS }, (_, i) => ({ x: smoothed[3 * i]!, y: smoothed[3 * i + 1]!, score: smoothed[3 * i + 2]! }));
      extra.quality.observe(y2 - y1, smoothed);
    } else {
      extra.quality.observe(y2 - y1, undefined);
    }
    return { trackId: track.trackId, box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score: track.score, keypoints, quality: extra.quality.score().score };
  }
}

/**
 * The tracker's appearance cue: face embeddings, when every person of the frame has one of the
 * same length (the tracker takes one row per detection). A frame where some faces were not
 * seen (turned away, too small) is tracked on motion and pose alone.
 */
function appearanceOf(persons: readonly DetectedPerson[]): { embeddings?: number[]; embeddingDim?: number } {
  const dim = persons[0]?.embedding?.length ?? 0;
  if (dim === 0 || !persons.every((p) => p.embedding?.length === dim)) return {};
  return { embeddings: persons.flatMap((p) => p.embedding as number[]), embeddingDim: dim };
}
