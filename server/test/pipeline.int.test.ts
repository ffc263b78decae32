import WebSocket from 'ws';
import { encodeFrameMessage, renderSimulatorBackground, SimulatorScene } from '@trinetra/ingest';
import { encodeSimulatedFrame } from '@trinetra/shared';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { startTestWorker } from './support/test-worker';

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id status } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id status } }`;
const FRAMES = `subscription($id: ID!) { frameResults(cameraId: $id) { cameraId seq captureTs width height latencyMs preview provenance { backend model } tracks { trackId box { x y width height } keypoints { x y score } quality } } }`;
const HEALTH = `{ pipelineHealth { breakerState cameras { cameraId admitted delivered inFlight dropped dropsByReason { reason count } fpsIn fpsOut bufferFill latency { stage p50 p99 } } } }`;

interface FrameResult {
  cameraId: string;
  seq: number;
  width: number;
  height: number;
  preview: string | null;
  provenance: { backend: string; model: string } | null;
  tracks: { trackId: number; box: { width: number }; keypoints: unknown[]; quality: number }[];
}

describe('the frame pipeline end to end (server, Redis, BullMQ, a real worker process)', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'simulated' });
    token = (await signUpTenant(t.url, 'Pipeline')).accessToken;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  it('runs a simulator camera into tracked frames with smoothed skeletons, health, live tracks and summaries', async () => {
    const id = (await gql(t.url, CREATE, { input: { name: 'Sim', sourceKind: 'SIMULATOR', tier: 'CRITICAL', targetFps: 10 } }, token)).data!['createCamera'].id;
    const client = wsClient(t.wsUrl, token);
    try {
      const sub = nextResults<{ data: { frameResults: FrameResult } }>(client, FRAMES, { id }, 12);
      await sub.ready;
      expect((await gql(t.url, START, { id }, token)).errors).toBeUndefined();
      const frames = (await sub.promise).map((r) => r.data.frameResults);
      sub.dispose();
      const seqs = frames.map((f) => f.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(frames.every((f) => f.cameraId === id && f.width === 640 && f.height === 360)).toBe(true);
      // A simulator camera is answered from its ground truth, and every result says so.
      expect(frames.every((f) => f.provenance?.backend === 'simulated')).toBe(true);
      const withTracks = frames.filter((f) => f.tracks.length > 0);
      expect(withTracks.length).toBeGreaterThan(5);
      const last = withTracks.at(-1)!;
      expect(last.tracks[0]!.keypoints).toHaveLength(17);
      expect(last.tracks[0]!.quality).toBeGreaterThan(0);
      expect(frames.some((f) => f.preview?.startsWith('data:image/jpeg;base64,'))).toBe(true);
      // Ids are stable: most ids of the last frame were already there five frames earlier.
      const earlier = new Set(withTracks.at(-6)!.tracks.map((x) => x.trackId));
      expect(last.tracks.filter((x) => earlier.has(x.trackId)).length).toBeGreaterThan(0);

      const health = await gql(t.url, HEALTH, {}, token);
      const cam = health.data!['pipelineHealth'].cameras.find((c: { cameraId: string }) => c.cameraId === id);
      expect(cam.delivered).toBeGreaterThanOrEqual(12);
      expect(cam.admitted).toBe(cam.delivered + cam.dropped + cam.inFlight);
      expect(cam.latency.find((l: { stage: string }) => l.stage === 'end_to_end').p50).toBeGreaterThan(0);

      const live = await gql(t.url, `query($id: ID!) { tracks(cameraId: $id) { trackId state box { width } } }`, { id }, token);
      expect(live.data!['tracks'].length).toBeGreaterThan(0);

      const status = await gql(t.url, `query($id: ID!) { camera(id: $id) { status } }`, { id }, token);
      expect(status.data!['camera'].status).toBe('LIVE');

      expect((await gql(t.url, STOP, { id }, token)).data!['stopCamera'].status).toBe('STOPPED');
      const ended = await gql(t.url, `query($id: ID!) { tracks(cameraId: $id, state: "ENDED") { trackId state frames pathLengthPx meanQuality provenance { backend model } } }`, { id }, token);
      expect(ended.data!['tracks'].length).toBeGreaterThan(0);
      expect(ended.data!['tracks'][0]).toMatchObject({ state: 'ended', provenance: { backend: 'simulated' } });
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it("never shows one tenant another tenant's pipeline", async () => {
    const other = (await signUpTenant(t.url, 'Other')).accessToken;
    const id = (await gql(t.url, CREATE, { input: { name: 'Sim2', sourceKind: 'SIMULATOR', targetFps: 5 } }, token)).data!['createCamera'].id;
    await gql(t.url, START, { id }, token);
    const health = await gql(t.url, HEALTH, {}, other);
    expect(health.data!['pipelineHealth'].cameras).toEqual([]);
    const events = await gql(t.url, `query($id: ID) { pipelineEvents(cameraId: $id, last: 10) { id } }`, { id }, other);
    expect(events.data!['pipelineEvents']).toEqual([]);
    const tracks = await gql(t.url, `query($id: ID!) { tracks(cameraId: $id) { trackId } }`, { id }, other);
    expect(tracks.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    await gql(t.url, STOP, { id }, token);
  });

  it('tracks frames uploaded by a phone on the /ingest socket', async () => {
    const id = (await gql(t.url, CREATE, { input: { name: 'Phone', sourceKind: 'UPLOAD', tier: 'LIVE', targetFps: 15 } }, token)).data!['createCamera'].id;
    await gql(t.url, START, { id }, token);
    const client = wsClient(t.wsUrl, token);
    const sub = nextResults<{ data: { frameResults: FrameResult } }>(client, FRAMES, { id }, 3);
    await sub.ready;
    const socket = new WebSocket(`${t.wsUrl.replace('/graphql', '/ingest')}?cameraId=${id}&token=${token}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const scene = new SimulatorScene({ width: 320, height: 240, persons: 2, seed: 7 });
    const background = await renderSimulatorBackground(320, 240, scene.occluders);
    const acks: { admitted: boolean }[] = [];
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; admitted: boolean };
      if (msg.type === 'ack') acks.push(msg);
    });
    try {
      for (let seq = 1; seq <= 12; seq++) {
        scene.step(1000 / 15);
        const truth = scene.truth();
        socket.send(encodeFrameMessage({ cameraId: id, seq, captureTs: Date.now(), jpeg: encodeSimulatedFrame(background, truth) }));
        await new Promise((r) => setTimeout(r, 70));
      }
      const frames = (await sub.promise).map((r) => r.data.frameResults);
      expect(frames.length).toBeGreaterThanOrEqual(3);
      expect(frames.every((f) => f.cameraId === id)).toBe(true);
      expect(acks.filter((a) => a.admitted).length).toBeGreaterThan(0);
    } finally {
      socket.close();
      sub.dispose();
      await client.dispose();
    }
  }, 30_000);

  it('keeps only the newest waiting frame of a LIVE camera (latest-wins) and accounts for every frame', async () => {
    // A server whose queue no worker serves: frames wait, so newer uploads replace older ones.
    const idle = await startTestApp({ FRAME_QUEUE_NAME: `no-workers-${Date.now()}` }, t.db);
    try {
      const id = (await gql(idle.url, CREATE, { input: { name: 'Live phone', sourceKind: 'UPLOAD', tier: 'LIVE', targetFps: 30 } }, token)).data!['createCamera'].id;
      await gql(idle.url, START, { id }, token);
      const socket = new WebSocket(`${idle.wsUrl.replace('/graphql', '/ingest')}?cameraId=${id}&token=${token}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const scene = new SimulatorScene({ width: 160, height: 120, persons: 1, seed: 3 });
      const background = await renderSimulatorBackground(160, 120, scene.occluders);
      // Sent back to back: several arrive while the previous one still waits for its micro-batch.
      const jpeg = encodeSimulatedFrame(background, scene.truth());
      for (let seq = 1; seq <= 6; seq++) socket.send(encodeFrameMessage({ cameraId: id, seq, captureTs: Date.now() + seq, jpeg }));
      await new Promise((r) => setTimeout(r, 200));
      socket.close();
      const events = await gql(idle.url, `query($id: ID) { pipelineEvents(cameraId: $id, kinds: ["frame_dropped"], last: 50) { seq reason } }`, { id }, token);
      const superseded = events.data!['pipelineEvents'].filter((e: { reason: string }) => e.reason === 'superseded');
      expect(superseded.length).toBeGreaterThan(0);
      const health = await gql(idle.url, HEALTH, {}, token);
      const cam = health.data!['pipelineHealth'].cameras.find((c: { cameraId: string }) => c.cameraId === id);
      expect(cam.admitted).toBe(cam.delivered + cam.dropped + cam.inFlight);
      expect(cam.inFlight).toBeLessThanOrEqual(2);
    } finally {
      await idle.stop();
    }
  }, 30_000);
});
