import { AnalyticsEngine, type PersonRecognized } from '@trinetra/analytics';
import type { TenantDbFactory } from '@trinetra/db';
import type { IdentityMatchedPublisher, IdentityVisitEvent } from '@trinetra/identity';
import { ManualClock } from '@trinetra/shared';
import { identityMatchedFanOut, IdentityToAnalytics } from './identity-analytics.adapter';

type Batch = Parameters<ConstructorParameters<typeof AnalyticsEngine>[0]['store']['write']>[1];

const T = '00000000-0000-4000-8000-000000000001';
const AREA = {
  id: 'entrance',
  kind: 'AREA' as const,
  polygon: [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ],
};
// The strictest identity rules a tenant can set: VIP with any cooldown, repeat visitor from visit 2.
const RULES = [
  { id: 'vip', zoneId: 'entrance', kind: 'VIP_ARRIVAL' as const, threshold: 1 },
  { id: 'rep', zoneId: 'entrance', kind: 'REPEAT_VISITOR' as const, threshold: 2 },
];

/** A tenant database that must not be asked: an anonymous visitor has nothing to look up. */
const noDb = (() => {
  throw new Error('the database was asked about an anonymous visitor');
}) as unknown as TenantDbFactory;

function visit(over: Partial<IdentityVisitEvent> = {}): IdentityVisitEvent {
  return { cameraId: 'cam-a', trackId: 3, visitId: 'v-1', at: new Date(1_000), ...over };
}

describe('IdentityToAnalytics: anonymous visits', () => {
  it('forwards a visit id as PersonRecognized keyed visit:<id>: no person, no name, not a VIP, visit 1', () => {
    const got: [string, PersonRecognized][] = [];
    const errors: unknown[] = [];
    const adapter = new IdentityToAnalytics(noDb, { personRecognized: (t, e) => got.push([t, e]) }, (e) => errors.push(e));
    adapter.identityVisit(T, visit());
    expect(got).toEqual([
      [T, { cameraId: 'cam-a', trackId: 3, personKey: 'visit:v-1', personId: null, displayName: null, vip: false, visitNumber: 1, at: new Date(1_000) }],
    ]);
    expect(errors).toEqual([]);
  });

  it('stamps the visit key on the real engine zone events and raises neither VIP_ARRIVAL nor REPEAT_VISITOR', async () => {
    const batches: Batch[] = [];
    const engine = new AnalyticsEngine(
      {
        config: { load: async () => ({ zones: [AREA], rules: RULES }) },
        store: { write: async (_t, batch) => void batches.push(batch) },
        publisher: { zoneStatsUpdated: () => undefined, alertRaised: () => undefined },
        logger: { warn: () => undefined, error: () => undefined },
        clock: new ManualClock(1_000_000),
      },
      { analytics: { presence: { enterFrames: 1, exitFrames: 1, goneAfterMs: 500 } } },
    );
    const adapter = new IdentityToAnalytics(noDb, engine, (e) => {
      throw e;
    });
    let ts = 0;
    const frame = (trackIds: number[]) =>
      engine.onTracked(T, 'cam-a', { captureTs: (ts += 100), width: 200, height: 200, tracks: trackIds.map((trackId) => ({ trackId, box: { x: 90, y: 100, width: 20, height: 80 }, keypoints: [] })) });
    frame([3]);
    await new Promise((r) => setImmediate(r)); // the zones load on the first frame
    frame([3, 4]);
    adapter.identityVisit(T, visit({ at: new Date(ts) }));
    // The same visitor seen again (another camera's track would carry the same id) and a second stranger.
    adapter.identityVisit(T, visit({ at: new Date(ts), trackId: 3 }));
    adapter.identityVisit(T, visit({ at: new Date(ts), trackId: 4, visitId: 'v-2' }));
    frame([3, 4]);
    for (let i = 0; i < 8; i += 1) frame([]); // both gone: their visits close
    await engine.flush();
    expect(batches.flatMap((b) => b.alerts)).toEqual([]);
    const exits = batches.flatMap((b) => b.zoneEvents).filter((e) => e.kind === 'EXIT');
    expect(exits.map((e) => [e.trackId, e.personKey])).toEqual([
      [3, 'visit:v-1'],
      [4, 'visit:v-2'],
    ]);
    await engine.close();
  });
});

describe('identityMatchedFanOut', () => {
  it('hands a visit to the receivers that take visits and skips the others (the live view takes none)', () => {
    const seen: string[] = [];
    const liveView: IdentityMatchedPublisher = { identityMatched: () => seen.push('live:matched') };
    const analytics: IdentityMatchedPublisher = { identityMatched: () => undefined, identityVisit: (_t, e) => seen.push(`analytics:${e.visitId}`) };
    const fanOut = identityMatchedFanOut(liveView, analytics);
    fanOut.identityVisit(T, visit());
    expect(seen).toEqual(['analytics:v-1']);
  });
});
