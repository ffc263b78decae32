import type { MatchDecision } from '../domain/open-set-matcher';
import { type IdentityWeakMatchEvent, type LiveFaceMatcher, LiveTrackIdentifier } from './live-track-identifier';

// Constructed sightings (first value: who; second: the matched similarity for ann) and a manual
// clock: the capture times passed to onFaces are the only clock the identifier reads.
const matcher: LiveFaceMatcher = {
  match: async (_tenantId, q): Promise<MatchDecision> => {
    if (q.embedding[0] === 1) return { kind: 'MATCH', personId: 'p-ann', similarity: q.embedding[1] ?? 0.8 };
    if (q.embedding[0] === 3) return { kind: 'REVIEW', personId: 'p-ann', similarity: 0.55 };
    return { kind: 'UNKNOWN', similarity: 0.3 };
  },
};

function setup() {
  const refreshes: { tenantId: string; personId: string; sighting: readonly number[]; quality: number }[] = [];
  const weak: [string, IdentityWeakMatchEvent][] = [];
  const identifier = new LiveTrackIdentifier({
    matcher,
    names: { displayName: async () => 'Ann' },
    publisher: { identityMatched: () => undefined, identityWeakMatch: (t, e) => weak.push([t, e]) },
    gallery: {
      refreshFromSighting: async (tenantId, personId, _model, sighting, quality) => {
        refreshes.push({ tenantId, personId, sighting, quality });
        return true;
      },
    },
    refreshEveryMs: 60_000,
  });
  return { identifier, refreshes, weak };
}

/** Five frames of one track of ann starting at `t0`, with the given similarities and quality. */
function walk(identifier: LiveTrackIdentifier, trackId: number, t0: number, sims: readonly number[], quality?: number): void {
  sims.forEach((s, i) => identifier.onFaces('T', 'cam', t0 + i * 100, [{ trackId, embedding: [1, s], ...(quality === undefined ? {} : { quality }) }]));
}

describe('LiveTrackIdentifier gallery refresh (EMA from live sightings)', () => {
  it("refreshes a named person's gallery once from the track's best high-quality sighting", async () => {
    const { identifier, refreshes } = setup();
    walk(identifier, 1, 0, [0.8, 0.9, 0.85, 0.82, 0.81], 0.95);
    await identifier.idle();
    expect(refreshes).toEqual([{ tenantId: 'T', personId: 'p-ann', sighting: [1, 0.9], quality: 0.95 }]);
  });

  it('never refreshes from low-quality sightings or sightings without a quality', async () => {
    const { identifier, refreshes } = setup();
    walk(identifier, 1, 0, [0.9, 0.9, 0.9, 0.9, 0.9], 0.5);
    walk(identifier, 2, 1000, [0.9, 0.9, 0.9, 0.9, 0.9]);
    await identifier.idle();
    expect(refreshes).toEqual([]);
  });

  it('rate-limits per person: at most one refresh a minute however many tracks name them', async () => {
    const { identifier, refreshes } = setup();
    walk(identifier, 1, 0, [0.9, 0.9, 0.9, 0.9, 0.9], 0.9);
    walk(identifier, 2, 10_000, [0.9, 0.9, 0.9, 0.9, 0.9], 0.9);
    walk(identifier, 3, 59_000, [0.9, 0.9, 0.9, 0.9, 0.9], 0.9);
    await identifier.idle();
    expect(refreshes).toHaveLength(1);
    walk(identifier, 4, 61_000, [0.9, 0.9, 0.9, 0.9, 0.9], 0.9);
    await identifier.idle();
    expect(refreshes).toHaveLength(2);
  });
});

describe('LiveTrackIdentifier weak matches', () => {
  it('publishes identityWeakMatch once per review-band track, without any person id or name', async () => {
    const { identifier, weak } = setup();
    for (let i = 0; i < 10; i++) identifier.onFaces('T', 'cam', i * 100, [{ trackId: 5, embedding: [3, 0] }, { trackId: 6, embedding: [2, 0] }]);
    identifier.onFaces('T', 'cam', 2000, [{ trackId: 8, embedding: [3, 0] }]);
    await identifier.idle();
    expect(weak).toEqual([
      ['T', { cameraId: 'cam', trackId: 5, similarity: 0.55, at: new Date(0) }],
      ['T', { cameraId: 'cam', trackId: 8, similarity: 0.55, at: new Date(2000) }],
    ]);
    expect(JSON.stringify(weak)).not.toMatch(/p-ann|Ann/);
  });

  it('lists the current weak tracks for a page opened late: no person, not once named, not for another tenant, gone with the track', async () => {
    const { identifier } = setup();
    // Track 5 stays weak; track 7 was weak first and then named (its name wins); track 6 is a stranger.
    identifier.onFaces('T', 'cam', 0, [{ trackId: 5, embedding: [3, 0] }, { trackId: 6, embedding: [2, 0] }, { trackId: 7, embedding: [3, 0] }]);
    for (let i = 1; i <= 5; i++) identifier.onFaces('T', 'cam', i * 100, [{ trackId: 5, embedding: [3, 0] }, { trackId: 7, embedding: [1, 0.8] }]);
    await identifier.idle();
    expect(identifier.weakMatches('T', 'cam')).toEqual([{ cameraId: 'cam', trackId: 5, similarity: 0.55, at: new Date(0) }]);
    expect(identifier.labels('T', 'cam').map((l) => l.trackId)).toEqual([7]);
    expect(JSON.stringify(identifier.weakMatches('T', 'cam'))).not.toMatch(/p-ann|Ann/);
    expect(identifier.weakMatches('OTHER', 'cam')).toEqual([]);
    expect(identifier.weakMatches('T', 'other-cam')).toEqual([]);
    // Unseen for longer than forgetAfterMs (30 s of capture time): the track and its badge go.
    identifier.onFaces('T', 'cam', 40_000, [{ trackId: 9, embedding: [2, 0] }]);
    await identifier.idle();
    expect(identifier.weakMatches('T', 'cam')).toEqual([]);
  });
});

describe('LiveTrackIdentifier visit numbers', () => {
  it('carries the visit number identity recorded on identityMatched and the labels; a person gone meanwhile is not named', async () => {
    const named: number[] = [];
    const visits = new Map<string, number>([['p-ann', 3]]);
    const identifier = new LiveTrackIdentifier({
      matcher,
      names: { displayName: async () => 'Ann' },
      publisher: { identityMatched: (_t, e) => named.push(e.visitNumber) },
      visits: { recordSighting: async (_t, personId) => visits.get(personId) ?? null },
    });
    walk(identifier, 1, 0, [0.8, 0.8, 0.8, 0.8, 0.8]);
    await identifier.idle();
    expect(named).toEqual([3]);
    expect(identifier.labels('T', 'cam').map((l) => l.visitNumber)).toEqual([3]);
    visits.clear();
    walk(identifier, 2, 1000, [0.8, 0.8, 0.8, 0.8, 0.8]);
    await identifier.idle();
    expect(named).toEqual([3]);
  });
});
