/**
 * Store analytics on real footage (issue 14): OpenCV's vtest.avi (people walking on a shop floor)
 * through a SCENE FILE camera on the real server, Redis, BullMQ and a gpu-worker with the ONNX
 * models, with a counting line across the walkway and two zones. Run twice on two cameras with
 * the same zones: the counts must be plausible (people are counted; no more crossings than
 * tracks could make) and stable between the runs (same footage, same frames: BILLING tier drops none).
 */
import path from 'node:path';
import { describeWithInputs, REPO_ROOT, sharedDataPath } from '@trinetra/shared/testing';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { startTestWorker } from './support/test-worker';

const VTEST = sharedDataPath('video/vtest.avi');
const MODELS = ['nanodet-m.onnx', 'movenet-lightning.onnx', 'movenet-multipose.onnx'].map((m) => path.join(REPO_ROOT, '.trinetra/models', m));
const FRAMES_PER_RUN = 200;

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id perception } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id } }`;
const UPSERT_ZONE = `mutation($input: UpsertZoneInput!) { upsertZone(input: $input) { id } }`;
const FRAMES = `subscription($id: ID!) { frameResults(cameraId: $id) { seq tracks { trackId } } }`;
const ENDED = `query($id: ID!) { tracks(cameraId: $id, state: "ENDED", last: 500) { trackId } }`;
const ZONE_STATS = `query($zoneId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { zoneStats(zoneId: $zoneId, from: $from, to: $to, bucket: HOUR) { entries exits } }`;
const LINE_COUNTS = `query($lineId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { lineCounts(lineId: $lineId, from: $from, to: $to, bucket: HOUR) { in out } }`;

/**
 * A line across the walkway: people in vtest.avi walk mostly left and right through the hall (a
 * horizontal line at 0.55 H was crossed by nobody in 200 frames), so the line stands upright in
 * the middle; and the left and right halves of the floor as zones.
 */
const LINE = [
  [0.5, 0.05],
  [0.5, 0.95],
];
const LEFT = [
  [0.02, 0.3],
  [0.5, 0.3],
  [0.5, 0.95],
  [0.02, 0.95],
];
const RIGHT = [
  [0.5, 0.3],
  [0.98, 0.3],
  [0.98, 0.95],
  [0.5, 0.95],
];

interface Counts {
  tracks: number;
  in: number;
  out: number;
  left: { entries: number; exits: number };
  right: { entries: number; exits: number };
}

describeWithInputs([VTEST, ...MODELS], 'the vtest.avi analytics test')('store analytics on vtest.avi (server, Redis, worker, ONNX)', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'auto', ONNX_EMBEDDINGS: 'false' });
    token = (await signUpTenant(t.url, 'Analytics footage')).accessToken;
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  async function run(name: string): Promise<Counts> {
    const created = await gql(t.url, CREATE, { input: { name, sourceKind: 'FILE', sourceUrl: VTEST, tier: 'BILLING', targetFps: 10 } }, token);
    expect(created.data!['createCamera']).toMatchObject({ perception: 'SCENE' });
    const cameraId = created.data!['createCamera'].id as string;
    const zone = async (zoneName: string, kind: 'AREA' | 'LINE', polygon: number[][]): Promise<string> =>
      (await gql(t.url, UPSERT_ZONE, { input: { cameraId, name: zoneName, kind, polygon } }, token)).data!['upsertZone'].id as string;
    const line = await zone('Walkway line', 'LINE', LINE);
    const left = await zone('Left floor', 'AREA', LEFT);
    const right = await zone('Right floor', 'AREA', RIGHT);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const client = wsClient(t.wsUrl, token);
    const sub = nextResults(client, FRAMES, { id: cameraId }, FRAMES_PER_RUN);
    try {
      await sub.ready;
      expect((await gql(t.url, START, { id: cameraId }, token)).errors).toBeUndefined();
      await sub.promise;
    } finally {
      sub.dispose();
      await client.dispose();
      await gql(t.url, STOP, { id: cameraId }, token);
    }
    // The engine closes a camera's open visits 10 s after its last frame and writes them at the
    // next flush: read until two reads a few seconds apart agree and the visits are closed.
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const read = async (): Promise<Omit<Counts, 'tracks'>> => {
      const l = (await gql(t.url, LINE_COUNTS, { lineId: line, from, to }, token)).data!['lineCounts'] as { in: number; out: number };
      const a = (await gql(t.url, ZONE_STATS, { zoneId: left, from, to }, token)).data!['zoneStats'] as { entries: number; exits: number };
      const b = (await gql(t.url, ZONE_STATS, { zoneId: right, from, to }, token)).data!['zoneStats'] as { entries: number; exits: number };
      return { in: l.in, out: l.out, left: { entries: a.entries, exits: a.exits }, right: { entries: b.entries, exits: b.exits } };
    };
    let last = await read();
    for (let i = 0; i < 20; i += 1) {
      await new Promise((r) => setTimeout(r, 3000));
      const next = await read();
      const closed = next.left.entries === next.left.exits && next.right.entries === next.right.exits;
      if (closed && JSON.stringify(next) === JSON.stringify(last)) break;
      last = next;
    }
    const tracks = ((await gql(t.url, ENDED, { id: cameraId }, token)).data!['tracks'] as unknown[]).length;
    return { tracks, ...last };
  }

  it('counts a line across the walkway and two zones plausibly, and the same on a second run', async () => {
    const first = await run('Shop floor 1');
    const second = await run('Shop floor 2');
    for (const c of [first, second]) {
      // Plausible: people were counted, every visit closed, and no more than each track could do.
      const plausible = {
        crossed: c.in + c.out > 0,
        crossingsWithinTracks: c.in + c.out <= 2 * c.tracks,
        entered: c.left.entries + c.right.entries > 0,
        visitsClosed: c.left.entries === c.left.exits && c.right.entries === c.right.exits,
        entriesWithinTracks: c.left.entries + c.right.entries <= 3 * c.tracks,
      };
      expect({ plausible, counts: c }).toEqual({
        plausible: { crossed: true, crossingsWithinTracks: true, entered: true, visitsClosed: true, entriesWithinTracks: true },
        counts: c,
      });
    }
    // Stable: the same footage gives the same counts, within one count or 10 % (a frame's detection at a boundary).
    const near = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(1, Math.round(0.1 * Math.max(a, b)));
    const stable = {
      in: near(first.in, second.in),
      out: near(first.out, second.out),
      leftEntries: near(first.left.entries, second.left.entries),
      rightEntries: near(first.right.entries, second.right.entries),
    };
    expect({ stable, first, second }).toEqual({ stable: { in: true, out: true, leftEntries: true, rightEntries: true }, first, second });
  }, 900_000);
});
