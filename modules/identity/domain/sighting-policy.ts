import type { CameraGraph } from './camera-graph';

/** A track's name at one moment, as the vote gave it (personId null: not named). */
export interface Sighting {
  cameraId: string;
  trackId: string;
  atMs: number;
  personId: string | null;
}

export type SightingRejection = 'TOO_FAST' | 'UNREACHABLE' | 'COMPANION' | 'CONCURRENT';

/** What the policy made of a sighting. */
export interface SightingOutcome {
  /** The name the track may carry now (null: shown as unknown). */
  personId: string | null;
  /** Set when a name was refused, with the gate's reason. */
  rejected?: SightingRejection;
  /** Set when the name was already on another live track in a place the graph says is apart: both are split. */
  falseMerge?: { personId: string; trackIds: [string, string] };
  /** The track's accepted name changed after it had one. */
  flicker: boolean;
}

export interface SightingPolicyOptions {
  /** A track not seen for this long has ended. Default 5 s. */
  trackTimeoutMs?: number;
  /** Two tracks starting on one camera this close together arrived together. Default 3 s. */
  arrivalWindowMs?: number;
}

interface LiveTrack {
  key: string;
  trackId: string;
  cameraId: string;
  startMs: number;
  lastMs: number;
  personId: string | null;
  /** Keys of tracks that arrived together with this one. */
  companions: Set<string>;
}

/**
 * The cross-camera rules a name must pass before a track carries it (one instance per tenant;
 * time comes from the sightings, so tests drive it with a manual clock):
 * - **False-merge detector:** the name is on another live track on a camera the graph puts
 *   apart (transit > the time between them): one identity cannot be in two places, so both
 *   tracks lose the name (split) and the caller raises an event and counts it.
 * - **Companion rule:** a track that arrived together with another (same camera, starts within
 *   `arrivalWindowMs`) never takes its companion's name: two people who always arrive together
 *   are two people, however alike their faces.
 * - **Concurrency:** one person is never two live tracks on one camera (CONCURRENT).
 * - **Spatiotemporal gate:** the name's last sighting was on another camera, and less time has
 *   passed than the graph's minimum transit (TOO_FAST), or no path joins them (UNREACHABLE).
 * - **Flicker:** a track whose accepted name changes.
 */
export class SightingPolicy {
  private readonly tracks = new Map<string, LiveTrack>();
  /** Where and when each name was last accepted. */
  private readonly lastSeen = new Map<string, { cameraId: string; atMs: number; trackKey: string }>();
  private readonly trackTimeoutMs: number;
  private readonly arrivalWindowMs: number;

  constructor(
    private graph: CameraGraph,
    options: SightingPolicyOptions = {},
  ) {
    this.trackTimeoutMs = options.trackTimeoutMs ?? 5_000;
    this.arrivalWindowMs = options.arrivalWindowMs ?? 3_000;
  }

  /** The tenant edited its graph. */
  setGraph(graph: CameraGraph): void {
    this.graph = graph;
  }

  /** Names currently carried by live tracks (the active-identities gauge). */
  activeIdentities(nowMs: number): number {
    this.expire(nowMs);
    return new Set([...this.tracks.values()].map((t) => t.personId).filter((p): p is string => p !== null)).size;
  }

  observe(s: Sighting): SightingOutcome {
    this.expire(s.atMs);
    const key = `${s.cameraId}/${s.trackId}`;
    const track = this.track(key, s);
    const before = track.personId;
    const outcome = this.judge(track, s);
    track.personId = outcome.personId;
    if (outcome.personId !== null) this.lastSeen.set(outcome.personId, { cameraId: s.cameraId, atMs: s.atMs, trackKey: key });
    return { ...outcome, flicker: before !== null && outcome.personId !== null && before !== outcome.personId };
  }

  private judge(track: LiveTrack, s: Sighting): Omit<SightingOutcome, 'flicker'> {
    const personId = s.personId;
    if (personId === null) return { personId: null };
    for (const other of this.tracks.values()) {
      if (other === track || other.personId !== personId) continue;
      if (track.companions.has(other.key)) return { personId: null, rejected: 'COMPANION' };
      if (other.cameraId === s.cameraId) return { personId: null, rejected: 'CONCURRENT' };
      const apart = this.graph.places(other.cameraId) && this.graph.places(s.cameraId) && this.graph.minTransitMs(other.cameraId, s.cameraId) > s.atMs - other.lastMs;
      if (apart) {
        other.personId = null;
        this.lastSeen.delete(personId);
        return { personId: null, falseMerge: { personId, trackIds: [other.trackId, s.trackId] } };
      }
    }
    const last = this.lastSeen.get(personId);
    if (last && last.trackKey !== track.key && last.cameraId !== s.cameraId && this.graph.places(last.cameraId) && this.graph.places(s.cameraId)) {
      const need = this.graph.minTransitMs(last.cameraId, s.cameraId);
      if (need === Infinity) return { personId: null, rejected: 'UNREACHABLE' };
      if (s.atMs - last.atMs < need) return { personId: null, rejected: 'TOO_FAST' };
    }
    return { personId };
  }

  private track(key: string, s: Sighting): LiveTrack {
    let track = this.tracks.get(key);
    if (!track) {
      track = { key, trackId: s.trackId, cameraId: s.cameraId, startMs: s.atMs, lastMs: s.atMs, personId: null, companions: new Set() };
      for (const other of this.tracks.values()) {
        if (other.cameraId === s.cameraId && Math.abs(other.startMs - s.atMs) <= this.arrivalWindowMs) {
          other.companions.add(key);
          track.companions.add(other.key);
        }
      }
      this.tracks.set(key, track);
    }
    track.lastMs = Math.max(track.lastMs, s.atMs);
    return track;
  }

  private expire(nowMs: number): void {
    for (const [key, t] of this.tracks) if (nowMs - t.lastMs > this.trackTimeoutMs) this.tracks.delete(key);
  }
}
