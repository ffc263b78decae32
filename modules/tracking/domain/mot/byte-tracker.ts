import { z } from 'zod';
import { Detections, iouXyxyAt } from './detections';
import { KalmanBoxFilter, stateToXyxy, xyxyToCxcyah, type KalmanBoxOptions, type KalmanBoxState } from './kalman-box.filter';
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
  /**
   * Weight of the appearance term (cosine distance of a track's embedding EMA and the
   * detection's `embeddings` row) relative to the IoU term. Default 1: it only acts when the
   * detections carry embeddings, and only where motion is ambiguous (see
   * {@link cueAmbiguityMargin}). 0 disables.
   */
  readonly appearanceWeight?: number;
  /** EMA momentum of a track's appearance embedding. Default 0.9 (slow, robust to one bad crop). */
  readonly embeddingMomentum?: number;
  /** Keypoints below this score are ignored by OKS. Default 0.3. */
  readonly keypointThreshold?: number;
  /** Per-keypoint OKS sigmas; default the 17 COCO sigmas. */
  readonly oksSigmas?: readonly number[];
  /**
   * Observation-centric re-update (OC-SORT "ORU"). While a track is unmatched its Kalman state
   * only predicts, and its velocity drifts with whatever it had when it vanished. When it is
   * re-found after a gap of g frames, its state is rewound to the last real observation and
   * replayed over the gap with virtual observations interpolated between the last and the new
   * box, so the velocity afterwards reflects the actual displacement across the occlusion.
   * Default false: on the `eval:tracking` benchmark (fixed cameras, short random gaps) it is
   * neutral to slightly negative, since a one-frame gap leaves little drift to correct; it pays
   * off for long occlusions of people who turn while hidden. Costs g predict/update steps per
   * re-find after a gap of g frames, nothing otherwise.
   */
  readonly observationCentricReupdate?: boolean;
  /**
   * Weight of the velocity-direction consistency term (OC-SORT "OCM"). For a moving track, the
   * direction from its observation `directionDeltaFrames` ago to a candidate detection is
   * compared with the direction the track has been moving (observed, not predicted); a
   * candidate straight ahead gains up to `weight / 2` similarity, one behind loses as much
   * (scaled by the detection score). Separates two people whose boxes overlap while they walk
   * in different directions. The gates are applied before this term, so it only chooses among
   * candidates motion allows. Default 0 (off): with box jitter of a few percent of the height
   * and pedestrians moving a few pixels a frame, the observed direction over a few frames is
   * mostly noise, and on `eval:tracking` OC-SORT's 0.2 costs IDF1. Worth it for fast movers
   * (e.g. 0.2 with `directionDeltaFrames` 3 on vehicles or runners).
   */
  readonly directionConsistencyWeight?: number;
  /**
   * Frames between the two observations that define a track's direction for
   * {@link directionConsistencyWeight}. Default 3: longer averages out box jitter, shorter
   * follows turns.
   */
  readonly directionDeltaFrames?: number;
  /**
   * Last-observation recovery (OC-SORT "OCR"): after the two score stages, tracks still
   * unmatched are compared with the high detections still unmatched by IoU against the
   * track's last observed box instead of its predicted one. Recovers people who stopped
   * behind an occluder while their prediction walked on. The motion gate applies around the
   * state at that observation. Default false: on `eval:tracking` it re-attaches lost tracks to
   * nearby newcomers and false boxes more often than it recovers real stops (IDF1 -1 point).
   */
  readonly lastObservationRecovery?: boolean;
  /** Cost gate (1 - IoU) of the recovery stage. Default 0.7, i.e. IoU >= 0.3. */
  readonly recoveryMaxCost?: number;
  /**
   * Gating of the pose (OKS) and appearance terms: for a track whose best candidate overlaps
   * its prediction at least `cueGateIoU` and beats every other candidate (and every other track
   * on that detection) by at least this much IoU, only motion decides; the cues are added only
   * to rows and columns where motion is ambiguous or weak. So a cue never overrides a clear
   * motion match, however wrong the embedding or keypoints are. Default 0.2. Set to Infinity
   * for "cues only where motion alone cannot decide", or a negative value to disable the gate
   * (cues always added, the behaviour before gating existed).
   */
  readonly cueAmbiguityMargin?: number;
  /** Minimum IoU of a motion match for it to count as clear (see {@link cueAmbiguityMargin}). Default 0.5. */
  readonly cueGateIoU?: number;
  /**
   * Stage 1 as a cascade (the DeepSORT idea): tracks matched in the previous frame choose among
   * the high detections first; tracks unmatched for a while only get what is left. Stops a lost
   * track, whose prediction has drifted for frames, from taking the detection of a person who
   * was tracked a frame ago. Default true (fewer ID switches on `eval:tracking`).
   */
  readonly recencyCascade?: boolean;
  /**
   * Tracks matched within this many frames are "recent" for {@link recencyCascade}. Default 2:
   * 1 would let a neighbour take the detection of a person the detector missed for a single
   * frame (random misses are the commonest gap), which costs more than it saves.
   */
  readonly recentFrames?: number;
  /** Cost gate of the cascade's second level (tracks that are not recent). Default `firstStageMaxCost`. */
  readonly olderMaxCost?: number;
  /**
   * Motion gate: a detection whose `(cx, cy, w/h, h)` lies further than this squared
   * Mahalanobis distance from a track's Kalman prediction may not extend it (the DeepSORT gate;
   * chi-square quantiles for 4 degrees of freedom: 9.49 at 95%, 13.28 at 99%, 18.47 at
   * 99.9%). IoU alone lets a track jump onto a box twice its size that contains it (a
   * nearer, larger person); the gate widens on its own while a track is lost, as its
   * covariance grows. Default 9.49. Infinity disables it.
   */
  readonly motionGateChi2?: number;
  /**
   * Noise weights of the Kalman filter. Default ByteTrack's, except `heightNoiseScale` 0.05:
   * people keep their height from frame to frame, and a filter that knows each one's height
   * keeps two overlapping people of different heights apart (with the motion gate, the
   * largest single gain on `eval:tracking`).
   */
  readonly kalman?: KalmanBoxOptions;
}

/**
 * Options that reproduce the tracker as it was before the recency cascade, the motion gate,
 * the height-aware Kalman filter and cue gating (plain ByteTrack with the second stage
 * extended to lost tracks, appearance off): the baseline `npm run eval:tracking` measures
 * first. Its output is identical to that version's, frame for frame.
 */
export const BYTETRACK_BASELINE_OPTIONS: ByteTrackerOptions = Object.freeze({
  appearanceWeight: 0,
  observationCentricReupdate: false,
  directionConsistencyWeight: 0,
  lastObservationRecovery: false,
  cueAmbiguityMargin: -1,
  recencyCascade: false,
  motionGateChi2: Infinity,
  kalman: Object.freeze({ heightNoiseScale: 1 }),
});

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
  /** Last real observations, oldest first: `[frame, cx, cy, a, h]` each, at most {@link OBSERVATION_HISTORY}. */
  observations: number[][];
  /** Kalman state right after the last real observation (for the re-update), or undefined. */
  observedState: KalmanBoxState | undefined;
}

/** Observations kept per track: enough for a direction over up to this many frames. */
const OBSERVATION_HISTORY = 8;

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
  // Version 2 additions, optional so that version 1 checkpoints restore (without them the
  // track has no direction and no re-update until its next observations).
  observations: z.array(z.array(z.number()).length(5)).max(OBSERVATION_HISTORY).optional(),
  observedMean: z.array(z.number()).length(8).optional(),
  observedCov: z.array(z.number()).length(12).optional(),
});

const trackerSnapshotSchema = z.object({
  /** 1: before observation-centric recovery; 2: tracks may carry observations and an observed state. */
  version: z.union([z.literal(1), z.literal(2)]),
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
 *
 * Identity through occlusion: stage 1 is a recency cascade, every stage is limited by a
 * Mahalanobis motion gate, and the Kalman filter holds each person's height; OC-SORT's
 * observation-centric re-update, direction consistency and last-observation recovery are
 * options. Pose (OKS) and appearance cues enter only where motion is ambiguous.
 *
 * Assumes a fixed camera: boxes move only because people do. There is no global (camera)
 * motion compensation; on a panning or shaking camera, predictions and the motion gate would
 * be wrong by the camera's motion, and this tracker is not the right one.
 */
export class ByteTracker {
  private readonly opts: Required<ByteTrackerOptions>;
  private readonly kalman: KalmanBoxFilter;
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
      appearanceWeight: options.appearanceWeight ?? 1,
      embeddingMomentum: options.embeddingMomentum ?? 0.9,
      keypointThreshold: options.keypointThreshold ?? 0.3,
      oksSigmas: options.oksSigmas ?? COCO_OKS_SIGMAS,
      observationCentricReupdate: options.observationCentricReupdate ?? false,
      directionConsistencyWeight: options.directionConsistencyWeight ?? 0,
      directionDeltaFrames: options.directionDeltaFrames ?? 3,
      lastObservationRecovery: options.lastObservationRecovery ?? false,
      recoveryMaxCost: options.recoveryMaxCost ?? 0.7,
      cueAmbiguityMargin: options.cueAmbiguityMargin ?? 0.2,
      cueGateIoU: options.cueGateIoU ?? 0.5,
      recencyCascade: options.recencyCascade ?? true,
      recentFrames: options.recentFrames ?? 2,
      olderMaxCost: options.olderMaxCost ?? options.firstStageMaxCost ?? 0.8,
      motionGateChi2: options.motionGateChi2 ?? 9.49,
      kalman: { heightNoiseScale: 0.05, ...options.kalman },
    };
    this.kalman = new KalmanBoxFilter(this.opts.kalman);
    const o = this.opts;
    if (
      !(o.lowThreshold <= o.highThreshold) ||
      o.lostTrackBuffer < 0 ||
      o.minHitsToConfirm < 1 ||
      o.oksWeight < 0 ||
      o.appearanceWeight < 0 ||
      !(o.directionConsistencyWeight >= 0) ||
      !(Number.isInteger(o.directionDeltaFrames) && o.directionDeltaFrames >= 1 && o.directionDeltaFrames < OBSERVATION_HISTORY)
    ) {
      throw new MotError(
        MotErrorCode.INVALID_OPTIONS,
        `expected lowThreshold <= highThreshold, lostTrackBuffer >= 0, minHitsToConfirm >= 1, non-negative weights, integer directionDeltaFrames in [1, ${OBSERVATION_HISTORY - 1}]`,
        { ...o },
      );
    }
  }

  /** Restores a tracker from {@link toSnapshot} output. Throws `INVALID_SNAPSHOT`. */
  static fromSnapshot(snapshot: unknown, options: ByteTrackerOptions = {}): ByteTracker {
    const parsed = trackerSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new MotError(
        MotErrorCode.INVALID_SNAPSHOT,
        `tracker snapshot to match version 1 or 2, but: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
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
      observations: t.observations ? t.observations.map((o) => [...o]) : [],
      observedState: t.observedMean && t.observedCov ? { mean: Float64Array.from(t.observedMean), cov: Float64Array.from(t.observedCov) } : undefined,
    }));
    return tracker;
  }

  /** A JSON-safe copy of the whole state (frame counter, id counter, live tracks). */
  toSnapshot(): TrackerSnapshot {
    return {
      version: 2,
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
        ...(t.observations.length > 0 ? { observations: t.observations.map((o) => [...o]) } : {}),
        ...(t.observedState ? { observedMean: Array.from(t.observedState.mean), observedCov: Array.from(t.observedState.cov) } : {}),
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

    // Stage 1: high-score detections against confirmed and lost tracks (with the recency
    // cascade, lost ones only get what the tracks seen last frame did not take).
    const first = o.recencyCascade
      ? this.associateByRecency(confirmedPool, high, detections)
      : this.associate(confirmedPool, high, detections, o.firstStageMaxCost, o.fuseScore, true);
    for (const [t, d] of first.pairs) this.applyMatch(t, d, detections);

    // Stage 2: low-score detections against the tracks stage 1 left (tracked last frame, and
    // lost ones unless disabled).
    const secondPool = first.unmatchedTracks.filter((t) => t.state === TrackState.Confirmed || o.secondStageIncludesLost);
    const second = this.associate(secondPool, low, detections, o.secondStageMaxCost, false, false);
    for (const [t, d] of second.pairs) this.applyMatch(t, d, detections);

    // Recovery: what is still unmatched, by the tracks' last observed boxes.
    let remainingHigh = first.unmatchedDetections;
    if (o.lastObservationRecovery && remainingHigh.length > 0) {
      const pool = first.unmatchedTracks.filter((t) => t.lastFrame !== this.frame && t.observations.length > 0);
      const recovered = this.recoverByLastObservation(pool, remainingHigh, detections);
      for (const [t, d] of recovered.pairs) this.applyMatch(t, d, detections);
      remainingHigh = recovered.unmatchedDetections;
    }
    for (const t of first.unmatchedTracks) if (t.lastFrame !== this.frame) t.state = TrackState.Lost;

    // Tentative tracks get one chance with what is left of the high detections.
    const third = this.associate(tentative, remainingHigh, detections, o.tentativeMaxCost, o.fuseScore, false);
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
      observations: [],
      observedState: undefined,
    };
    this.recordObservation(track, cx, cy, a, h);
    this.absorbFeatures(track, d, detections);
    this.tracks.push(track);
  }

  private applyMatch(t: TrackRecord, d: number, detections: Detections): void {
    const [x1, y1, x2, y2] = detections.box(d);
    const [cx, cy, a, h] = xyxyToCxcyah(x1, y1, x2, y2);
    const gap = this.frame - t.lastFrame;
    const last = t.observations.at(-1);
    if (this.opts.observationCentricReupdate && gap > 1 && t.observedState && last && last[0] === t.lastFrame) {
      this.reupdateAcrossGap(t, t.observedState, last, gap, cx, cy, a, h);
    } else {
      this.kalman.update(t.kf, cx, cy, a, h);
    }
    t.hits = t.state === TrackState.Lost ? 1 : t.hits + 1;
    if (t.state === TrackState.Lost) t.state = TrackState.Confirmed;
    else if (t.state === TrackState.Tentative && t.hits >= this.opts.minHitsToConfirm) t.state = TrackState.Confirmed;
    t.score = detections.scores[d]!;
    t.lastFrame = this.frame;
    t.lastCx = t.kf.mean[0]!;
    t.lastCy = t.kf.mean[1]!;
    t.detectionIndex = d;
    this.recordObservation(t, cx, cy, a, h);
    this.absorbFeatures(t, d, detections);
  }

  /**
   * ORU: rewinds to the state after the last real observation and replays the gap with
   * virtual observations on the straight line from that observation to the new one.
   */
  private reupdateAcrossGap(t: TrackRecord, from: KalmanBoxState, last: number[], gap: number, cx: number, cy: number, a: number, h: number): void {
    t.kf.mean.set(from.mean);
    t.kf.cov.set(from.cov);
    const [, lcx, lcy, la, lh] = last as [number, number, number, number, number];
    for (let k = 1; k < gap; k++) {
      const f = k / gap;
      this.kalman.predict(t.kf);
      this.kalman.update(t.kf, lcx + f * (cx - lcx), lcy + f * (cy - lcy), la + f * (a - la), lh + f * (h - lh));
    }
    this.kalman.predict(t.kf);
    this.kalman.update(t.kf, cx, cy, a, h);
  }

  private recordObservation(t: TrackRecord, cx: number, cy: number, a: number, h: number): void {
    t.observations.push([this.frame, cx, cy, a, h]);
    if (t.observations.length > OBSERVATION_HISTORY) t.observations.shift();
    if (!this.opts.observationCentricReupdate) return;
    if (t.observedState) {
      t.observedState.mean.set(t.kf.mean);
      t.observedState.cov.set(t.kf.cov);
    } else {
      t.observedState = { mean: Float64Array.from(t.kf.mean), cov: Float64Array.from(t.kf.cov) };
    }
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

  /**
   * One association stage: cost = weighted mean of (1 - IoU·score?) and the cue terms (OKS,
   * appearance) where the cue gate lets them in, gated by `maxCost`; then, when `useDirection`,
   * minus the velocity-direction term. Optimal assignment over what passes the gate.
   */
  private associate(
    tracks: TrackRecord[],
    detIdx: number[],
    detections: Detections,
    maxCost: number,
    fuseScore: boolean,
    useDirection: boolean,
  ): { pairs: Array<[TrackRecord, number]>; unmatchedTracks: TrackRecord[]; unmatchedDetections: number[] } {
    const nt = tracks.length;
    const nd = detIdx.length;
    if (nt === 0 || nd === 0) return { pairs: [], unmatchedTracks: tracks, unmatchedDetections: detIdx };
    const o = this.opts;
    const predicted = new Float64Array(4 * nt);
    tracks.forEach((t, i) => stateToXyxy(t.kf, predicted, 4 * i));
    const ious = new Float64Array(nt * nd);
    const gate = o.motionGateChi2;
    const boxes = detections.boxes;
    for (let i = 0; i < nt; i++) {
      for (let j = 0; j < nd; j++) {
        const b = 4 * detIdx[j]!;
        const iou = iouXyxyAt(predicted, 4 * i, boxes, b);
        if (iou > 0 && gate !== Infinity) {
          const [cx, cy, a, h] = xyxyToCxcyah(boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!);
          if (this.kalman.gatingDistance(tracks[i]!.kf, cx, cy, a, h) > gate) {
            ious[i * nd + j] = 0;
            continue;
          }
        }
        ious[i * nd + j] = iou;
      }
    }
    const usesCues = (o.oksWeight > 0 && detections.keypoints !== undefined) || (o.appearanceWeight > 0 && detections.embeddings !== undefined);
    const cueAllowed = usesCues ? this.cueGate(ious, nt, nd) : undefined;
    const direction = useDirection && o.directionConsistencyWeight > 0 ? this.directionTerms(tracks, detIdx, detections) : undefined;

    const cost = new Float64Array(nt * nd);
    for (let i = 0; i < nt; i++) {
      const t = tracks[i]!;
      for (let j = 0; j < nd; j++) {
        const d = detIdx[j]!;
        const iou = ious[i * nd + j]!;
        if (iou <= 0) {
          cost[i * nd + j] = Infinity;
          continue;
        }
        const sim = fuseScore ? iou * detections.scores[d]! : iou;
        let weighted = 1 - sim;
        let weights = 1;
        if (cueAllowed === undefined || cueAllowed[i * nd + j]) {
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
        }
        const c = weighted / weights;
        cost[i * nd + j] = c > maxCost ? Infinity : direction ? c - direction[i * nd + j]! : c;
      }
    }
    const assignment = solveLinearAssignment({ rows: nt, cols: nd, data: cost });
    const pairs: Array<[TrackRecord, number]> = assignment.pairs.map(([i, j]) => [tracks[i]!, detIdx[j]!]);
    const unmatchedTracks = tracks.filter((_, i) => assignment.rowToCol[i] === -1);
    const unmatchedDetections = detIdx.filter((_, j) => assignment.colToRow[j] === -1);
    return { pairs, unmatchedTracks, unmatchedDetections };
  }

  /** Stage 1 as a two-level cascade: tracks matched in the previous frame first, then the others. */
  private associateByRecency(pool: TrackRecord[], high: number[], detections: Detections): ReturnType<ByteTracker['associate']> {
    const o = this.opts;
    const recent = pool.filter((t) => this.frame - t.lastFrame <= o.recentFrames);
    const older = pool.filter((t) => this.frame - t.lastFrame > o.recentFrames);
    const a = this.associate(recent, high, detections, o.firstStageMaxCost, o.fuseScore, true);
    const b = this.associate(older, a.unmatchedDetections, detections, o.olderMaxCost, o.fuseScore, true);
    return { pairs: [...a.pairs, ...b.pairs], unmatchedTracks: [...a.unmatchedTracks, ...b.unmatchedTracks], unmatchedDetections: b.unmatchedDetections };
  }

  /**
   * Which pairs may use pose / appearance cues: all, except the rows and columns of clear
   * motion matches (mutual best by IoU, at least `cueGateIoU`, ahead of the runner-up in both
   * its row and its column by `cueAmbiguityMargin`). Undefined: no gate.
   */
  private cueGate(ious: Float64Array, nt: number, nd: number): Uint8Array | undefined {
    const { cueAmbiguityMargin: margin, cueGateIoU: minIou } = this.opts;
    if (margin < 0) return undefined;
    const rowBest = new Int32Array(nt).fill(-1);
    const rowFirst = new Float64Array(nt);
    const rowSecond = new Float64Array(nt);
    const colBest = new Int32Array(nd).fill(-1);
    const colFirst = new Float64Array(nd);
    const colSecond = new Float64Array(nd);
    for (let i = 0; i < nt; i++) {
      for (let j = 0; j < nd; j++) {
        const v = ious[i * nd + j]!;
        if (v > rowFirst[i]!) {
          rowSecond[i] = rowFirst[i]!;
          rowFirst[i] = v;
          rowBest[i] = j;
        } else if (v > rowSecond[i]!) rowSecond[i] = v;
        if (v > colFirst[j]!) {
          colSecond[j] = colFirst[j]!;
          colFirst[j] = v;
          colBest[j] = i;
        } else if (v > colSecond[j]!) colSecond[j] = v;
      }
    }
    const allowed = new Uint8Array(nt * nd).fill(1);
    for (let i = 0; i < nt; i++) {
      const j = rowBest[i]!;
      if (j < 0 || colBest[j] !== i) continue;
      const v = rowFirst[i]!;
      if (v < minIou || v - rowSecond[i]! < margin || v - colSecond[j]! < margin) continue;
      for (let k = 0; k < nd; k++) allowed[i * nd + k] = 0;
      for (let k = 0; k < nt; k++) allowed[k * nd + j] = 0;
    }
    return allowed;
  }

  /**
   * OCM: per pair, weight · score · (π/2 − angle between the track's observed direction and
   * the direction from its observation `directionDeltaFrames` ago to the detection) / π.
   * Zero for tracks without two observations in that window.
   */
  private directionTerms(tracks: TrackRecord[], detIdx: number[], detections: Detections): Float64Array {
    const { directionConsistencyWeight: weight, directionDeltaFrames: delta } = this.opts;
    const nd = detIdx.length;
    const out = new Float64Array(tracks.length * nd);
    const boxes = detections.boxes;
    for (let i = 0; i < tracks.length; i++) {
      const obs = tracks[i]!.observations;
      const last = obs.at(-1);
      if (!last) continue;
      const before = oldestObservationSince(obs, last[0]! - delta);
      if (before === last) continue;
      let vx = last[1]! - before[1]!;
      let vy = last[2]! - before[2]!;
      const vn = Math.hypot(vx, vy);
      if (vn === 0) continue;
      vx /= vn;
      vy /= vn;
      const ref = oldestObservationSince(obs, this.frame - delta);
      for (let j = 0; j < nd; j++) {
        const b = 4 * detIdx[j]!;
        const dx = (boxes[b]! + boxes[b + 2]!) / 2 - ref[1]!;
        const dy = (boxes[b + 1]! + boxes[b + 3]!) / 2 - ref[2]!;
        const dn = Math.hypot(dx, dy);
        if (dn === 0) continue;
        const cos = Math.min(1, Math.max(-1, (vx * dx + vy * dy) / dn));
        out[i * nd + j] = (weight * detections.scores[detIdx[j]!]! * (Math.PI / 2 - Math.acos(cos))) / Math.PI;
      }
    }
    return out;
  }

  /** OCR: IoU between each track's last observed box and each detection, gated by `recoveryMaxCost`. */
  private recoverByLastObservation(
    tracks: TrackRecord[],
    detIdx: number[],
    detections: Detections,
  ): { pairs: Array<[TrackRecord, number]>; unmatchedDetections: number[] } {
    const nt = tracks.length;
    const nd = detIdx.length;
    if (nt === 0 || nd === 0) return { pairs: [], unmatchedDetections: detIdx };
    const observed = new Float64Array(4 * nt);
    tracks.forEach((t, i) => {
      const [, cx, cy, a, h] = t.observations.at(-1)! as [number, number, number, number, number];
      const w = a * h;
      observed.set([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 4 * i);
    });
    const cost = new Float64Array(nt * nd);
    const gate = this.opts.motionGateChi2;
    const boxes = detections.boxes;
    for (let i = 0; i < nt; i++) {
      const observedState = tracks[i]!.observedState;
      for (let j = 0; j < nd; j++) {
        const b = 4 * detIdx[j]!;
        const iou = iouXyxyAt(observed, 4 * i, boxes, b);
        cost[i * nd + j] = iou > 0 ? 1 - iou : Infinity;
        // The motion gate, around the state at the last observation (the prediction is what
        // this stage distrusts): a recovered box must still be the size the track had.
        if (iou > 0 && gate !== Infinity && observedState) {
          const [cx, cy, a, h] = xyxyToCxcyah(boxes[b]!, boxes[b + 1]!, boxes[b + 2]!, boxes[b + 3]!);
          if (this.kalman.gatingDistance(observedState, cx, cy, a, h) > gate) cost[i * nd + j] = Infinity;
        }
      }
    }
    const assignment = solveLinearAssignment({ rows: nt, cols: nd, data: cost }, { maxCost: this.opts.recoveryMaxCost });
    return {
      pairs: assignment.pairs.map(([i, j]) => [tracks[i]!, detIdx[j]!]),
      unmatchedDetections: detIdx.filter((_, j) => assignment.colToRow[j] === -1),
    };
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

/** The oldest observation at or after `frame`, else the newest one. `observations` must not be empty. */
function oldestObservationSince(observations: number[][], frame: number): number[] {
  for (const o of observations) if (o[0]! >= frame) return o;
  return observations.at(-1)!;
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
