import { randomUUID } from 'node:crypto';
import type { CameraGraph } from './camera-graph';
import { cosineSimilarity } from './face-similarity';

export interface VisitRegistryOptions {
  /** Similarity at which an unknown face is the same visitor as an earlier one. */
  sameVisitor: number;
  /** A visitor unseen this long has left: the next sighting starts a new visit. Default 30 min. */
  visitGapMs?: number;
  /** Vectors of unknown visitors are forgotten this long after their last sighting (tenant retention, default 24 h). */
  retentionMs?: number;
  /** Visit ids (tests); default random UUIDs. */
  newId?: () => string;
}

interface Visitor {
  visitId: string;
  vector: readonly number[];
  cameraId: string;
  trackKey: string;
  lastMs: number;
}

/**
 * Anonymous visit ids for people never enrolled: the same unknown face seen on another camera
 * during one visit gets the same random id, so journeys work without enrolment and without a
 * name. Nothing here identifies anyone beyond the visit: the id is random, the vectors live in
 * memory only and are dropped after `retentionMs` (never written to disk or Postgres).
 * The camera graph gates a link as for names (no teleporting visitors), and two tracks live at
 * once never share a visit id (two people who arrive together stay two visitors).
 */
export class VisitRegistry {
  private readonly visitors: Visitor[] = [];
  private readonly byTrack = new Map<string, Visitor>();
  private readonly visitGapMs: number;
  private retentionMs: number;
  private readonly newId: () => string;

  constructor(
    private graph: CameraGraph,
    private readonly options: VisitRegistryOptions,
  ) {
    this.visitGapMs = options.visitGapMs ?? 30 * 60_000;
    this.retentionMs = options.retentionMs ?? 24 * 3_600_000;
    this.newId = options.newId ?? randomUUID;
  }

  setGraph(graph: CameraGraph): void {
    this.graph = graph;
  }

  setRetentionMs(ms: number): void {
    this.retentionMs = ms;
  }

  /** Vectors held now (tests, health). */
  get size(): number {
    return this.visitors.length;
  }

  /** The visit id of an unknown track, given its face embedding at `atMs`. */
  visitOf(cameraId: string, trackId: string, vector: readonly number[], atMs: number): string {
    this.expire(atMs);
    const trackKey = `${cameraId}/${trackId}`;
    const own = this.byTrack.get(trackKey);
    if (own) {
      own.lastMs = atMs;
      return own.visitId;
    }
    let best: { v: Visitor; sim: number } | undefined;
    for (const v of this.visitors) {
      if (atMs - v.lastMs > this.visitGapMs) continue; // that visit is over
      const live = [...this.byTrack.entries()].some(([k, t]) => t === v && k !== trackKey && atMs - t.lastMs < 5_000);
      if (live && v.cameraId === cameraId) continue; // two people side by side
      if (v.cameraId !== cameraId && this.graph.places(v.cameraId) && this.graph.places(cameraId) && atMs - v.lastMs < this.graph.minTransitMs(v.cameraId, cameraId)) continue;
      const sim = cosineSimilarity(vector, v.vector);
      if (sim >= this.options.sameVisitor && (!best || sim > best.sim)) best = { v, sim };
    }
    const visitor: Visitor = { visitId: best?.v.visitId ?? this.newId(), vector, cameraId, trackKey, lastMs: atMs };
    if (best) {
      // The visitor moved on: the newest sighting stands for the visit.
      this.visitors.splice(this.visitors.indexOf(best.v), 1);
      for (const [k, t] of this.byTrack) if (t === best.v) this.byTrack.set(k, visitor);
    }
    this.visitors.push(visitor);
    this.byTrack.set(trackKey, visitor);
    return visitor.visitId;
  }

  /**
   * The camera's tracks ended (it stopped; its track ids start again): its tracks no longer stand
   * for their visitors, so a new person on a reused id gets their own visit. The visitors stay:
   * the same face on another camera still joins its visit.
   */
  releaseCamera(cameraId: string): void {
    for (const key of this.byTrack.keys()) if (key.startsWith(`${cameraId}/`)) this.byTrack.delete(key);
  }

  /** Drops vectors past retention. */
  expire(nowMs: number): void {
    for (let i = this.visitors.length - 1; i >= 0; i--) {
      const v = this.visitors[i]!;
      if (nowMs - v.lastMs >= this.retentionMs) {
        this.visitors.splice(i, 1);
        for (const [k, t] of this.byTrack) if (t === v) this.byTrack.delete(k);
      }
    }
  }
}
