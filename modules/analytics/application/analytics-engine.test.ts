import { ManualClock } from '@trinetra/shared';
import type { AnalyticsTrack } from '../domain/analytics-frame';
import type { AnalyticsBatch } from '../infra/analytics-write.repository';
import { AnalyticsEngine } from './analytics-engine';
import type { ZoneStatsUpdate } from './analytics-ports';

const T = '00000000-0000-4000-8000-000000000001';
const CAM = 'cam-1';
const ZONES = [
  {
    id: 'area',
    kind: 'AREA' as const,
    polygon: [
      [0, 0],
      [0.5, 0],
      [0.5, 1],
      [0, 1],
    ],
  },
];

function track(trackId: number, x: number): AnalyticsTrack {
  return { trackId, box: { x: x - 10, y: 100, width: 20, height: 80 }, keypoints: [] };
}

function setup(store: (batch: AnalyticsBatch) => Promise<void> = async () => undefined) {
  const clock = new ManualClock(1_000_000);
  const batches: AnalyticsBatch[] = [];
  const updates: ZoneStatsUpdate[] = [];
  const errors: string[] = [];
  const engine = new AnalyticsEngine(
    {
      config: { load: async () => ({ zones: ZONES, rules: [] }) },
      store: {
        write: async (_t, batch) => {
          batches.push(batch);
          await store(batch);
        },
      },
      publisher: { zoneStatsUpdated: (_t, u) => updates.push(u), alertRaised: () => undefined },
      logger: { warn: (_c, m) => errors.push(m), error: (_c, m) => errors.push(m) },
      clock,
    },
    { idleCameraMs: 5_000, analytics: { presence: { enterFrames: 1, exitFrames: 1 } } },
  );
  let ts = 0;
  const frame = (...tracks: AnalyticsTrack[]) => engine.onTracked(T, CAM, { captureTs: (ts += 100), width: 200, height: 200, tracks });
  return { clock, engine, batches, updates, errors, frame };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('AnalyticsEngine', () => {
  it('skips frames until the zones are loaded, then batches events per flush', async () => {
    const { engine, batches, updates, frame } = setup();
    frame(track(1, 50));
    await settle();
    frame(track(1, 50));
    await engine.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.zoneEvents.map((e) => e.kind)).toEqual(['ENTER']);
    expect(batches[0]!.heatmaps).toHaveLength(1);
    expect(updates.at(-1)).toMatchObject({ zoneId: 'area', occupancy: 1, entries: 1 });
  });

  it('closes open visits when the zones change, and reloads them', async () => {
    const { engine, batches, frame } = setup();
    frame(track(1, 50));
    await settle();
    frame(track(1, 50));
    engine.invalidate(T, CAM);
    await engine.flush();
    expect(batches.flatMap((b) => b.zoneEvents.map((e) => e.kind))).toEqual(['ENTER', 'EXIT']);
    expect(engine.occupancy(T, CAM, 'area')).toBeNull();
  });

  it('closes a camera that stopped sending frames and frees its state', async () => {
    const { engine, batches, clock, frame } = setup();
    frame(track(1, 50));
    await settle();
    frame(track(1, 50));
    await engine.flush();
    clock.advance(6_000);
    await engine.flush();
    expect(batches.flatMap((b) => b.zoneEvents.map((e) => e.kind))).toEqual(['ENTER', 'EXIT']);
    expect(engine.occupancy(T, CAM, 'area')).toBeNull();
  });

  it('counts and logs a batch that cannot be written, and still publishes live figures', async () => {
    const { engine, updates, errors, frame } = setup(async () => {
      throw new Error('postgres down');
    });
    frame(track(1, 50));
    await settle();
    frame(track(1, 50));
    await engine.flush();
    expect(engine.failedWrites).toBe(1);
    expect(errors).toEqual(['analytics: batch write failed; batch dropped']);
    expect(updates).toHaveLength(1);
  });

  it('ignores another tenant asking about a camera it does not own', async () => {
    const { engine, frame } = setup();
    frame(track(1, 50));
    await settle();
    frame(track(1, 50));
    expect(engine.occupancy(T, CAM, 'area')).toBe(1);
    expect(engine.occupancy('00000000-0000-4000-8000-000000000002', CAM, 'area')).toBeNull();
  });
});
