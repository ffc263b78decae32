import { pointInPolygon, type Point } from './polygon';

/** An AREA zone in normalized image coordinates. */
export interface AreaZone {
  id: string;
  polygon: readonly Point[];
}

/** Options of {@link ZonePresence}; every field has a default. */
export interface ZonePresenceOptions {
  /**
   * Consecutive frames inside before a track counts as entered. Default 3. Higher ignores
   * people brushing the edge but delays the entry (its time is still the first frame inside).
   */
  enterFrames?: number;
  /**
   * Consecutive frames outside before a track counts as left. Default 5. Higher survives a
   * foot point jittering across the edge; the exit time is still the last frame inside.
   */
  exitFrames?: number;
  /**
   * A track unseen this long is gone (the tracker removed it or lost it for good): its visits
   * close at their last frame inside. Default 3000 ms, above the tracker's lost-track buffer.
   */
  goneAfterMs?: number;
}

export type PresenceEvent =
  | { kind: 'enter'; zoneId: string; trackId: number; at: number }
  | { kind: 'exit'; zoneId: string; trackId: number; enteredAt: number; exitedAt: number; dwellMs: number }
  | { kind: 'transition'; fromZoneId: string; toZoneId: string; trackId: number; at: number };

interface ZoneState {
  inside: boolean;
  /** Consecutive frames on the other side of the confirmed state. */
  streak: number;
  streakStartTs: number;
  enteredAt: number;
  lastInsideTs: number;
}

interface TrackState {
  lastSeenTs: number;
  zones: Map<string, ZoneState>;
  /** The zone this track left last, for transitions. */
  lastExited: string | null;
  /** Entered at least one zone: its end completes a (single-camera) journey. */
  visited: boolean;
}

/** A track currently inside a zone (confirmed). */
export interface OpenVisit {
  zoneId: string;
  trackId: number;
  enteredAt: number;
}

/**
 * Which tracks are in which AREA zones, with hysteresis both ways, and the visits, dwell and
 * zone-to-zone transitions that follow. Fed one frame at a time (foot points per track, frame
 * time); pure, no clock of its own.
 */
export class ZonePresence {
  private readonly enterFrames: number;
  private readonly exitFrames: number;
  private readonly goneAfterMs: number;
  private completedJourneys = 0;
  private readonly tracks = new Map<number, TrackState>();
  private readonly occupancyOf = new Map<string, number>();

  constructor(
    readonly zones: readonly AreaZone[],
    options: ZonePresenceOptions = {},
  ) {
    this.enterFrames = options.enterFrames ?? 3;
    this.exitFrames = options.exitFrames ?? 5;
    this.goneAfterMs = options.goneAfterMs ?? 3000;
    if (!(Number.isInteger(this.enterFrames) && this.enterFrames >= 1)) throw new RangeError(`enterFrames must be an integer >= 1, got ${this.enterFrames}`);
    if (!(Number.isInteger(this.exitFrames) && this.exitFrames >= 1)) throw new RangeError(`exitFrames must be an integer >= 1, got ${this.exitFrames}`);
    if (!(this.goneAfterMs > 0)) throw new RangeError(`goneAfterMs must be > 0, got ${this.goneAfterMs}`);
    for (const z of zones) this.occupancyOf.set(z.id, 0);
  }

  /** Tracks confirmed inside the zone now. */
  occupancy(zoneId: string): number {
    return this.occupancyOf.get(zoneId) ?? 0;
  }

  /** Every confirmed visit still open. */
  openVisits(): OpenVisit[] {
    const open: OpenVisit[] = [];
    for (const [trackId, t] of this.tracks) for (const [zoneId, z] of t.zones) if (z.inside) open.push({ zoneId, trackId, enteredAt: z.enteredAt });
    return open;
  }

  /** One frame: the foot point of every track seen in it. */
  update(ts: number, observations: readonly { trackId: number; point: Point }[]): PresenceEvent[] {
    const events: PresenceEvent[] = [];
    for (const { trackId, point } of observations) {
      let track = this.tracks.get(trackId);
      if (!track) {
        track = { lastSeenTs: ts, zones: new Map(), lastExited: null, visited: false };
        this.tracks.set(trackId, track);
      }
      track.lastSeenTs = ts;
      for (const zone of this.zones) this.step(track, trackId, zone, pointInPolygon(point, zone.polygon), ts, events);
    }
    for (const [trackId, track] of this.tracks) {
      if (ts - track.lastSeenTs > this.goneAfterMs) this.end(trackId, track, events);
    }
    return events;
  }

  /** Closes every open visit (the camera stopped). */
  endAll(): PresenceEvent[] {
    const events: PresenceEvent[] = [];
    for (const [trackId, track] of this.tracks) this.end(trackId, track, events);
    return events;
  }

  private step(track: TrackState, trackId: number, zone: AreaZone, inside: boolean, ts: number, events: PresenceEvent[]): void {
    let z = track.zones.get(zone.id);
    if (!z) {
      if (!inside) return;
      z = { inside: false, streak: 0, streakStartTs: ts, enteredAt: 0, lastInsideTs: 0 };
      track.zones.set(zone.id, z);
    }
    if (inside) z.lastInsideTs = ts;
    if (inside === z.inside) {
      z.streak = 0;
      return;
    }
    if (z.streak === 0) z.streakStartTs = ts;
    z.streak += 1;
    if (!z.inside && z.streak >= this.enterFrames) {
      z.inside = true;
      z.streak = 0;
      z.enteredAt = z.streakStartTs;
      track.visited = true;
      this.occupancyOf.set(zone.id, this.occupancy(zone.id) + 1);
      events.push({ kind: 'enter', zoneId: zone.id, trackId, at: z.enteredAt });
      // Still leaving another zone (its exit not yet confirmed): that exit reports the move.
      const leaving = [...track.zones.values()].some((other) => other !== z && other.inside && other.streak > 0);
      if (!leaving && track.lastExited !== null && track.lastExited !== zone.id) {
        events.push({ kind: 'transition', fromZoneId: track.lastExited, toZoneId: zone.id, trackId, at: z.enteredAt });
      }
    } else if (z.inside && z.streak >= this.exitFrames) {
      this.exit(track, trackId, zone.id, z, events);
      track.zones.delete(zone.id);
    }
  }

  private exit(track: TrackState, trackId: number, zoneId: string, z: ZoneState, events: PresenceEvent[]): void {
    this.occupancyOf.set(zoneId, this.occupancy(zoneId) - 1);
    track.lastExited = zoneId;
    events.push({ kind: 'exit', zoneId, trackId, enteredAt: z.enteredAt, exitedAt: z.lastInsideTs, dwellMs: z.lastInsideTs - z.enteredAt });
    // Zones entered after leaving this one but confirmed before this exit was (adjacent zones,
    // a gap shorter than the exit hysteresis): the move is reported now, dated at that entry.
    for (const [otherId, other] of track.zones) {
      if (otherId !== zoneId && other.inside && other.enteredAt > z.lastInsideTs) {
        events.push({ kind: 'transition', fromZoneId: zoneId, toZoneId: otherId, trackId, at: other.enteredAt });
      }
    }
  }

  private end(trackId: number, track: TrackState, events: PresenceEvent[]): void {
    for (const [zoneId, z] of track.zones) if (z.inside) this.exit(track, trackId, zoneId, z, events);
    if (track.visited) this.completedJourneys += 1;
    this.tracks.delete(trackId);
  }

  /** Tracks that ended (gone, or the camera stopped) after visiting a zone, since the last call. */
  takeCompletedJourneys(): number {
    const n = this.completedJourneys;
    this.completedJourneys = 0;
    return n;
  }
}
