import { AlertRuleEvaluator } from './alert-rules';
import { footPoint, type AnalyticsTrack } from './analytics-frame';
import { CameraAnalytics } from './camera-analytics';
import { HEATMAP_COLS, HEATMAP_ROWS, HeatmapAccumulator } from './heatmap.grid';

function person(trackId: number, footX: number, footY: number, ankles = true): AnalyticsTrack {
  const keypoints = Array.from({ length: 17 }, () => ({ x: footX, y: footY - 100, score: 0.9 }));
  keypoints[15] = { x: footX - 5, y: footY, score: ankles ? 0.9 : 0.1 };
  keypoints[16] = { x: footX + 5, y: footY, score: ankles ? 0.9 : 0.1 };
  return { trackId, box: { x: footX - 20, y: footY - 150, width: 40, height: 160 }, keypoints };
}

describe('footPoint', () => {
  it.each([
    ['mid of the ankles when both are seen', person(1, 100, 200), { x: 100 / 400, y: 200 / 300 }],
    ['bottom centre of the box otherwise', person(1, 100, 200, false), { x: 100 / 400, y: 210 / 300 }],
    ['bottom centre of the box without keypoints', { trackId: 1, box: { x: 0, y: 0, width: 40, height: 150 }, keypoints: [] }, { x: 20 / 400, y: 0.5 }],
  ] as const)('%s', (_name, track, expected) => {
    expect(footPoint(track, 400, 300)).toEqual(expected);
  });
});

describe('HeatmapAccumulator', () => {
  it('counts points per cell per minute and hands out what accumulated since the last take', () => {
    const heat = new HeatmapAccumulator();
    heat.add(1_000, [
      { x: 0, y: 0 },
      { x: 0.999, y: 0.999 },
      { x: 1, y: 1 },
    ]);
    heat.add(2_000, [{ x: 0, y: 0 }]);
    const [first] = heat.take();
    expect(first!.bucketStart).toBe(0);
    expect(first!.cells.length).toBe(HEATMAP_COLS * HEATMAP_ROWS);
    expect(first!.cells[0]).toBe(2);
    expect(first!.cells[HEATMAP_COLS * HEATMAP_ROWS - 1]).toBe(2);
    expect(heat.take()).toEqual([]);
    heat.add(59_000, [{ x: 0.5, y: 0.5 }]);
    heat.add(61_000, [{ x: 0.5, y: 0.5 }]);
    expect(heat.take().map((b) => b.bucketStart)).toEqual([0, 60_000]);
  });
});

describe('AlertRuleEvaluator', () => {
  it('fires loitering once per visit and occupancy once per episode', () => {
    const rules = new AlertRuleEvaluator([
      { id: 'loiter', zoneId: 'Z', kind: 'LOITERING', threshold: 2 },
      { id: 'crowd', zoneId: 'Z', kind: 'OCCUPANCY', threshold: 1 },
    ]);
    const visits = [
      { zoneId: 'Z', trackId: 1, enteredAt: 0 },
      { zoneId: 'Z', trackId: 2, enteredAt: 1_000 },
    ];
    const fired = (ts: number, occupancy: number, open = visits) => rules.evaluate(ts, open, () => occupancy).map((a) => `${a.ruleId}:${a.trackId ?? '-'}`);
    expect(fired(1_000, 2)).toEqual(['crowd:-']);
    expect(fired(2_500, 2)).toEqual(['loiter:1']);
    expect(fired(3_500, 2)).toEqual(['loiter:2']);
    expect(fired(4_000, 1, [])).toEqual([]);
    expect(fired(4_100, 2, [])).toEqual(['crowd:-']);
  });
});

describe('CameraAnalytics', () => {
  const zones = [
    {
      id: 'area',
      kind: 'AREA' as const,
      polygon: [
        [0, 0.5],
        [0.5, 0.5],
        [0.5, 1],
        [0, 1],
      ],
    },
    {
      id: 'line',
      kind: 'LINE' as const,
      polygon: [
        [0.75, 0],
        [0.75, 1],
      ],
    },
  ];

  it('turns a walk through a zone and over a line into a visit, a crossing and buckets', () => {
    const analytics = new CameraAnalytics(
      { zones, rules: [{ id: 'r', zoneId: 'area', kind: 'LOITERING', threshold: 0.5 }] },
      { presence: { enterFrames: 2, exitFrames: 2 }, lines: { confirmFrames: 2 } },
    );
    const events = [];
    // 400x300 image, feet at y = 270 (inside the area's rows); walk right 40 px per 100 ms frame.
    for (let i = 0; i <= 9; i += 1)
      events.push(analytics.update({ captureTs: 60_000 + i * 100, width: 400, height: 300, tracks: [person(1, 20 + i * 40, 270)] }));
    const presence = events.flatMap((e) => e.presence);
    expect(presence.map((e) => e.kind)).toEqual(['enter', 'exit']);
    expect(presence[1]).toMatchObject({ enteredAt: 60_000, exitedAt: 60_400, dwellMs: 400 });
    expect(events.flatMap((e) => e.crossings)).toMatchObject([{ lineId: 'line', direction: 'OUT', at: 60_800 }]);
    expect(events.flatMap((e) => e.alerts)).toEqual([]);
    const buckets = analytics.takeBuckets();
    expect(buckets.heatmaps).toHaveLength(1);
    expect(buckets.heatmaps[0]!.cells.reduce((a, b) => a + b, 0)).toBe(10);
    expect(buckets.occupancy).toEqual([{ zoneId: 'area', bucketStart: 60_000, max: 1, sum: 5, samples: 10 }]);
  });
});
