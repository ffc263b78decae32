import { MIN_FACE_QUALITY } from '../domain/gallery-ema';
import type { MatchDecision } from '../domain/open-set-matcher';
import { DEFAULT_VOTE_WINDOW, TrackIdentityVote } from '../domain/track-identity-vote';

/** One face of a track on one frame (the worker's FaceRes vector; never an image). */
export interface LiveFaceSighting {
  trackId: number;
  embedding: readonly number[];
  /**
   * Face quality in [0, 1] for the gallery refresh (EMA). The worker sends no face quality, so
   * the server passes the score the frame carries for the face (its eye keypoints' score, else
   * the detection score). Absent: this sighting never refreshes the gallery.
   */
  quality?: number;
}

/** Matches one embedding against ONE tenant's gallery (the identity module's GalleryMatcher). */
export interface LiveFaceMatcher {
  match(tenantId: string, query: { model: string; embedding: readonly number[]; cameraId?: string; at?: Date }): Promise<MatchDecision>;
}

/** The rules after the vote (spatiotemporal gate, false merges, flicker): may refuse a name. */
export interface LiveSightingGate {
  observe(
    tenantId: string,
    sighting: { cameraId: string; trackId: string; at: Date; personId: string | null; embedding?: readonly number[] },
  ): Promise<{ personId: string | null; rejected?: string; visitId?: string | null }>;
  /** The camera's tracks ended (ids will be reused): per-track state of the gate goes. */
  endCamera?(tenantId: string, cameraId: string): void;
}

/** Display names of enrolled people (tenant-scoped: a foreign id is null). */
export interface PersonNames {
  displayName(tenantId: string, personId: string): Promise<string | null>;
}

/** A track that was named: what `identityMatched` carries and the live view shows. */
export interface IdentityMatchedEvent {
  cameraId: string;
  trackId: number;
  personId: string;
  displayName: string;
  /** Mean cosine similarity of the frames that voted for the name. */
  similarity: number;
  /** Which visit of this person this is (1 = first; a new one after 30 min unseen). */
  visitNumber: number;
  at: Date;
}

/** A track close to someone enrolled but below the accept threshold: never carries who. */
export interface IdentityWeakMatchEvent {
  cameraId: string;
  trackId: number;
  /** The review-band similarity of the track's first weak frame. */
  similarity: number;
  at: Date;
}

/**
 * A track left unknown that the sighting gate gave an anonymous visit id: the same random id for
 * the same unknown face on other cameras during one visit (domain/visit-registry.ts). Never
 * carries a vector, a person id or a name; analytics keys the visitor's zone visits with it.
 */
export interface IdentityVisitEvent {
  cameraId: string;
  trackId: number;
  visitId: string;
  at: Date;
}

export interface IdentityMatchedPublisher {
  identityMatched(tenantId: string, event: IdentityMatchedEvent): void;
  /** A track's first review-band match (once per track). */
  identityWeakMatch?(tenantId: string, event: IdentityWeakMatchEvent): void;
  /** An unknown track's anonymous visit id (once per track); not for the live view, which shows names only. */
  identityVisit?(tenantId: string, event: IdentityVisitEvent): void;
}

/** Per-tenant visit counts of named people (PrismaPersonVisits): the visit number, or null when the person is gone. */
export interface PersonVisits {
  recordSighting(tenantId: string, personId: string, at: Date): Promise<number | null>;
}

/** Refreshes a person's gallery from a high-quality sighting (PersonGalleryService.refreshFromSighting). */
export interface GalleryRefresher {
  refreshFromSighting(tenantId: string, personId: string, model: string, sighting: readonly number[], quality: number): Promise<boolean>;
}

export interface LiveTrackIdentifierOptions {
  matcher: LiveFaceMatcher;
  names: PersonNames;
  publisher: IdentityMatchedPublisher;
  gate?: LiveSightingGate;
  /** Visit numbers of named people; absent: every naming is visit 1. */
  visits?: PersonVisits;
  /** Gallery EMA from named tracks' best sightings; absent: the gallery never changes live. */
  gallery?: GalleryRefresher;
  /** At most one gallery refresh per person this often (ms of capture time). Default 60 s. */
  refreshEveryMs?: number;
  /** Embedder model of the worker's vectors. Default `faceres`. */
  model?: string;
  /** Frames that must agree before a track is named. Default 5 (TrackIdentityVote). */
  window?: number;
  /** Frames of one track looked at, at most (a track that never settles stops costing searches). Default 50. */
  maxFramesPerTrack?: number;
  /** A track unseen this long (ms of capture time) is forgotten. Default 30 s. */
  forgetAfterMs?: number;
  /** Sightings waiting per camera before new ones are dropped (a slow index must not grow memory). Default 64. */
  maxPendingPerCamera?: number;
  /** Failures of a match or a publish (logged and counted by the caller; the pipeline goes on). */
  onError?: (error: unknown, context: { tenantId: string; cameraId: string }) => void;
}

interface TrackState {
  vote: TrackIdentityVote;
  frames: number;
  lastSeenTs: number;
  /** Similarities of the MATCH decisions per person (for the reported similarity). */
  scores: Map<string, number[]>;
  named: { personId: string; displayName: string; visitNumber: number } | null;
  /** The vote settled (named, refused or unknown after a full window): the gate has seen it. */
  settled: 'NAMED' | 'UNKNOWN' | null;
  /** The best MATCH sighting per person that carried a quality (the gallery refresh candidate). */
  best: Map<string, { embedding: readonly number[]; quality: number; similarity: number }>;
  /** The track's first review-band frame (identityWeakMatch went out for it, at most once); kept for pages opened later. */
  weak: { similarity: number; at: Date } | null;
}

interface CameraState {
  tenantId: string;
  tracks: Map<number, TrackState>;
  chain: Promise<void>;
  pending: number;
}

/**
 * Live identification of tracks (issue 13): each face sighting of a track is matched against
 * the tenant's gallery, and a track is named only when {@link TrackIdentityVote} agrees over a
 * window of frames (default 5). A stranger's track stays unknown: UNKNOWN and REVIEW decisions
 * never name anyone. A name passes the sighting gate (when given) before it is shown; then
 * `identityMatched` is published once per track and the track's label is kept for the live view.
 * A track the vote leaves unknown is told to the gate once; when the gate gives it an anonymous
 * visit id, `identityVisit` is published once per track (no label: the live view shows names only).
 *
 * Fed from the frame pipeline's `onFaces` hook, which is synchronous: work is queued per camera
 * (so one camera's frames are matched in order) and bounded (sightings beyond
 * `maxPendingPerCamera` are dropped and counted).
 */
export class LiveTrackIdentifier {
  private readonly cameras = new Map<string, CameraState>();
  private readonly model: string;
  private readonly window: number;
  private readonly maxFrames: number;
  private readonly forgetAfterMs: number;
  private readonly maxPending: number;
  private readonly refreshEveryMs: number;
  /** `tenant:person` -> capture time of the last gallery refresh attempt (the rate limit). */
  private readonly lastRefresh = new Map<string, number>();
  /** Sightings dropped because a camera's queue was full. */
  dropped = 0;

  constructor(private readonly options: LiveTrackIdentifierOptions) {
    this.model = options.model ?? 'faceres';
    this.window = options.window ?? DEFAULT_VOTE_WINDOW;
    this.maxFrames = options.maxFramesPerTrack ?? 50;
    this.forgetAfterMs = options.forgetAfterMs ?? 30_000;
    this.maxPending = options.maxPendingPerCamera ?? 64;
    this.refreshEveryMs = options.refreshEveryMs ?? 60_000;
  }

  /** One tracked frame's faces (`captureTs`: the frame's capture time, ms). Returns at once. */
  onFaces(tenantId: string, cameraId: string, captureTs: number, faces: readonly LiveFaceSighting[]): void {
    let camera = this.cameras.get(cameraId);
    if (!camera || camera.tenantId !== tenantId) {
      camera = { tenantId, tracks: new Map(), chain: Promise.resolve(), pending: 0 };
      this.cameras.set(cameraId, camera);
    }
    if (camera.pending >= this.maxPending) {
      this.dropped += faces.length;
      return;
    }
    const cam = camera;
    cam.pending += 1;
    cam.chain = cam.chain
      .then(() => this.process(cam, cameraId, captureTs, faces))
      .catch((error: unknown) => this.options.onError?.(error, { tenantId, cameraId }))
      .finally(() => {
        cam.pending -= 1;
      });
  }

  /** The named tracks of a camera right now (the live view's labels); another tenant's camera has none. */
  labels(tenantId: string, cameraId: string): IdentityMatchedEvent[] {
    const camera = this.cameras.get(cameraId);
    if (!camera || camera.tenantId !== tenantId) return [];
    const out: IdentityMatchedEvent[] = [];
    for (const [trackId, t] of camera.tracks) {
      if (!t.named) continue;
      out.push({ cameraId, trackId, ...t.named, similarity: mean(t.scores.get(t.named.personId) ?? []), at: new Date(t.lastSeenTs) });
    }
    return out;
  }

  /**
   * The weakly matched tracks of a camera right now that were not named since (the live view's
   * "unconfirmed" badges for a page opened after identityWeakMatch went out). No person: a weak
   * match never says who. Another tenant's camera has none.
   */
  weakMatches(tenantId: string, cameraId: string): IdentityWeakMatchEvent[] {
    const camera = this.cameras.get(cameraId);
    if (!camera || camera.tenantId !== tenantId) return [];
    const out: IdentityWeakMatchEvent[] = [];
    for (const [trackId, t] of camera.tracks) if (t.weak && !t.named) out.push({ cameraId, trackId, ...t.weak });
    return out;
  }

  /** Resolves when every sighting queued so far has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.cameras.values()].map((c) => c.chain));
  }

  /**
   * The camera stopped and its tracks ended: their labels, votes and visit bindings go, since
   * its next run numbers tracks from 1 again. The gate forgets after the sightings already
   * queued for the camera, so none of them binds a track again afterwards.
   */
  forgetCamera(cameraId: string): void {
    const camera = this.cameras.get(cameraId);
    if (!camera) return;
    this.cameras.delete(cameraId);
    const gate = this.options.gate;
    if (gate?.endCamera) void camera.chain.then(() => gate.endCamera!(camera.tenantId, cameraId));
  }

  private async process(camera: CameraState, cameraId: string, captureTs: number, faces: readonly LiveFaceSighting[]): Promise<void> {
    for (const [id, t] of camera.tracks) if (captureTs - t.lastSeenTs > this.forgetAfterMs) camera.tracks.delete(id);
    for (const face of faces) {
      let track = camera.tracks.get(face.trackId);
      if (!track) {
        track = { vote: new TrackIdentityVote(this.window), frames: 0, lastSeenTs: captureTs, scores: new Map(), named: null, settled: null, best: new Map(), weak: null };
        camera.tracks.set(face.trackId, track);
      }
      track.lastSeenTs = captureTs;
      // A named track keeps its name for its life; one that never settles stops costing searches.
      if (track.named || track.frames >= this.maxFrames) continue;
      track.frames += 1;
      const at = new Date(captureTs);
      const decision = await this.options.matcher.match(camera.tenantId, { model: this.model, embedding: face.embedding, cameraId, at });
      if (decision.kind === 'MATCH') {
        const list = track.scores.get(decision.personId) ?? [];
        list.push(decision.similarity);
        track.scores.set(decision.personId, list);
        const best = track.best.get(decision.personId);
        if (face.quality !== undefined && face.quality >= MIN_FACE_QUALITY && (!best || decision.similarity > best.similarity)) {
          track.best.set(decision.personId, { embedding: face.embedding, quality: face.quality, similarity: decision.similarity });
        }
      } else if (decision.kind === 'REVIEW' && track.weak === null) {
        // Who it resembles stays inside: a weak match must not name anyone.
        track.weak = { similarity: decision.similarity, at };
        this.options.publisher.identityWeakMatch?.(camera.tenantId, { cameraId, trackId: face.trackId, ...track.weak });
      }
      const identity = track.vote.observe(decision);
      if (identity.kind === 'NAMED') await this.name(camera, cameraId, face, track, identity.personId, at);
      else if (identity.kind === 'UNKNOWN' && track.settled === null) {
        // Told once, so the gate can give an unknown visitor an anonymous visit id.
        track.settled = 'UNKNOWN';
        const outcome = await this.options.gate?.observe(camera.tenantId, { cameraId, trackId: String(face.trackId), at, personId: null, embedding: face.embedding });
        this.publishVisit(camera.tenantId, cameraId, face.trackId, outcome?.visitId, at);
      }
    }
  }

  private async name(camera: CameraState, cameraId: string, face: LiveFaceSighting, track: TrackState, personId: string, at: Date): Promise<void> {
    const gate = this.options.gate;
    if (gate) {
      const outcome = await gate.observe(camera.tenantId, { cameraId, trackId: String(face.trackId), at, personId, embedding: face.embedding });
      if (outcome.personId !== personId) {
        // Refused (a teleport, a false merge): the track stays unknown and is not asked again;
        // like any unknown track it may still be an anonymous visitor for analytics.
        track.settled = 'UNKNOWN';
        track.frames = this.maxFrames;
        if (outcome.personId === null) this.publishVisit(camera.tenantId, cameraId, face.trackId, outcome.visitId, at);
        return;
      }
    }
    const displayName = await this.options.names.displayName(camera.tenantId, personId);
    if (displayName === null) return; // erased meanwhile: nobody to name
    const visitNumber = this.options.visits ? await this.options.visits.recordSighting(camera.tenantId, personId, at) : 1;
    if (visitNumber === null) return;
    track.named = { personId, displayName, visitNumber };
    track.settled = 'NAMED';
    this.options.publisher.identityMatched(camera.tenantId, {
      cameraId,
      trackId: face.trackId,
      personId,
      displayName,
      similarity: mean(track.scores.get(personId) ?? []),
      visitNumber,
      at,
    });
    await this.refreshGallery(camera.tenantId, track, personId, at.getTime());
  }

  /** Hands an unknown track's visit id on (each track settles once, so once per track). */
  private publishVisit(tenantId: string, cameraId: string, trackId: number, visitId: string | null | undefined, at: Date): void {
    if (!visitId || !this.options.publisher.identityVisit) return;
    this.options.publisher.identityVisit(tenantId, { cameraId, trackId, visitId, at });
  }

  /**
   * The named person's gallery learns from the track's best sighting (the EMA rule of
   * gallery-ema.ts decides whether it is good enough), at most once per person per
   * `refreshEveryMs`, so a live stream cannot rewrite a gallery every frame.
   */
  private async refreshGallery(tenantId: string, track: TrackState, personId: string, ts: number): Promise<void> {
    const gallery = this.options.gallery;
    const best = track.best.get(personId);
    if (!gallery || !best) return;
    const key = `${tenantId}:${personId}`;
    const last = this.lastRefresh.get(key);
    if (last !== undefined && ts - last < this.refreshEveryMs) return;
    if (this.lastRefresh.size >= 10_000) for (const [k, t] of this.lastRefresh) if (ts - t >= this.refreshEveryMs) this.lastRefresh.delete(k);
    this.lastRefresh.set(key, ts);
    await gallery.refreshFromSighting(tenantId, personId, this.model, best.embedding, best.quality);
  }
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
