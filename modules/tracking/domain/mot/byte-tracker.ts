import { z } from 'zod';
import { Detections, iouXyxyAt } from './detections';
import { KalmanBoxFilter, stateToXyxy, xyxyToCxcyah, type KalmanBoxState } from './kalman-box.filter';
import { solveLinearAssignment } from './linear-assignment';
import { MotError, MotErrorCode } from './mot.error';

/** Lifecycle of a track. */
export enum TrackState {
  /** Seen fewer than `minHitsToConfirm` consecutive frames; dropped on its first miss. */
  Tentative = 'tentative',
  /** Matched recently; reported in {@link ByteTracker.update}'s output. */
  Confirmed = 'confirmed',
  /** Unmatched for up to `lostTrackBuffer` frames; still predicted and matchable. */
  Lost = 'lost',
  /** Gone for good; reported once in {@link TrackerUpdate.removed}. */
  Removed = 'removed',
}

/** Options of {@link ByteTracker}. Defaults follow ByteTrack's MOT17 settings. */
export interface ByteTrackerOptions {
  /**
   * Detections scoring at least this enter the first association stage. Default 0.5. Higher
   * means fewer false tracks but more reliance on the second stage during occlusions.
   */
  readonly highThreshold?: number;
  /**
   * Detections in `[lowThreshold, highThreshold)` may only extend already confirmed tracks
   * (second stage: the ByteTrack idea that occluded people still give low-score boxes).
   * Default 0.1. Set equal to `highThreshold` to disable the second stage.
   */
  readonly lowThreshold?: number;
  /** An unmatched high detection starts a track only when scoring at least this. Default 0.6. */
  readonly newTrackThreshold?: number;
  /** Cost gate (1 - similarity) of the first stage. Default 0.8, i.e. IoU >= 0.2. */
  readonly firstStageMaxCost?: number;
  /** Cost gate of the second (low score) stage. Default 0.5, i.e. IoU >= 0.5. */
  readonly secondStageMaxCost?: number;
  /** Cost gate between tentative tracks and remaining high detections. Default 0.7. */
  readonly tentativeMaxCost?: number;
  /**
   * Frames a lost track is kept (predicted, matchable) before removal. Default 30 (1 s at
   * 30 fps). Larger values bridge longer occlusions at the price of more wrong
   * re-associations when people leave and others enter.
   */
  readonly lostTrackBuffer?: number;
  /** Consecutive matched frames before a track is confirmed and reported. Default 2. */
  readonly minHitsToConfirm?: number;
  /**
   * Let low-score detections also revive lost tracks in the second stage (original ByteTrack
   * only extends tracks that were tracked in the previous frame). Default true: a single
   * missed frame just before a partial occlusion otherwise loses the track for the whole
   * occlusion. The stage's IoU gate against the predicted box keeps false revivals rare.
   */
  readonly secondStageIncludesLost?: boolean;
  /** Multiply IoU similarity by detection score in the first stage (ByteTrack `fuse_score`). Default true. */
  readonly fuseScore?: boolean;
  /**
   * Weight of the keypoint term (1 - OKS) relative to the IoU term (weight 1). Default 0
   * (off). Helps in crowds where boxes overlap but poses differ; needs keypoints.
   */
  readonly oksWeight?: number;
  /** Weight of the appearance term (cosine distance of embeddings). Default 0 (off). */
  readonly appearanceWeight?: number;
  /** EMA momentum of a track's appearance embedding. Default 0.9 (slow, robust to one bad crop). */
  readonly embeddingMomentum?: number;
  /** Keypoints below this score are ignored by OKS. Default 0.3. */
  readonly keypointThreshold?: number;
  /** Per-keypoint OKS sigmas; default the 17 COCO sigmas. */
  readonly oksSigmas?: readonly number[];
}

/** COCO keypoint sigmas used by OKS. */
export const COCO_OKS_SIGMAS: readonly number[] = [
  0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062, 0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089,
];

/** A track as reported to callers. */
export interface TrackedObject {
  readonly trackId: number;
  readonly state: TrackState;
  /** Kalman-filtered box `[x1, y1, x2, y2]`. */
  readonly box: readonly [number, number, number, number];
  /** Score of the last matched detection. */
  readonly score: number;
  /** Index into this frame's detections, or -1 when not matched this frame. */
  readonly detectionIndex: number;
  readonly startFrame: number;
  readonly lastFrame: number;
}

/** What one {@link ByteTracker.update} produced. */
export interface TrackerUpdate {
  /** Frame index of this update (1-based, counts calls). */
  readonly frame: number;
  /** Confirmed tracks matched in this frame. */
  readonly tracks: TrackedObject[];
  /** Ids of tracks removed in this frame. */
  readonly removed: number[];
}

interface TrackRecord {
  id: number;
  state: TrackState;
  kf: KalmanBoxState;
  score: number;
  hits: number;
  startFrame: number;
  lastFrame: number;
  lastCx: number;
  lastCy: number;
  keypoints: Float64Array | undefined;
  embedding: Float64Array | undefined;
  detectionIndex: number;
}

const trackSnapshotSchema = z.object({
  id: z.number().int().positive(),
  state: z.enum([TrackState.Tentative, TrackState.Confirmed, TrackState.Lost]),
  mean: z.array(z.number()).length(8),
  cov: z.array(z.number()).length(12),
  score: z.number(),
  hits: z.number().int().nonnegative(),
  startFrame: z.number().int(),
  lastFrame: z.number().int(),
  lastCx: z.number(),
  lastCy: z.number(),
  keypoints: z.array(z.number()).optional(),
  embedding: z.array(z.number()).optional(),
});

const trackerSnapshotSchema = z.object({
  version: z.literal(1),
  frame: z.number().int().nonnegative(),
  nextId: z.number().int().positive(),
  tracks: z.array(trackSnapshotSchema),
});

/** JSON-safe state of a {@link ByteTracker}; options are not part of it. */
export type TrackerSnapshot = z.infer<typeof trackerSnapshotSchema>;

/**
 * ByteTrack-style multi-object tracker: Kalman prediction, two-stage association (high-score
 * detections against all live tracks, then low-score ones against still unmatched confirmed
 * tracks), optimal assignment, tentative / confirmed / lost / removed lifecycle. One instance
 * per camera; `update` once per processed frame, in order. No I/O, no clock: time is frames.
 */
export class ByteTracker {
  private readonly opts: Required<ByteTrackerOptions>;
  private readonly kalman = new KalmanBoxFilter();
  private tracks: TrackRecord[] = [];
  private frame = 0;
  private nextId = 1;

  constructor(options: ByteTrackerOptions = {}) {
    this.opts = {
      highThreshold: options.highThreshold ?? 0.5,
      lowThreshold: options.lowThreshold ?? 0.1,
      newTrackThreshold: options.newTrackThreshold ?? 0.6,
      firstStageMaxCost: options.firstStageMaxCost ?? 0.8,
      secondStageMaxCost: options.secondStageMaxCost ?? 0.5,
      tentativeMaxCost: options.tentativeMaxCost ?? 0.7,
      lostTrackBuffer: options.lostTrackBuffer ?? 30,
      minHitsToConfirm: options.minHitsToConfirm ?? 2,
      secondStageIncludesLost: options.secondStageIncludesLost ?? true,
      fuseScore: options.fuseScore ?? true,
      oksWeight: options.oksWeight ?? 0,
      appearanceWeight: options.appearanceWeight ?? 0,
      embeddingMomentum: options.embeddingMomentum ?? 0.9,
      keypointThreshold: options.keypointThreshold ?? 0.3,
      oksSigmas: options.oksSigmas ?? COCO_OKS_SIGMAS,
    };
    const o = this.opts;
    if (!(o.lowThreshold <= o.highThreshold) || o.lostTrackBuffer < 0 || o.minHitsToConfirm < 1 || o.oksWeight < 0 || o.appearanceWeight < 0) {
      throw new MotError(MotErrorCode.INVALID_OPTIONS, 'expected lowThreshold <= highThreshold, lostTrackBuffer >= 0, minHitsToConfirm >= 1, non-negative weights', { ...o });
    }
  }

  /** Restores a tracker from {@link toSnapshot} output. Throws `INVALID_SNAPSHOT`. */
  static fromSnapshot(snapshot: unknown, options: ByteTrackerOptions = {}): ByteTracker {
    const parsed = trackerSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new MotError(MotErrorCode.INVALID_SNAPSHOT, `tracker snapshot to match version 1, but: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const tracker = new ByteTracker(options);
    tracker.frame = parsed.data.frame;
    tracker.nextId = parsed.data.nextId;
    tracker.tracks = parsed.data.tracks.map((t) => ({
      id: t.id,
      state: t.state,
      kf: { mean: Float64Array.from(t.mean), cov: Float64Array.from(t.cov) },
      score: t.score,
      hits: t.hits,
      startFrame: t.startFrame,
      lastFrame: t.lastFrame,
      lastCx: t.lastCx,
      lastCy: t.lastCy,
      keypoints: t.keypoints ? Float64Array.from(t.keypoints) : undefined,
      embedding: t.embedding ? Float64Array.from(t.embedding) : undefined,
      detectionIndex: -1,
    }));
    return tracker;
  }

  /** A JSON-safe copy of the whole state (frame counter, id counter, live tracks). */
  toSnapshot(): TrackerSnapshot {
    return {
      version: 1,
      frame: this.frame,
      nextId: this.nextId,
      tracks: this.tracks.map((t) => ({
        id: t.id,
        state: t.state as TrackState.Tentative | TrackState.Confirmed | TrackState.Lost,
        mean: Array.from(t.kf.mean),
        cov: Array.from(t.kf.cov),
        score: t.score,
        hits: t.hits,
        startFrame: t.startFrame,
        lastFrame: t.lastFrame,
        lastCx: t.lastCx,
        lastCy: t.lastCy,
        ...(t.keypoints ? { keypoints: Array.from(t.keypoints) } : {}),
        ...(t.embedding ? { embedding: Array.from(t.embedding) } : {}),
      })),
    };
  }

  /** Forgets all tracks; ids restart at 1. */
  reset(): void {
    this.tracks = [];
    this.frame = 0;
    this.nextId = 1;
  }

  /** Frames processed so far. */
  get frameCount(): number {
    return this.frame;
  }

  /** Live tracks (optionally of one state), with their current (predicted) boxes. */
  listTracks(state?: TrackState): TrackedObject[] {
    return this.tracks.filter((t) => state === undefined || t.state === state).map((t) => this.report(t));
  }

  /** Advances one frame with this frame's detections. */
  update(detections: Detections): TrackerUpdate {
    const o = this.opts;
    this.frame++;
    for (const t of this.tracks) {
      this.kalman.predict(t.kf);
      t.detectionIndex = -1;
    }

    const high: number[] = [];
    const low: number[] = [];
    for (let i = 0; i < detections.length; i++) {
      const s = detections.scores[i]!;
      if (s >= o.highThreshold) high.push(i);
      else if (s >= o.lowThreshold) low.push(i);
    }

    const confirmedPool = this.tracks.filter((t) => t.state === TrackState.Confirmed || t.state === TrackState.Lost);
    const tentative = this.tracks.filter((t) => t.state === TrackState.Tentative);

    // Stage 1: high-score detections against confirmed and lost tracks.
    const first = this.associate(confirmedPool, high, detections, o.firstStageMaxCost, o.fuseScore);
    for (const [t, d] of first.pairs) this.applyMatch(t, d, detections);

    // Stage 2: low-score detections against the tracks stage 1 left (tracked last frame, and
    // lost ones unless disabled).
    const secondPool = first.unmatchedTracks.filter((t) => t.state === TrackState.Confirmed || o.secondStageIncludesLost);
    const second = this.associate(secondPool, low, detections, o.secondStageMaxCost, false);
    for (const [t, d] of second.pairs) this.applyMatch(t, d, detections);
    for (const t of first.unmatchedTracks) if (t.lastFrame !== this.frame) t.state = TrackState.Lost;

    // Tentative tracks get one chance with what is left of the high detections.
    const third = this.associate(tentative, first.unmatchedDetections, detections, o.tentativeMaxCost, o.fuseScore);
    for (const [t, d] of third.pairs) this.applyMatch(t, d, detections);
    for (const t of third.unmatchedTracks) t.state = TrackState.Removed;

    for (const d of third.unmatchedDetections) {
      if (detections.scores[d]! >= o.newTrackThreshold) this.startTrack(d, detections);
    }

    const removed: number[] = [];
    for (const t of this.tracks) {
      if (t.state === TrackState.Lost && this.frame - t.lastFrame > o.lostTrackBuffer) t.state = TrackState.Removed;
      if (t.state === TrackState.Removed) removed.push(t.id);
    }
    if (removed.length > 0) this.tracks = this.tracks.filter((t) => t.state !== TrackState.Removed);

    const tracks: TrackedObject[] = [];
    for (const t of this.tracks) {
      if (t.state === TrackState.Confirmed && t.lastFrame === this.frame) tracks.push(this.report(t));
    }
    return { frame: this.frame, tracks, removed };
  }

  private report(t: TrackRecord): TrackedObject {
    const box = new Float64Array(4);
    stateToXyxy(t.kf, box, 0);
    return {
      trackId: t.id,
      state: t.state,
      box: [box[0]!, box[1]!, box[2]!, box[3]!],
      score: t.score,
      detectionIndex: t.detectionIndex,
      startFrame: t.startFrame,
      lastFrame: t.lastFrame,
    };
  }

  private startTrack(d: number, detections: Detections): void {
    const [x1, y1, x2, y2] = detections.box(d);
    const [cx, cy, a, h] = xyxyToCxcyah(x1, y1, x2, y2);
    const track: TrackRecord = {
      id: this.nextId++,
      state: this.opts.minHitsToConfirm <= 1 ? TrackState.Confirmed : TrackState.Tentative,
      kf: this.kalman.initiate(cx, cy, a, h),
      score: detections.scores[d]!,
      hits: 1,
      startFrame: this.frame,
      lastFrame: this.frame,
      lastCx: cx,
      lastCy: cy,
      keypoints: undefined,
      embedding: undefined,
      detectionIndex: d,
    };
    this.absorbFeatures(track, d, detections);
    this.tracks.push(track);
  }

  private applyMatch(t: TrackRecord, d: number, detections: Detections): void {
    const [x1, y1, x2, y2] = detections.box(d);
    const [cx, cy, a, h] = xyxyToCxcyah(x1, y1, x2, y2);
    this.kalman.update(t.kf, cx, cy, a, h);
    t.hits = t.state === TrackState.Lost ? 1 : t.hits + 1;
    if (t.state === TrackState.Lost) t.state = TrackState.Confirmed;
    else if (t.state === TrackState.Tentative && t.hits >= this.opts.minHitsToConfirm) t.state = TrackState.Confirmed;
    t.score = detections.scores[d]!;
    t.lastFrame = this.frame;
    t.lastCx = t.kf.mean[0]!;
    t.lastCy = t.kf.mean[1]!;
    t.detectionIndex = d;
    this.absorbFeatures(t, d, detections);
  }

  private absorbFeatures(t: TrackRecord, d: number, detections: Detections): void {
    const kps = detections.keypointsOf(d);
    if (kps) t.keypoints = Float64Array.from(kps);
    const emb = detections.embeddingOf(d);
    if (emb && emb.length > 0) {
      const unit = normalized(emb);
      if (!t.embedding || t.embedding.length !== unit.length) t.embedding = unit;
      else {
        const m = this.opts.embeddingMomentum;
        for (let k = 0; k < unit.length; k++) t.embedding[k] = m * t.embedding[k]! + (1 - m) * unit[k]!;
        t.embedding = normalized(t.embedding);
      }
    }
  }

  private associate(
    tracks: TrackRecord[],
    detIdx: number[],
    detections: Detections,
    maxCost: number,
    fuseScore: boolean,
  ): { pairs: Array<[TrackRecord, number]>; unmatchedTracks: TrackRecord[]; unmatchedDetections: number[] } {
    const nt = tracks.length;
    const nd = detIdx.length;
    if (nt === 0 || nd === 0) return { pairs: [], unmatchedTracks: tracks, unmatchedDetections: detIdx };
    const predicted = new Float64Array(4 * nt);
    tracks.forEach((t, i) => stateToXyxy(t.kf, predicted, 4 * i));
    const cost = new Float64Array(nt * nd);
    const o = this.opts;
    for (let i = 0; i < nt; i++) {
      const t = tracks[i]!;
      for (let j = 0; j < nd; j++) {
        const d = detIdx[j]!;
        const iou = iouXyxyAt(predicted, 4 * i, detections.boxes, 4 * d);
        if (iou <= 0) {
          cost[i * nd + j] = Infinity;
          continue;
        }
        const sim = fuseScore ? iou * detections.scores[d]! : iou;
        let weighted = 1 - sim;
        let weights = 1;
        if (o.oksWeight > 0 && t.keypoints) {
          const kps = detections.keypointsOf(d);
          const oks = kps ? this.oks(t, predicted, 4 * i, kps) : undefined;
          if (oks !== undefined) {
            weighted += o.oksWeight * (1 - oks);
            weights += o.oksWeight;
          }
        }
        if (o.appearanceWeight > 0 && t.embedding) {
          const emb = detections.embeddingOf(d);
          if (emb && emb.length === t.embedding.length) {
            weighted += o.appearanceWeight * cosineDistance(t.embedding, emb);
            weights += o.appearanceWeight;
          }
        }
        cost[i * nd + j] = weighted / weights;
      }
    }
    const assignment = solveLinearAssignment({ rows: nt, cols: nd, data: cost }, { maxCost });
    const pairs: Array<[TrackRecord, number]> = assignment.pairs.map(([i, j]) => [tracks[i]!, detIdx[j]!]);
    const unmatchedTracks = tracks.filter((_, i) => assignment.rowToCol[i] === -1);
    const unmatchedDetections = detIdx.filter((_, j) => assignment.colToRow[j] === -1);
    return { pairs, unmatchedTracks, unmatchedDetections };
  }

  /** OKS between the track's last keypoints (moved with its predicted centre) and a detection's. */
  private oks(t: TrackRecord, boxes: Float64Array, offset: number, kps: Float64Array): number | undefined {
    const tk = t.keypoints!;
    const sigmas = this.opts.oksSigmas;
    const count = Math.min(tk.length, kps.length) / 3;
    const dx = t.kf.mean[0]! - t.lastCx;
    const dy = t.kf.mean[1]! - t.lastCy;
    const area = (boxes[offset + 2]! - boxes[offset]!) * (boxes[offset + 3]! - boxes[offset + 1]!);
    if (area <= 0) return undefined;
    let sum = 0;
    let n = 0;
    for (let k = 0; k < count; k++) {
      if (tk[3 * k + 2]! < this.opts.keypointThreshold || kps[3 * k + 2]! < this.opts.keypointThreshold) continue;
      const ex = tk[3 * k]! + dx - kps[3 * k]!;
      const ey = tk[3 * k + 1]! + dy - kps[3 * k + 1]!;
      const kappa = 2 * (sigmas[k] ?? 0.07);
      sum += Math.exp(-(ex * ex + ey * ey) / (2 * area * kappa * kappa));
      n++;
    }
    return n > 0 ? sum / n : undefined;
  }
}

function normalized(v: ArrayLike<number>): Float64Array {
  let norm = 0;
  for (let k = 0; k < v.length; k++) norm += v[k]! * v[k]!;
  norm = Math.sqrt(norm) || 1;
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = v[k]! / norm;
  return out;
}

/** `1 - cos` clamped to [0, 1]; `a` must be unit length. */
function cosineDistance(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k]! * b[k]!;
    nb += b[k]! * b[k]!;
  }
  const cos = nb > 0 ? dot / Math.sqrt(nb) : 0;
  return Math.min(1, Math.max(0, 1 - cos));
}
