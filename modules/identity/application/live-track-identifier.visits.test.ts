import { CameraGraph } from '../domain/camera-graph';
import type { MatchDecision } from '../domain/open-set-matcher';
import type { CameraGraphService } from './camera-graph.service';
import { IdentityMetrics } from './identity-metrics';
import type { IdentitySettingsService } from './identity-settings.service';
import { IdentitySightingsService } from './identity-sightings.service';
import { type IdentityMatchedEvent, type IdentityVisitEvent, type LiveFaceMatcher, type LiveSightingGate, LiveTrackIdentifier } from './live-track-identifier';

// Constructed unit vectors: the first axis is ann (enrolled), the others strangers never enrolled.
// The scripted matcher stands in for the gallery: only ann's axis matches anyone.
const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const ann = unit(1, 0, 0, 0);
const stranger = unit(0, 1, 0.05, 0);
/** The same stranger on another camera: another angle, cosine 0.99 to `stranger`. */
const strangerElsewhere = unit(0, 1, 0.2, 0);
const otherStranger = unit(0, 0, 0, 1);
const matcher: LiveFaceMatcher = {
  match: async (_t, q): Promise<MatchDecision> => (q.embedding[0]! > 0.9 ? { kind: 'MATCH', personId: 'p-ann', similarity: 0.8 } : { kind: 'UNKNOWN', similarity: 0.2 }),
};

function setup(gate: LiveSightingGate) {
  const visits: [string, IdentityVisitEvent][] = [];
  const named: IdentityMatchedEvent[] = [];
  const identifier = new LiveTrackIdentifier({
    matcher,
    names: { displayName: async () => 'Ann' },
    publisher: { identityMatched: (_t, e) => named.push(e), identityVisit: (t, e) => visits.push([t, e]) },
    gate,
  });
  /** `frames` frames of one face per track on a camera, 100 ms apart from `t0`. */
  const show = (cameraId: string, t0: number, frames: number, faces: { trackId: number; embedding: readonly number[] }[]) => {
    for (let i = 0; i < frames; i++) identifier.onFaces('T', cameraId, t0 + i * 100, faces);
  };
  return { identifier, visits, named, show };
}

/** The tenant's real sighting rules (visit registry included) with an empty camera graph. */
function realGate(): LiveSightingGate {
  const graphs = { graph: async () => new CameraGraph([]), onChange: () => undefined } as unknown as CameraGraphService;
  const settings = { get: async () => ({ unknownRetentionHours: 24 }), onChange: () => undefined } as unknown as IdentitySettingsService;
  const sightings = new IdentitySightingsService(graphs, settings, new IdentityMetrics());
  return { observe: (tenantId, s) => sightings.observe(tenantId, s), endCamera: (tenantId, cameraId) => sightings.endCamera(tenantId, cameraId) };
}

describe('LiveTrackIdentifier: anonymous visits of unknown tracks', () => {
  it("publishes identityVisit once per unknown track with the gate's visit id, and nothing for a named track", async () => {
    const asked: (string | null)[] = [];
    const gate: LiveSightingGate = {
      observe: async (_t, s) => {
        asked.push(s.personId);
        return { personId: s.personId, visitId: s.personId === null ? `visit-of-${s.trackId}` : null };
      },
    };
    const { identifier, visits, named, show } = setup(gate);
    show('cam', 0, 20, [
      { trackId: 1, embedding: ann },
      { trackId: 2, embedding: stranger },
    ]);
    await identifier.idle();
    expect(named.map((e) => e.trackId)).toEqual([1]);
    expect(visits).toEqual([['T', { cameraId: 'cam', trackId: 2, visitId: 'visit-of-2', at: new Date(400) }]]);
    // Nothing but the four fields: no vector, no person, no name.
    expect(Object.keys(visits[0]![1]).sort()).toEqual(['at', 'cameraId', 'trackId', 'visitId']);
    // The live view's labels stay names only.
    expect(identifier.labels('T', 'cam').map((l) => l.trackId)).toEqual([1]);
    expect(asked).toEqual(['p-ann', null]);
  });

  it('a stranger on two cameras gets the same visit id from the real visit registry; another stranger a different one', async () => {
    const { identifier, visits, named, show } = setup(realGate());
    show('entrance', 0, 6, [{ trackId: 1, embedding: stranger }]);
    await identifier.idle();
    // Two minutes later: the same face on the till camera, and someone else beside them.
    show('till', 120_000, 6, [
      { trackId: 9, embedding: strangerElsewhere },
      { trackId: 10, embedding: otherStranger },
    ]);
    await identifier.idle();
    expect(named).toEqual([]);
    const byTrack = new Map(visits.map(([, e]) => [`${e.cameraId}/${e.trackId}`, e.visitId]));
    expect([...byTrack.keys()].sort()).toEqual(['entrance/1', 'till/10', 'till/9']);
    expect(byTrack.get('till/9')).toBe(byTrack.get('entrance/1'));
    expect(byTrack.get('till/10')).not.toBe(byTrack.get('entrance/1'));
    expect(byTrack.get('entrance/1')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a camera that stopped (forgetCamera) gives the next stranger on a reused track id a new visit', async () => {
    const { identifier, visits, show } = setup(realGate());
    show('door', 0, 6, [{ trackId: 1, embedding: stranger }]);
    await identifier.idle();
    identifier.forgetCamera('door');
    // Restarted: the tracker numbers from 1 again, and this is someone else.
    show('door', 5_000, 6, [{ trackId: 1, embedding: otherStranger }]);
    await identifier.idle();
    expect(visits).toHaveLength(2);
    expect(visits[1]![1].visitId).not.toBe(visits[0]![1].visitId);
  });

  it('a name the gate refuses leaves the track an anonymous visitor, published once', async () => {
    const gate: LiveSightingGate = { observe: async (_t, s) => ({ personId: null, ...(s.personId ? { rejected: 'TOO_FAST' } : {}), visitId: 'v-refused' }) };
    const { identifier, visits, named, show } = setup(gate);
    show('cam', 0, 12, [{ trackId: 4, embedding: ann }]);
    await identifier.idle();
    expect(named).toEqual([]);
    expect(visits.map(([, e]) => [e.trackId, e.visitId])).toEqual([[4, 'v-refused']]);
  });

  it('publishes nothing when the gate gives no visit id, or the publisher takes no visits', async () => {
    const none = setup({ observe: async () => ({ personId: null, visitId: null }) });
    none.show('cam', 0, 10, [{ trackId: 5, embedding: stranger }]);
    await none.identifier.idle();
    expect(none.visits).toEqual([]);

    const errors: unknown[] = [];
    const identifier = new LiveTrackIdentifier({
      matcher,
      names: { displayName: async () => 'Ann' },
      publisher: { identityMatched: () => undefined },
      gate: { observe: async () => ({ personId: null, visitId: 'v' }) },
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 10; i++) identifier.onFaces('T', 'cam', i * 100, [{ trackId: 5, embedding: stranger }]);
    await identifier.idle();
    expect(errors).toEqual([]);
  });
});
