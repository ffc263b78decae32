import { ManualClock } from '@trinetra/shared';
import type { AnalyticsTrack } from '../domain/analytics-frame';
import type { AnalyticsBatch } from '../infra/analytics-write.repository';
import { AnalyticsEngine } from './analytics-engine';
import type { PersonRecognized } from './identity-events';

const T = '00000000-0000-4000-8000-000000000001';
const CAM = 'cam-1';
const AREA = {
  id: 'entrance',
  kind: 'AREA' as const,
  polygon: [
    [0, 0],
    [0.5, 0],
    [0.5, 1],
    [0, 1],
  ],
};
const RULES = [
  { id: 'vip', zoneId: 'entrance', kind: 'VIP_ARRIVAL' as const, threshold: 60 },
  { id: 'rep', zoneId: 'entrance', kind: 'REPEAT_VISITOR' as const, threshold: 2 },
];

function track(trackId: number, x: number): AnalyticsTrack {
  return { trackId, box: { x: x - 10, y: 100, width: 20, height: 80 }, keypoints: [] };
}

function setup() {
  const batches: AnalyticsBatch[] = [];
  const counted = { vip: 0, journeys: 0, dwell: [] as number[] };
  const engine = new AnalyticsEngine(
    {
      config: { load: async () => ({ zones: [AREA], rules: RULES }) },
      store: { write: async (_t, batch) => void batches.push(batch) },
      publisher: { zoneStatsUpdated: () => undefined, alertRaised: () => undefined },
      logger: { warn: () => undefined, error: () => undefined },
      clock: new ManualClock(1_000_000),
      metrics: { vipAlert: () => (counted.vip += 1), journeysCompleted: (n) => (counted.journeys += n), dwellObserved: (s) => counted.dwell.push(s) },
    },
    { analytics: { presence: { enterFrames: 1, exitFrames: 1, goneAfterMs: 500 } } },
  );
  let ts = 0;
  const frame = (...tracks: AnalyticsTrack[]) => engine.onTracked(T, CAM, { captureTs: (ts += 100), width: 200, height: 200, tracks });
  const named = (over: Partial<PersonRecognized> = {}): PersonRecognized => ({
    cameraId: CAM,
    trackId: 1,
    personKey: 'person:p1',
    personId: 'p1',
    displayName: 'Asha',
    vip: true,
    visitNumber: 3,
    at: new Date(ts),
    ...over,
  });
  return { engine, batches, counted, frame, named };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('AnalyticsEngine and identity events (constructed events, no identity module)', () => {
  it('raises VIP_ARRIVAL and REPEAT_VISITOR once, counts the VIP alert, and stamps the person key on zone events', async () => {
    const { engine, batches, counted, frame, named } = setup();
    frame(track(1, 50));
    await settle();
    engine.personRecognized(T, named());
    engine.personRecognized(T, named()); // named again on the next frame: no second alert
    frame(track(1, 50));
    frame(track(1, 150)); // leaves the zone
    for (let i = 0; i < 8; i += 1) frame(); // gone: the journey completes
    await engine.flush();
    const alerts = batches.flatMap((b) => b.alerts);
    expect(alerts.map((a) => [a.kind, a.zoneId, a.trackId, a.value, a.message])).toEqual([
      ['VIP_ARRIVAL', 'entrance', 1, 3, 'VIP Asha arrived (visit 3)'],
      ['REPEAT_VISITOR', 'entrance', 1, 3, 'Asha is back: visit 3 (rule from visit 2)'],
    ]);
    expect(counted.vip).toBe(1);
    const events = batches.flatMap((b) => b.zoneEvents);
    // The first frame only loaded the zones; the track entered after identity named it.
    expect(events.map((e) => [e.kind, e.personKey])).toEqual([
      ['ENTER', 'person:p1'],
      ['EXIT', 'person:p1'],
    ]);
    expect(counted.journeys).toBe(1);
    expect(counted.dwell).toHaveLength(1);
  });

  it('forgets person keys when the camera stops: a new person on a reused track id is not the previous one', async () => {
    const { engine, batches, frame, named } = setup();
    frame(track(1, 50));
    await settle();
    engine.personRecognized(T, named({ personKey: 'visit:v-1', personId: null, displayName: null, vip: false, visitNumber: 1 }));
    frame(track(1, 50));
    // Stopped while track 1 is inside: its visit closes now, still as visit:v-1.
    engine.tracksEnded(T, CAM);
    // Restarted: the tracker numbers from 1 again, and this is someone else, not yet recognised.
    frame(track(1, 50));
    await settle();
    frame(track(1, 50));
    frame(track(1, 150));
    await engine.flush();
    const events = batches.flatMap((b) => b.zoneEvents);
    expect(events.map((e) => [e.kind, e.personKey])).toEqual([
      ['ENTER', 'visit:v-1'],
      ['EXIT', 'visit:v-1'],
      ['ENTER', null],
      ['EXIT', null],
    ]);
    // Another tenant's stop of the same camera id changes nothing.
    engine.personRecognized(T, named({ personKey: 'visit:v-2' }));
    engine.tracksEnded('00000000-0000-4000-8000-000000000002', CAM);
    frame(track(1, 50));
    frame(track(1, 150));
    await engine.flush();
    expect(batches.flatMap((b) => b.zoneEvents).slice(4).map((e) => e.personKey)).toEqual(['visit:v-2', 'visit:v-2']);
  });

  it('drops events for a camera this process does not analyse, and for another tenant', async () => {
    const { engine, batches, frame, named } = setup();
    engine.personRecognized(T, named());
    expect(engine.droppedIdentityEvents).toBe(1);
    frame(track(1, 50));
    await settle();
    engine.personRecognized('00000000-0000-4000-8000-000000000002', named());
    expect(engine.droppedIdentityEvents).toBe(2);
    await engine.flush();
    expect(batches.flatMap((b) => b.alerts)).toEqual([]);
  });

  it('does not evaluate identity rules on frames (a VIP rule never fires as loitering)', async () => {
    const { engine, batches, frame } = setup();
    frame(track(1, 50));
    await settle();
    for (let i = 0; i < 50; i += 1) frame(track(1, 50));
    await engine.flush();
    expect(batches.flatMap((b) => b.alerts)).toEqual([]);
  });
});
