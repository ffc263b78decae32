import { syntheticSquats } from '../testing/synthetic-athlete';
import { LiveMotionHub } from './live-motion.hub';
import type { FinishedMotionAnalysis, MetricUpdatedEvent, MotionAnalysisPublisher, MotionAnalysisRow, MotionAnalysisStore } from './motion-ports';

/** An in-memory store: the hub's contract with Postgres (claim once, finish once). */
function memoryStore(row: MotionAnalysisRow): MotionAnalysisStore & { finished: FinishedMotionAnalysis | null } {
  const store = {
    finished: null as FinishedMotionAnalysis | null,
    create: () => Promise.reject(new Error('unused')),
    get: () => Promise.resolve(row),
    page: () => Promise.resolve({ items: [], hasNextPage: false }),
    claim: () => {
      if (row.status !== 'QUEUED') return Promise.resolve(false);
      row.status = 'RUNNING';
      return Promise.resolve(true);
    },
    setProgress: () => Promise.resolve(),
    finish: (_t: string, _id: string, f: FinishedMotionAnalysis) => {
      if (row.status === 'DONE' || row.status === 'FAILED') return Promise.resolve(null);
      store.finished = f;
      row.status = f.status;
      return Promise.resolve({ ...row, reason: f.reason });
    },
    results: () => Promise.resolve([]),
    openLive: () => Promise.resolve([]),
  };
  return store;
}

function liveRow(windowStart: Date, windowEnd: Date, requestedTrackId: number | null = null): MotionAnalysisRow {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    tenantId: '22222222-2222-4222-8222-222222222222',
    sport: 'SQUAT',
    status: 'QUEUED',
    reason: null,
    reasonDetail: null,
    sourceKind: 'CAMERA_WINDOW',
    videoJobId: null,
    cameraId: '33333333-3333-4333-8333-333333333333',
    windowStart,
    windowEnd,
    filename: null,
    athleteHeightCm: 175,
    athleteMassKg: null,
    requestedTrackId,
    trackId: null,
    trackChoice: null,
    candidateTrackIds: [],
    fps: null,
    frameCount: null,
    progress: 0,
    metrics: null,
    phases: null,
    flags: null,
    signal: null,
    createdAt: windowStart,
    startedAt: null,
    finishedAt: null,
  };
}

describe('LiveMotionHub: a camera window analysed as frames arrive', () => {
  it('follows the largest person across track-id changes, publishes each rep once and stores the result at the end', async () => {
    const { series } = syntheticSquats(
      [
        { bottomKneeDeg: 90, downS: 1.2, upS: 1.0 },
        { bottomKneeDeg: 95, downS: 1.0, upS: 1.0 },
      ],
      { fps: 10, seed: 2 },
    );
    const t0 = Date.now();
    const row = liveRow(new Date(t0), new Date(t0 + (series.frames.length / 10) * 1000 + 500));
    const store = memoryStore(row);
    const metrics: MetricUpdatedEvent[] = [];
    const completed: MotionAnalysisRow[] = [];
    const publisher: MotionAnalysisPublisher = {
      progress: () => undefined,
      completed: (_t, a) => void completed.push(a),
      metricUpdated: (_t, e) => void metrics.push(e),
    };
    const hub = new LiveMotionHub(store, publisher, { onError: (e) => { throw e; }, graceMs: 0 });
    await hub.register(row);
    series.frames.forEach((kp, i) => {
      // The tracker renumbers the athlete every 20 frames; a small bystander stays in view.
      const athlete = kp ? [{ trackId: 1 + Math.floor(i / 20), keypoints: kp, box: { width: 200, height: 600 } }] : [];
      const bystander = { trackId: 99, keypoints: (kp ?? []).map((k) => ({ ...k, x: k.x + 400 })), box: { width: 50, height: 150 } };
      hub.onTracked(row.tenantId, row.cameraId!, { captureTs: t0 + i * 100, tracks: [...athlete, ...(kp ? [bystander] : [])] });
    });
    // A frame after the window ends it.
    hub.onTracked(row.tenantId, row.cameraId!, { captureTs: row.windowEnd!.getTime() + 100, tracks: [] });
    for (let i = 0; i < 50 && completed.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(metrics.map((m) => [m.event.kind, m.event.index])).toEqual([
      ['REP', 1],
      ['REP', 2],
    ]);
    expect(completed).toHaveLength(1);
    expect(store.finished).toMatchObject({ status: 'DONE', trackChoice: 'MAIN', metrics: expect.objectContaining({ repCount: 2 }) });
    expect(store.finished?.candidateTrackIds).toContain(99);
    expect(hub.active).toBe(0);
  });

  it('ends a window without frames as SOURCE_FAILED when its time is up', async () => {
    const t0 = Date.now();
    const row = liveRow(new Date(t0), new Date(t0 + 50));
    const store = memoryStore(row);
    const completed: MotionAnalysisRow[] = [];
    const hub = new LiveMotionHub(store, { progress: () => undefined, completed: (_t, a) => void completed.push(a), metricUpdated: () => undefined }, { onError: () => undefined, graceMs: 10 });
    await hub.register(row);
    for (let i = 0; i < 100 && completed.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(store.finished).toMatchObject({ status: 'FAILED', reason: 'SOURCE_FAILED' });
  });
});
