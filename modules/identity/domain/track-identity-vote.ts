import type { MatchDecision } from './open-set-matcher';

/** Frames of a track looked at before it may be named. */
export const DEFAULT_VOTE_WINDOW = 5;

/** A track's identity so far. */
export type TrackIdentity = { kind: 'NAMED'; personId: string } | { kind: 'UNKNOWN' } | { kind: 'PENDING'; framesSeen: number };

/**
 * Names a track only after a window of frames agree: one good frame must not name a track, and
 * one stray frame must not rename it. A track is NAMED when a strict majority of the last
 * `window` decisions are MATCHes to the same person and none of the others is a MATCH to
 * someone else; REVIEW frames count for nobody. Until `window` frames were seen it is PENDING;
 * otherwise UNKNOWN, and UNKNOWN stays unknown (never resolved to the nearest person).
 */
export class TrackIdentityVote {
  private readonly history: MatchDecision[] = [];

  constructor(private readonly window: number = DEFAULT_VOTE_WINDOW) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError('vote window must be a positive integer');
  }

  /** Adds one frame's decision and answers the track's identity. */
  observe(decision: MatchDecision): TrackIdentity {
    this.history.push(decision);
    if (this.history.length > this.window) this.history.shift();
    return this.current();
  }

  current(): TrackIdentity {
    if (this.history.length < this.window) return { kind: 'PENDING', framesSeen: this.history.length };
    const votes = new Map<string, number>();
    for (const d of this.history) if (d.kind === 'MATCH') votes.set(d.personId, (votes.get(d.personId) ?? 0) + 1);
    if (votes.size !== 1) return { kind: 'UNKNOWN' };
    const [[personId, count]] = [...votes] as [[string, number]];
    return count * 2 > this.window ? { kind: 'NAMED', personId } : { kind: 'UNKNOWN' };
  }
}
