import type { MatchDecision } from '../domain/open-set-matcher';
import { type IdentityMatchedEvent, type LiveFaceMatcher, LiveTrackIdentifier, type LiveSightingGate } from './live-track-identifier';

// Constructed sightings: the embedding's first value says who it is (1 = ann, 2 = a stranger,
// 3 = a weak resemblance of ann), so the scripted matcher stands in for the gallery search.
const ann = [1, 0];
const stranger = [2, 0];
const weakAnn = [3, 0];
const matcher: LiveFaceMatcher = {
  match: async (tenantId, q): Promise<MatchDecision> => {
    if (tenantId !== 'T') return { kind: 'UNKNOWN', similarity: -1 };
    if (q.embedding[0] === 1) return { kind: 'MATCH', personId: 'p-ann', similarity: 0.8 };
    if (q.embedding[0] === 3) return { kind: 'REVIEW', personId: 'p-ann', similarity: 0.55 };
    return { kind: 'UNKNOWN', similarity: 0.3 };
  },
};

function setup(gate?: LiveSightingGate) {
  const events: [string, IdentityMatchedEvent][] = [];
  const identifier = new LiveTrackIdentifier({
    matcher,
    names: { displayName: async (tenantId, id) => (tenantId === 'T' && id === 'p-ann' ? 'Ann' : null) },
    publisher: { identityMatched: (tenantId, e) => events.push([tenantId, e]) },
    ...(gate ? { gate } : {}),
  });
  return { identifier, events };
}

describe('LiveTrackIdentifier', () => {
  it('names a track after 5 agreeing frames, publishes identityMatched once, and labels it', async () => {
    const { identifier, events } = setup();
    for (let i = 0; i < 4; i++) identifier.onFaces('T', 'cam', i * 100, [{ trackId: 7, embedding: ann }]);
    await identifier.idle();
    expect(events).toEqual([]);
    expect(identifier.labels('T', 'cam')).toEqual([]);
    for (let i = 4; i < 9; i++) identifier.onFaces('T', 'cam', i * 100, [{ trackId: 7, embedding: ann }]);
    await identifier.idle();
    expect(events).toHaveLength(1);
    expect(events[0]![0]).toBe('T');
    expect(events[0]![1]).toMatchObject({ cameraId: 'cam', trackId: 7, personId: 'p-ann', displayName: 'Ann', similarity: 0.8 });
    expect(identifier.labels('T', 'cam').map((l) => [l.trackId, l.displayName])).toEqual([[7, 'Ann']]);
    // Another tenant asking about the same camera id sees nothing.
    expect(identifier.labels('OTHER', 'cam')).toEqual([]);
  });

  it('a stranger stays unknown, and weak (review-band) matches never name anyone', async () => {
    const { identifier, events } = setup();
    for (let i = 0; i < 10; i++) identifier.onFaces('T', 'cam', i * 100, [{ trackId: 1, embedding: stranger }, { trackId: 2, embedding: weakAnn }]);
    await identifier.idle();
    expect(events).toEqual([]);
    expect(identifier.labels('T', 'cam')).toEqual([]);
  });

  it('one stray matching frame among strangers does not name a track (the vote needs a majority)', async () => {
    const { identifier, events } = setup();
    const seq = [stranger, ann, stranger, stranger, ann, stranger, stranger];
    seq.forEach((e, i) => identifier.onFaces('T', 'cam', i * 100, [{ trackId: 3, embedding: e }]));
    await identifier.idle();
    expect(events).toEqual([]);
  });

  it('a name the sighting gate refuses is not shown, and the gate hears of an unknown track once', async () => {
    const seen: (string | null)[] = [];
    const gate: LiveSightingGate = {
      observe: async (_t, s) => {
        seen.push(s.personId);
        return s.personId ? { personId: null, rejected: 'TELEPORT' } : { personId: null };
      },
    };
    const { identifier, events } = setup(gate);
    for (let i = 0; i < 8; i++) identifier.onFaces('T', 'cam', i * 100, [{ trackId: 4, embedding: ann }, { trackId: 5, embedding: stranger }]);
    await identifier.idle();
    expect(events).toEqual([]);
    expect(identifier.labels('T', 'cam')).toEqual([]);
    expect(seen.filter((p) => p === 'p-ann')).toHaveLength(1);
    expect(seen.filter((p) => p === null)).toHaveLength(1);
  });

  it('bounds the work queued per camera: sightings beyond the limit are dropped and counted', async () => {
    let release!: () => void;
    const gateOpen = new Promise<void>((r) => (release = r));
    const slow: LiveFaceMatcher = { match: async (...a) => (await gateOpen, matcher.match(...a)) };
    const identifier = new LiveTrackIdentifier({
      matcher: slow,
      names: { displayName: async () => 'Ann' },
      publisher: { identityMatched: () => undefined },
      maxPendingPerCamera: 2,
    });
    for (let i = 0; i < 5; i++) identifier.onFaces('T', 'cam', i, [{ trackId: 1, embedding: ann }]);
    expect(identifier.dropped).toBe(3);
    release();
    await identifier.idle();
  });
});
