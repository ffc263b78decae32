import { cross, segmentsIntersect, type Point } from './polygon';

/** A counting line from `a` to `b`, normalized image coordinates. */
export interface CountingLine {
  id: string;
  a: Point;
  b: Point;
}

/**
 * `IN`: from the left of A->B to its right as seen on the image (y down), i.e. walking along
 * A->B the person passes from your left hand to your right; `OUT` the other way.
 */
export type CrossingDirection = 'IN' | 'OUT';

export interface LineCrossing {
  lineId: string;
  trackId: number;
  direction: CrossingDirection;
  /** Frame time of the first frame the anchor was clear of the line on its new side. */
  at: number;
}

/** Options of {@link LineCrossingCounter}; every field has a default. */
export interface LineCrossingCounterOptions {
  /**
   * Half-width of the band around the line, in image heights. Default 0.03. Inside the band a
   * point is on neither side, so a foot point jittering on the line changes nothing; wider
   * bands ignore more jitter but need a longer stride past the line to count.
   */
  margin?: number;
  /**
   * Consecutive frames the anchor must stay clear on the new side before the crossing counts.
   * Default 3. Higher ignores a person who steps over and straight back; it never delays the
   * crossing's time (the first frame on the new side).
   */
  confirmFrames?: number;
  /** A track unseen this long is forgotten. Default 3000 ms. */
  goneAfterMs?: number;
}

type Side = -1 | 0 | 1;

interface TrackLineState {
  /** The side the track last stayed on (0: not yet known). */
  settled: Side;
  /** Last point on the settled side, clear of the band. */
  settledPoint: Point;
  candidate: Side;
  candidateFrames: number;
  candidatePoint: Point;
  candidateAt: number;
}

/**
 * Counts line crossings once per crossing, by direction. A crossing is the anchor leaving one
 * side (clear of the band), reaching the other side clear of the band and staying there for
 * `confirmFrames` frames, with the step between the two passing through the segment (walking
 * around the end of the line is not a crossing). Distances are in image heights (x scaled by
 * the aspect ratio), so a margin means the same on wide and tall images.
 */
export class LineCrossingCounter {
  private readonly margin: number;
  private readonly confirmFrames: number;
  private readonly goneAfterMs: number;
  private readonly states = new Map<number, { lastSeenTs: number; lines: Map<string, TrackLineState> }>();

  constructor(
    readonly lines: readonly CountingLine[],
    options: LineCrossingCounterOptions = {},
  ) {
    this.margin = options.margin ?? 0.03;
    this.confirmFrames = options.confirmFrames ?? 3;
    this.goneAfterMs = options.goneAfterMs ?? 3000;
    if (!(this.margin >= 0)) throw new RangeError(`margin must be >= 0, got ${this.margin}`);
    if (!(Number.isInteger(this.confirmFrames) && this.confirmFrames >= 1))
      throw new RangeError(`confirmFrames must be an integer >= 1, got ${this.confirmFrames}`);
  }

  /** One frame: each track's anchor (normalized) and the image's aspect ratio (width / height). */
  update(ts: number, aspect: number, observations: readonly { trackId: number; point: Point }[]): LineCrossing[] {
    const crossings: LineCrossing[] = [];
    for (const { trackId, point } of observations) {
      let track = this.states.get(trackId);
      if (!track) {
        track = { lastSeenTs: ts, lines: new Map() };
        this.states.set(trackId, track);
      }
      track.lastSeenTs = ts;
      const q = { x: point.x * aspect, y: point.y };
      for (const line of this.lines) {
        const crossing = this.step(track.lines, line, aspect, q, ts);
        if (crossing) crossings.push({ lineId: line.id, trackId, ...crossing });
      }
    }
    for (const [trackId, track] of this.states) if (ts - track.lastSeenTs > this.goneAfterMs) this.states.delete(trackId);
    return crossings;
  }

  private step(
    states: Map<string, TrackLineState>,
    line: CountingLine,
    aspect: number,
    q: Point,
    ts: number,
  ): { direction: CrossingDirection; at: number } | null {
    const a = { x: line.a.x * aspect, y: line.a.y };
    const b = { x: line.b.x * aspect, y: line.b.y };
    const distance = cross(a, b, q) / Math.hypot(b.x - a.x, b.y - a.y);
    const side: Side = Math.abs(distance) <= this.margin ? 0 : distance > 0 ? 1 : -1;
    const s = states.get(line.id);
    if (!s) {
      if (side === 0) return null;
      states.set(line.id, { settled: side, settledPoint: q, candidate: 0, candidateFrames: 0, candidatePoint: q, candidateAt: ts });
      return null;
    }
    if (side === 0 || side === s.settled) {
      // Back in the band or on the old side: the move did not stay.
      s.candidate = 0;
      s.candidateFrames = 0;
      if (side !== 0) s.settledPoint = q;
      return null;
    }
    if (s.candidate !== side) {
      s.candidate = side;
      s.candidateFrames = 0;
      s.candidatePoint = q;
      s.candidateAt = ts;
    }
    s.candidateFrames += 1;
    if (s.candidateFrames < this.confirmFrames) return null;
    const through = segmentsIntersect(s.settledPoint, s.candidatePoint, a, b);
    const at = s.candidateAt;
    states.set(line.id, { settled: side, settledPoint: q, candidate: 0, candidateFrames: 0, candidatePoint: q, candidateAt: ts });
    return through ? { direction: side === 1 ? 'IN' : 'OUT', at } : null;
  }
}
