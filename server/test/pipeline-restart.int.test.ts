import WebSocket from 'ws';
import { encodeFrameMessage, renderSimulatorBackground, SimulatorScene } from '@trinetra/ingest';
import { encodeSimulatedFrame } from '@trinetra/shared';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestWorker } from './support/test-worker';

const FRAMES = `subscription($id: ID!) { frameResults(cameraId: $id) { seq tracks { trackId } } }`;

type Frame = { data: { frameResults: { seq: number; tracks: { trackId: number }[] } } };

/** Uploads JPEG frames in order and returns the results seen for them. */
async function uploadFrames(t: TestApp, token: string, cameraId: string, jpegs: readonly Buffer[], firstSeq: number): Promise<Frame['data']['frameResults'][]> {
  const count = jpegs.length;
  const client = wsClient(t.wsUrl, token);
  const sub = nextResults<Frame>(client, FRAMES, { id: cameraId }, Number.MAX_SAFE_INTEGER);
  await sub.ready;
  const socket = new WebSocket(`${t.wsUrl.replace('/graphql', '/ingest')}?cameraId=${cameraId}&token=${token}`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  try {
    for (let i = 0; i < count; i++) {
      socket.send(encodeFrameMessage({ cameraId, seq: firstSeq + i, captureTs: Date.now(), jpeg: jpegs[i]! }));
      await new Promise((r) => setTimeout(r, 40));
    }
    // Every result up to one of the last frames (a CRITICAL camera may sample a few out under load).
    const results = await sub.atLeast(Math.ceil(count / 2));
    const lastSeq = firstSeq + count - 1;
    const deadline = Date.now() + 15_000;
    while (!results.some((f) => f.data.frameResults.seq >= lastSeq - 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return results.map((f) => f.data.frameResults);
  } finally {
    socket.close();
    sub.dispose();
    await client.dispose();
  }
}

describe('tracker checkpoints across a server restart', () => {
  let db: TestDatabase;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let queue: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    queue = `frames-test-${db.name}`;
    worker = await startTestWorker({
      REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      FRAME_QUEUE_NAME: queue,
      INFERENCE_BACKEND: 'simulated',
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
  });

  it('keeps track ids when the server restarts within the checkpoint lifetime, and resumes running cameras', async () => {
    // Scene A's people come and go (empty frames past the lost-track buffer), then scene B's
    // people get new ids (3, 4, ...). A tracker that restarted fresh would number them from 1
    // again; a restored one keeps them.
    const sceneA = new SimulatorScene({ width: 640, height: 360, persons: 2, seed: 11, occluders: 0, crossings: false });
    const sceneB = new SimulatorScene({ width: 640, height: 360, persons: 2, seed: 99, occluders: 0, crossings: false });
    const background = await renderSimulatorBackground(640, 360, []);
    const framesOf = (scene: SimulatorScene, n: number, empty = false): Buffer[] =>
      Array.from({ length: n }, () => {
        scene.step(100);
        const truth = scene.truth();
        return encodeSimulatedFrame(background, empty ? { ...truth, persons: [] } : truth);
      });

    const first = await startTestApp({}, db);
    // A failing assertion must not leave this server (and its sockets) open: jest would not exit.
    let firstStopped = false;
    const stopFirst = async (): Promise<void> => {
      if (!firstStopped) await first.stop();
      firstStopped = true;
    };
    let token: string;
    let cameraId: string;
    let idsBefore = new Set<number>();
    try {
      token = (await signUpTenant(first.url, 'Restart')).accessToken;
      cameraId = (
        await gql(first.url, `mutation { createCamera(input: { name: "Phone", sourceKind: UPLOAD, tier: CRITICAL, targetFps: 30 }) { id } }`, {}, token)
      ).data!['createCamera'].id;
      await gql(first.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: cameraId }, token);
      const before = await uploadFrames(first, token, cameraId, [...framesOf(sceneA, 5), ...framesOf(sceneA, 35, true), ...framesOf(sceneB, 8)], 1);
      // Scene B's ids over its 8 frames (a new person's first frame or two may not carry a track yet).
      idsBefore = new Set(before.slice(-8).flatMap((f) => f.tracks.map((x) => x.trackId)));
      expect(idsBefore.size).toBeGreaterThan(0);
      expect(Math.min(...idsBefore)).toBeGreaterThan(2);
      await stopFirst();
    } finally {
      await stopFirst();
    }

    const second = await startTestApp({}, db);
    try {
      const status = await gql(second.url, `query($id: ID!) { camera(id: $id) { desiredStatus } }`, { id: cameraId }, token);
      expect(status.data!['camera'].desiredStatus).toBe('RUNNING');
      // Resumed at boot, before any frame arrived.
      const health = await gql(second.url, `{ pipelineHealth { cameras { cameraId } } }`, {}, token);
      expect(health.data!['pipelineHealth'].cameras.map((c: { cameraId: string }) => c.cameraId)).toContain(cameraId);
      const after = await uploadFrames(second, token, cameraId, framesOf(sceneB, 6), 49);
      const idsAfter = after.flatMap((f) => f.tracks.map((x) => x.trackId));
      expect(idsAfter.length).toBeGreaterThan(0);
      expect(idsAfter.every((id) => idsBefore.has(id))).toBe(true);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
