import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { encodeFrameMessage, renderSimulatorBackground } from '@trinetra/ingest';
import { encodeSimulatedFrame, type SimulatedPerson } from '@trinetra/shared';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { startTestWorker } from './support/test-worker';

const CREATE_CAMERA = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id } }`;
const UPSERT_ZONE = `mutation($input: UpsertZoneInput!) { upsertZone(input: $input) { id kind } }`;
const ZONE_STATS = `query($zoneId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $bucket: StatsBucket) {
  zoneStats(zoneId: $zoneId, from: $from, to: $to, bucket: $bucket) { zoneId entries exits occupancyMax buckets { start entries exits occupancyMax dwellMeanSeconds dwellP90Seconds } } }`;
const LINE_COUNTS = `query($lineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $bucket: StatsBucket) {
  lineCounts(lineId: $lineId, from: $from, to: $to, bucket: $bucket) { lineId in out buckets { start in out } } }`;
const HEATMAP = `query($cameraId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { heatmap(cameraId: $cameraId, from: $from, to: $to) { cols rows cells max total } }`;
const CREATE_RULE = `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id kind threshold cameraId } }`;
const ALERTS = `query($ack: Boolean) { alerts(first: 10, acknowledged: $ack) { edges { node { id kind trackId value threshold zoneId acknowledgedAt } } pageInfo { hasNextPage } } }`;
const ACK = `mutation($id: ID!) { acknowledgeAlert(id: $id) { id acknowledgedAt } }`;
const LIVE = `subscription($cameraId: ID!) { zoneStatsUpdated(cameraId: $cameraId) { zoneId kind occupancy entries exits in out } }`;
const ALERT_RAISED = `subscription { alertRaised { id kind trackId } }`;
const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;

/** The scripted scene: 640 x 360 at 20 frames per second of synthetic capture time. */
const W = 640;
const H = 360;
const FRAME_MS = 50;
/** AREA zone: x 0.35..0.65 of the width, the lower half of the image. */
const ZONE = [
  [0.35, 0.5],
  [0.65, 0.5],
  [0.65, 1],
  [0.35, 1],
];
/** Counting line: vertical at x = 0.8 (512 px), drawn downwards, so walking right is OUT. */
const LINE = [
  [0.8, 0.4],
  [0.8, 1],
];

/** COCO keypoints of a standing person as (dx, dy) in body heights from the top-centre (as modules/ingest/sources/simulator-scene.ts). */
const POSE: readonly (readonly [number, number])[] = [
  [0, 0.06],
  [-0.02, 0.045],
  [0.02, 0.045],
  [-0.045, 0.055],
  [0.045, 0.055],
  [-0.1, 0.19],
  [0.1, 0.19],
  [-0.13, 0.35],
  [0.13, 0.35],
  [-0.14, 0.48],
  [0.14, 0.48],
  [-0.06, 0.53],
  [0.06, 0.53],
  [-0.065, 0.76],
  [0.065, 0.76],
  [-0.07, 0.98],
  [0.07, 0.98],
];

/** A person whose ankles' midpoint (the foot point analytics uses) is exactly (fx, fy). */
function personAt(id: number, fx: number, fy: number): SimulatedPerson {
  const h = 110;
  const top = fy - 0.98 * h;
  const keypoints = POSE.map(([dx, dy]) => ({ x: fx + dx * h, y: top + dy * h, score: 0.95 }));
  return { id, box: { x: fx - 0.16 * h, y: top - 0.06 * h, width: 0.32 * h, height: 1.08 * h }, keypoints, visibility: 1 };
}

function steps(from: number, to: number, step: number): number[] {
  const xs: number[] = [];
  for (let x = from; step > 0 ? x <= to : x >= to; x += step) xs.push(x);
  return xs;
}

/** Who walks where: a foot x per frame from a start frame, in a lane (foot y). */
const SCRIPT = [
  // Walks left to right through the zone and over the line: one visit, one OUT.
  { id: 1, start: 10, y: 0.62 * H, xs: steps(20, 630, 10) },
  // Walks right to left over the line and through the zone: one IN, one visit.
  { id: 2, start: 80, y: 0.75 * H, xs: steps(630, 20, -10) },
  // Walks into the zone, stands there (loiters), walks back out to the left: one long visit.
  { id: 3, start: 150, y: 0.88 * H, xs: [...steps(65, 305, 12), ...new Array<number>(25).fill(305), ...steps(305, 65, -12)] },
  // Walks up to the line, touches it (3 px off, inside the band) and turns back: no crossing.
  { id: 4, start: 150, y: 0.95 * H, xs: [...steps(630, 515, -5), ...steps(515, 630, 5)] },
];
const FRAMES = Math.max(...SCRIPT.map((p) => p.start + p.xs.length)) + 20;

function personsAt(frame: number): SimulatedPerson[] {
  return SCRIPT.flatMap((p) => {
    const x = p.xs[frame - p.start];
    return x === undefined ? [] : [personAt(p.id, x, p.y)];
  });
}

const insideZone = (x: number, y: number): boolean => x / W >= 0.35 && x / W <= 0.65 && y / H >= 0.5;

/** Ground truth of the script: each person's visit (first and last frame inside) and line crossings. */
function truth(): { visits: { first: number; last: number }[]; in: number; out: number } {
  const visits: { first: number; last: number }[] = [];
  let inCount = 0;
  let outCount = 0;
  for (const p of SCRIPT) {
    const inside = p.xs.map((x, i) => (insideZone(x, p.y) ? p.start + i : -1)).filter((f) => f >= 0);
    if (inside.length > 0) visits.push({ first: inside[0]!, last: inside.at(-1)! });
    const lineX = 0.8 * W;
    const margin = 0.03 * H;
    const sides = p.xs.filter((x) => Math.abs(x - lineX) > margin).map((x) => Math.sign(x - lineX));
    for (let i = 1; i < sides.length; i += 1) {
      if (sides[i - 1]! < 0 && sides[i]! > 0) outCount += 1;
      if (sides[i - 1]! > 0 && sides[i]! < 0) inCount += 1;
    }
  }
  return { visits, in: inCount, out: outCount };
}

interface LiveUpdate {
  zoneId: string;
  kind: string;
  occupancy: number;
  entries: number;
  exits: number;
  in: number;
  out: number;
}

describe('store analytics end to end (server, Redis, Postgres, a real worker, the /ingest socket)', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let token: string;
  let other: string;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'simulated' });
    token = (await signUpTenant(t.url, 'Store')).accessToken;
    other = (await signUpTenant(t.url, 'Other store')).accessToken;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  const hourRange = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });

  it('counts a scripted scene exactly: entries, exits, crossings by direction, dwell within one frame, a heatmap and one loitering alert', async () => {
    const cameraId = (await gql(t.url, CREATE_CAMERA, { input: { name: 'Entrance', sourceKind: 'UPLOAD', tier: 'BILLING', targetFps: 20 } }, token)).data![
      'createCamera'
    ].id;
    const zoneId = (await gql(t.url, UPSERT_ZONE, { input: { cameraId, name: 'Aisle', kind: 'AREA', polygon: ZONE } }, token)).data!['upsertZone'].id;
    const lineId = (await gql(t.url, UPSERT_ZONE, { input: { cameraId, name: 'Door', kind: 'LINE', polygon: LINE } }, token)).data!['upsertZone'].id;
    const rule = await gql(t.url, CREATE_RULE, { input: { zoneId, name: 'Loitering', kind: 'LOITERING', threshold: 1.5 } }, token);
    expect(rule.errors).toBeUndefined();
    expect(rule.data!['createAlertRule']).toMatchObject({ kind: 'LOITERING', threshold: 1.5, cameraId });
    // An integrator's receiver subscribed to alert.raised (loopback: allowlisted for this tenant).
    const hooks: Array<{ type: string; data: Record<string, unknown> }> = [];
    let hookArrived: () => void = () => undefined;
    const hookReceived = new Promise<void>((resolve) => (hookArrived = resolve));
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: Record<string, unknown> });
        res.writeHead(204).end();
        hookArrived();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const me = (await gql(t.url, `{ me { tenant { id } } }`, {}, token)).data!['me'].tenant.id as string;
    await t.app.db.tenant.update({ where: { id: me }, data: { networkAllowlist: ['127.0.0.1/32'] } });
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const endpoint = await gql(t.url, CREATE_ENDPOINT, { input: { url: hookUrl, eventTypes: ['alert.raised'] } }, token);
    expect(endpoint.errors).toBeUndefined();
    await gql(t.url, START, { id: cameraId }, token);

    const expected = truth();
    expect(expected).toMatchObject({ in: 1, out: 1 });
    expect(expected.visits).toHaveLength(3);

    const client = wsClient(t.wsUrl, token);
    const live = nextResults<{ data: { zoneStatsUpdated: LiveUpdate } }>(client, LIVE, { cameraId }, Number.MAX_SAFE_INTEGER);
    const raised = nextResults<{ data: { alertRaised: { id: string; kind: string; trackId: number } } }>(client, ALERT_RAISED, {}, 1);
    await live.ready;
    await raised.ready;
    const socket = new WebSocket(`${t.wsUrl.replace('/graphql', '/ingest')}?cameraId=${cameraId}&token=${token}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const acks: { seq: number; admitted: boolean; reason?: string }[] = [];
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; seq: number; admitted: boolean; reason?: string };
      if (msg.type === 'ack') acks.push(msg);
    });
    const background = await renderSimulatorBackground(W, H, []);
    const base = Date.now();
    try {
      // Paced at the frame rate so the camera's rate is respected; capture times are exact.
      for (let frame = 0; frame < FRAMES; frame += 1) {
        const jpeg = encodeSimulatedFrame(background, { width: W, height: H, persons: personsAt(frame) });
        socket.send(encodeFrameMessage({ cameraId, seq: frame + 1, captureTs: base + frame * FRAME_MS, jpeg }));
        await new Promise((r) => setTimeout(r, FRAME_MS));
      }
      // Live figures arrive once each batch is stored: wait for every exit and crossing.
      const totals = { entries: 0, exits: 0, in: 0, out: 0 };
      for (let seen = 0; totals.exits < 3 || totals.in + totals.out < 2;) {
        const updates = (await live.atLeast(seen + 1)).map((r) => r.data.zoneStatsUpdated);
        for (const u of updates.slice(seen)) {
          totals.entries += u.entries;
          totals.exits += u.exits;
          totals.in += u.in;
          totals.out += u.out;
        }
        seen = updates.length;
      }
      expect(acks.every((a) => a.admitted)).toBe(true);
      expect(totals).toEqual({ entries: 3, exits: 3, in: expected.in, out: expected.out });

      const stats = await gql(t.url, ZONE_STATS, { zoneId, ...hourRange(), bucket: 'HOUR' }, token);
      expect(stats.errors).toBeUndefined();
      expect(stats.data!['zoneStats']).toMatchObject({ zoneId, entries: 3, exits: 3, occupancyMax: 1 });
      const lines = await gql(t.url, LINE_COUNTS, { lineId, ...hourRange(), bucket: 'HOUR' }, token);
      expect(lines.data!['lineCounts']).toMatchObject({ lineId, in: 1, out: 1 });

      // Dwell of every visit within one frame interval of the truth (last minus first frame inside).
      const exits = await t.app.db.zoneEvent.findMany({ where: { zoneId, kind: 'EXIT' }, orderBy: { enteredAt: 'asc' } });
      const truthDwell = expected.visits.sort((a, b) => a.first - b.first).map((v) => (v.last - v.first) * FRAME_MS);
      expect(exits).toHaveLength(3);
      exits.forEach((e, i) => expect(Math.abs(e.dwellMs! - truthDwell[i]!)).toBeLessThanOrEqual(FRAME_MS));
      const bucket = (stats.data!['zoneStats'].buckets as { dwellMeanSeconds: number | null }[]).find((b) => b.dwellMeanSeconds !== null)!;
      const truthMean = truthDwell.reduce((a, b) => a + b, 0) / truthDwell.length / 1000;
      expect(Math.abs(bucket.dwellMeanSeconds! - truthMean)).toBeLessThanOrEqual(FRAME_MS / 1000 + 1e-9);

      // The heatmap's hottest cell is where person 3 stood (foot at 305 px, 0.88 H: mid-cell, so smoothing cannot tip it).
      const heat = (await gql(t.url, HEATMAP, { cameraId, ...hourRange() }, token)).data!['heatmap'] as {
        cols: number;
        rows: number;
        cells: number[];
        max: number;
        total: number;
      };
      expect([heat.cols, heat.rows, heat.cells.length]).toEqual([64, 48, 64 * 48]);
      expect(heat.total).toBeGreaterThan(100);
      const hottest = heat.cells.indexOf(heat.max);
      expect([hottest % 64, Math.floor(hottest / 64)]).toEqual([Math.floor((305 / W) * 64), Math.floor(0.88 * 48)]);

      // Exactly one loitering alert (person 3: about 1.9 s inside; the others about 1 s).
      const alert = (await raised.promise)[0]!.data.alertRaised;
      expect(alert).toMatchObject({ kind: 'LOITERING' });
      const open = (await gql(t.url, ALERTS, { ack: false }, token)).data!['alerts'].edges.map((e: { node: unknown }) => e.node);
      expect(open).toEqual([expect.objectContaining({ id: alert.id, kind: 'LOITERING', zoneId, threshold: 1.5, acknowledgedAt: null })]);
      expect((await gql(t.url, ACK, { id: alert.id }, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
      // The same alert reached the webhook endpoint as alert.raised.
      await hookReceived;
      expect(hooks).toEqual([
        expect.objectContaining({ type: 'alert.raised', data: expect.objectContaining({ alertId: alert.id, kind: 'LOITERING', zoneId, cameraId }) }),
      ]);
      receiver.closeAllConnections();
      receiver.close();
      const acked = await gql(t.url, ACK, { id: alert.id }, token);
      expect(acked.data!['acknowledgeAlert'].acknowledgedAt).toEqual(expect.any(String));
      expect((await gql(t.url, ALERTS, { ack: false }, token)).data!['alerts'].edges).toEqual([]);

      // Another tenant sees none of it: its zone, line and camera ids are simply not found.
      for (const [query, vars] of [
        [ZONE_STATS, { zoneId, ...hourRange() }],
        [LINE_COUNTS, { lineId, ...hourRange() }],
        [HEATMAP, { cameraId, ...hourRange() }],
        [CREATE_RULE, { input: { zoneId, name: 'x', kind: 'OCCUPANCY', threshold: 2 } }],
      ] as const) {
        const foreign = await gql(t.url, query, vars, other);
        expect(foreign.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
      }
      expect((await gql(t.url, ALERTS, {}, other)).data!['alerts'].edges).toEqual([]);
    } finally {
      socket.close();
      live.dispose();
      raised.dispose();
      await client.dispose();
      await gql(t.url, STOP, { id: cameraId }, token);
    }
  }, 120_000);

  it('refuses bad zones and ranges with BAD_USER_INPUT naming the field', async () => {
    const cameraId = (await gql(t.url, CREATE_CAMERA, { input: { name: 'Sim', sourceKind: 'SIMULATOR' } }, token)).data!['createCamera'].id;
    const area = (await gql(t.url, UPSERT_ZONE, { input: { cameraId, name: 'A', kind: 'AREA', polygon: ZONE } }, token)).data!['upsertZone'].id;
    const line = (await gql(t.url, UPSERT_ZONE, { input: { cameraId, name: 'L', kind: 'LINE', polygon: LINE } }, token)).data!['upsertZone'].id;
    const now = Date.now();
    const cases: [string, string, Record<string, unknown>, string][] = [
      [
        'a self-intersecting polygon',
        UPSERT_ZONE,
        {
          input: {
            cameraId,
            name: 'bow',
            kind: 'AREA',
            polygon: [
              [0.1, 0.1],
              [0.9, 0.9],
              [0.9, 0.1],
              [0.1, 0.8],
            ],
          },
        },
        'polygon',
      ],
      [
        'a zero-length line',
        UPSERT_ZONE,
        {
          input: {
            cameraId,
            name: 'dot',
            kind: 'LINE',
            polygon: [
              [0.5, 0.5],
              [0.5, 0.5],
            ],
          },
        },
        'polygon',
      ],
      [
        'a zone outside the frame',
        UPSERT_ZONE,
        {
          input: {
            cameraId,
            name: 'out',
            kind: 'AREA',
            polygon: [
              [0.5, 0.5],
              [1.2, 0.5],
              [0.5, 0.9],
            ],
          },
        },
        'polygon',
      ],
      [
        'more minute buckets than a page',
        ZONE_STATS,
        { zoneId: area, from: new Date(now - 2 * 86_400_000).toISOString(), to: new Date(now).toISOString(), bucket: 'MINUTE' },
        'bucket',
      ],
      ['a range that ends before it starts', LINE_COUNTS, { lineId: line, from: new Date(now).toISOString(), to: new Date(now - 1000).toISOString() }, 'to'],
      ['zone stats of a LINE', ZONE_STATS, { zoneId: line, from: new Date(now - 1000).toISOString(), to: new Date(now).toISOString() }, 'zoneId'],
      // Heatmaps read day/hour/minute rollups; the page limit is 1,440 stored rows (about four years of days).
      ['a heatmap over more stored buckets than a page', HEATMAP, { cameraId, from: new Date(now - 1500 * 86_400_000).toISOString(), to: new Date(now).toISOString() }, 'to'],
      ['a rule on a LINE', CREATE_RULE, { input: { zoneId: line, name: 'r', kind: 'OCCUPANCY', threshold: 3 } }, 'zoneId'],
      ['a fractional occupancy limit', CREATE_RULE, { input: { zoneId: area, name: 'r', kind: 'OCCUPANCY', threshold: 2.5 } }, 'threshold'],
      ['a non-positive threshold', CREATE_RULE, { input: { zoneId: area, name: 'r', kind: 'LOITERING', threshold: 0 } }, 'threshold'],
    ];
    for (const [name, query, vars, field] of cases) {
      const res = await gql(t.url, query, vars, token);
      expect({ name, code: res.errors?.[0]?.extensions?.['code'], field: res.errors?.[0]?.extensions?.['field'] }).toEqual({
        name,
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    // A well-formed but unknown id, and a malformed one, are NOT_FOUND like a foreign one.
    for (const zoneId of [randomUUID(), 'not-a-uuid']) {
      const res = await gql(t.url, ZONE_STATS, { zoneId, ...hourRange() }, token);
      expect(res.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    }
  }, 60_000);
});
