/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { encodeFrameMessage } from '@trinetra/ingest';
import { describeWithInputs, REPO_ROOT, sharedDataPath } from '@trinetra/shared/testing';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { startTestWorker } from './support/test-worker';

/**
 * Coaching analyses end to end: the real server (GraphQL, Postgres under RLS, Redis, BullMQ),
 * a real gpu-worker running the repository's ONNX MoveNet, the batch video pipeline and the
 * live /ingest path. The squat clip is tfjs-models' pose_squats.mp4 (13 s, 5 fps, one woman
 * squatting): counted by hand from its frames (modules/analytics/motion/sports/squat/
 * squat.real-clip.test.ts), 2 complete reps and a third descent the clip cuts off.
 */
const SQUAT_VIDEO = sharedDataPath('video/tfjs-models/pose_squats.mp4');
const MODELS = path.join(REPO_ROOT, '.trinetra/models/movenet-multipose.onnx');
const FFMPEG = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? '/usr/bin/ffmpeg';

const ANALYSIS_FIELDS = `id sport status reason reasonDetail progress trackId trackChoice candidateTrackIds fps frameCount
  source { kind videoJobId cameraId filename } athlete { heightCm massKg }
  metrics { key value unit } phases { name startS endS } flags { check }
  signal { name unit fps values }
  results { kind index startS endS confidence firstFrame lastFrame values { key value unit } }`;
const CREATE = `mutation($input: CreateAnalysisInput!) { createAnalysis(input: $input) { id status source { kind videoJobId } } }`;
const ANALYSIS = `query($id: ID!) { analysis(id: $id) { ${ANALYSIS_FIELDS} } }`;
const COMPLETED = `subscription($id: ID) { analysisCompleted(analysisId: $id) { ${ANALYSIS_FIELDS} } }`;
const PROGRESS = `subscription($id: ID) { analysisProgress(analysisId: $id) { analysisId status stage progress } }`;
const METRIC = `subscription($id: ID) { metricUpdated(analysisId: $id) { analysisId sport trackId event { kind index values { key value } } } }`;
const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;

type Analysis = {
  id: string;
  status: string;
  reason: string | null;
  reasonDetail: string | null;
  trackChoice: string | null;
  trackId: number | null;
  candidateTrackIds: number[];
  metrics: { key: string; value: number | null }[];
  signal: { name: string; values: (number | null)[] } | null;
  results: { kind: string; index: number; values: { key: string; value: number | null }[] }[];
  source: { kind: string; videoJobId: string | null };
};

const metric = (a: Analysis, key: string): number | null | undefined => a.metrics.find((m) => m.key === key)?.value;

describeWithInputs([SQUAT_VIDEO, MODELS, FFMPEG], 'the coaching analyses test')('coaching analyses (real server, worker, ONNX)', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let token: string;
  let other: string;
  let squatJobId: string;

  beforeAll(async () => {
    // Webhook deliveries on a queue of this app's own: workers of other test servers sharing the
    // Redis must not take (and drop) its deliveries.
    t = await startTestApp({ WEBHOOK_QUEUE_NAME: `webhooks-motion-${Date.now().toString(36)}` });
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'onnx', ONNX_EMBEDDINGS: 'false' });
    token = (await signUpTenant(t.url, 'Coach')).accessToken;
    other = (await signUpTenant(t.url, 'Other coach')).accessToken;
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  /** Creates an analysis and waits for its analysisCompleted (subscribed first, so none is missed). */
  async function analyse(input: Record<string, unknown>, as = token): Promise<Analysis> {
    const client = wsClient(t.wsUrl, as);
    const done = nextResults<{ data: { analysisCompleted: Analysis } }>(client, COMPLETED, {}, 1);
    await done.ready;
    const created = await gql(t.url, CREATE, { input }, as);
    expect(created.errors).toBeUndefined();
    const id = created.data!['createAnalysis'].id as string;
    // Several analyses of this tenant may end; wait for this one.
    let result: Analysis | undefined;
    for (let n = 1; !result; n += 1) result = (await done.atLeast(n)).map((r) => r.data.analysisCompleted).find((a) => a.id === id);
    done.dispose();
    await client.dispose();
    return result;
  }

  it('lists the sports with their metrics, units and camera set-up', async () => {
    const res = await gql(t.url, `{ sports { sport minimumFps cameraSetup plotSignal metrics { key unit scope } } }`, {}, token);
    expect(res.errors).toBeUndefined();
    const sports = res.data!['sports'] as { sport: string; minimumFps: number; cameraSetup: string; metrics: { key: string; unit: string }[] }[];
    expect(sports.map((s) => s.sport)).toEqual(['CMJ', 'DROP_JUMP', 'SQUAT', 'RUNNING']);
    expect(sports.find((s) => s.sport === 'RUNNING')!.metrics).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'cadenceSpm', unit: 'steps/min' })]));
    for (const s of sports) expect(s.cameraSetup.length).toBeGreaterThan(20);
  });

  it('counts the squat clip through upload -> video job -> analysis -> result, and sends analysis.completed to a webhook', async () => {
    // An integrator's receiver (loopback: allowlisted for this tenant).
    const hooks: { type: string; data: Record<string, unknown> }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: Record<string, unknown> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const me = (await gql(t.url, `{ me { tenant { id } } }`, {}, token)).data!['me'].tenant.id as string;
      await t.app.db.tenant.update({ where: { id: me }, data: { networkAllowlist: ['127.0.0.1/32'] } });
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      expect((await gql(t.url, CREATE_ENDPOINT, { input: { url: hookUrl, eventTypes: ['analysis.completed'] } }, token)).errors).toBeUndefined();

      const progressClient = wsClient(t.wsUrl, token);
      const progress = nextResults<{ data: { analysisProgress: { stage: string; progress: number } } }>(progressClient, PROGRESS, {}, Number.MAX_SAFE_INTEGER);
      await progress.ready;
      const contentBase64 = readFileSync(SQUAT_VIDEO).toString('base64');
      const a = await analyse({ sport: 'SQUAT', source: { upload: { filename: 'pose_squats.mp4', contentBase64 } }, athlete: { heightCm: 165 } });
      expect(a).toMatchObject({ status: 'DONE', reason: null, trackChoice: 'MAIN', source: { kind: 'UPLOAD' } });
      // As counted by hand: 2 complete reps and a third descent the clip cuts off.
      expect(metric(a, 'repCount')).toBe(2);
      expect(metric(a, 'incompleteReps')).toBe(1);
      expect(a.results.map((r) => [r.kind, r.index])).toEqual([
        ['REP', 1],
        ['REP', 2],
      ]);
      for (const rep of a.results) {
        const depth = rep.values.find((v) => v.key === 'bottomKneeAngleDeg')!.value!;
        expect(depth).toBeGreaterThan(80);
        expect(depth).toBeLessThan(125);
      }
      expect(a.signal).toMatchObject({ name: 'KNEE_ANGLE' });
      expect(a.signal!.values).toHaveLength(65);
      // The stored analysis answers the same; progress went through its stages.
      const stored = await gql(t.url, ANALYSIS, { id: a.id }, token);
      expect(stored.data!['analysis']).toEqual(a);
      const stages = (await progress.atLeast(1)).map((p) => p.data.analysisProgress.stage);
      expect(stages).toEqual(expect.arrayContaining(['DECODING', 'FINISHED']));
      progress.dispose();
      await progressClient.dispose();
      squatJobId = a.source.videoJobId!;

      // The webhook: analysis.completed with the coaching platforms' fields.
      for (let i = 0; i < 100 && !hooks.some((h) => h.data['analysis_id'] === a.id); i += 1) await new Promise((r) => setTimeout(r, 100));
      const hook = hooks.find((h) => h.data['analysis_id'] === a.id);
      expect(hook).toMatchObject({ type: 'analysis.completed', data: { event_type: 'analysis.completed', sport: 'SQUAT', status: 'DONE' } });
      expect(hook!.data['event_id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(hook!.data['timestamp'] as string).toISOString()).toBe(hook!.data['timestamp']);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  }, 240_000);

  it('answers a wrong sport, a low frame rate and a missing track with a typed reason, never a number or a 500', async () => {
    expect(squatJobId).toBeDefined();
    // CMJ needs 25 fps; the clip has 5.
    const cmj = await analyse({ sport: 'CMJ', source: { videoJobId: squatJobId } });
    expect(cmj).toMatchObject({ status: 'FAILED', reason: 'INSUFFICIENT_FRAME_RATE', metrics: [], results: [] });
    expect(cmj.reasonDetail).toContain('5 fps');
    // A track id that is not in the video: the tracks that are, to choose from.
    const missing = await analyse({ sport: 'SQUAT', source: { videoJobId: squatJobId }, options: { trackId: 9999 } });
    expect(missing).toMatchObject({ status: 'FAILED', reason: 'TRACK_NOT_FOUND', metrics: [] });
    expect(missing.candidateTrackIds.length).toBeGreaterThan(0);
    // A track chosen explicitly is the one analysed (here a fragment: the tracker renumbers the
    // crouched athlete, which is why the default follows the largest person across ids); its
    // outcome is typed either way.
    const chosenId = missing.candidateTrackIds[0]!;
    const chosen = await analyse({ sport: 'SQUAT', source: { videoJobId: squatJobId }, options: { trackId: chosenId } });
    expect(chosen).toMatchObject({ trackChoice: 'REQUESTED', trackId: chosenId });
    if (chosen.status === 'FAILED') expect(['NO_EVENT_DETECTED', 'INSUFFICIENT_KEYPOINTS']).toContain(chosen.reason);
    else expect(chosen.status).toBe('DONE');
  }, 120_000);

  it.each([
    ['two sources', { sport: 'SQUAT', source: { videoJobId: '00000000-0000-4000-8000-000000000000', upload: { filename: 'a.mp4', contentBase64: 'AAAA' } } }, 'source'],
    ['no source', { sport: 'SQUAT', source: {} }, 'source'],
    ['a path as file name', { sport: 'SQUAT', source: { upload: { filename: '../../etc/passwd.mp4', contentBase64: 'AAAA' } } }, 'source.upload.filename'],
    ['not a video name', { sport: 'SQUAT', source: { upload: { filename: 'x.sh', contentBase64: 'AAAA' } } }, 'source.upload.filename'],
    ['content that is not base64', { sport: 'SQUAT', source: { upload: { filename: 'a.mp4', contentBase64: '<script>' } } }, 'source.upload.contentBase64'],
    ['a 5 m athlete', { sport: 'SQUAT', source: { videoJobId: '00000000-0000-4000-8000-000000000000' }, athlete: { heightCm: 500 } }, 'athlete.heightCm'],
    ['a negative track id', { sport: 'SQUAT', source: { videoJobId: '00000000-0000-4000-8000-000000000000' }, options: { trackId: -1 } }, 'options.trackId'],
    ['a live window of an hour', { sport: 'SQUAT', source: { camera: { cameraId: '00000000-0000-4000-8000-000000000000', durationSeconds: 3600 } } }, 'source.camera.durationSeconds'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_name, input, field) => {
    const res = await gql(t.url, CREATE, { input }, token);
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses an unknown sport at validation (400, not 500) and unknown ids as NOT_FOUND', async () => {
    const sport = await gql(t.url, CREATE, { input: { sport: 'BASKETBALL', source: { videoJobId: squatJobId } } }, token);
    expect(sport.status).toBe(400);
    const job = await gql(t.url, CREATE, { input: { sport: 'SQUAT', source: { videoJobId: 'not-a-uuid' } } }, token);
    expect(job.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const camera = await gql(t.url, CREATE, { input: { sport: 'SQUAT', source: { camera: { cameraId: '00000000-0000-4000-8000-000000000000', durationSeconds: 10 } } } }, token);
    expect(camera.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gql(t.url, ANALYSIS, { id: 'x' }, token)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it("keeps tenants apart: another tenant's analyses, video jobs and list answer as if they did not exist", async () => {
    const mine = (await gql(t.url, `{ analyses(first: 50) { edges { node { id } } } }`, {}, token)).data!['analyses'].edges as { node: { id: string } }[];
    expect(mine.length).toBeGreaterThanOrEqual(4);
    const id = mine[0]!.node.id;
    expect((await gql(t.url, ANALYSIS, { id }, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gql(t.url, `{ analyses(first: 50) { edges { node { id } } } }`, {}, other)).data!['analyses'].edges).toEqual([]);
    // Another tenant's video job cannot be analysed.
    const res = await gql(t.url, CREATE, { input: { sport: 'SQUAT', source: { videoJobId: squatJobId } } }, other);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    // Row-level security holds under the tenant's own connection too (the repository filters as well).
    const rows = await t.app.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "MotionAnalysis"`;
    expect(rows[0]!.n).toBeGreaterThanOrEqual(4);
  });

  it('needs analytics:read to read and ingest to create', async () => {
    const key = await gql(t.url, `mutation { createApiKey(input: { name: "reader", scopes: ["analytics:read"] }) { secret } }`, {}, token);
    const secret = key.data!['createApiKey'].secret as string;
    const read = await gql(t.url, `{ sports { sport } }`, {}, secret);
    expect(read.errors).toBeUndefined();
    const create = await gql(t.url, CREATE, { input: { sport: 'SQUAT', source: { videoJobId: squatJobId } } }, secret);
    expect(create.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await gql(t.url, `{ sports { sport } }`)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('follows a live camera window: each rep as metricUpdated (and metric.updated webhooks), then analysisCompleted', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'squats-live-'));
    const hooks: { type: string; data: Record<string, unknown> }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: Record<string, unknown> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/live`;
      expect((await gql(t.url, CREATE_ENDPOINT, { input: { url: hookUrl, eventTypes: ['metric.updated'] } }, token)).errors).toBeUndefined();
      // Asynchronously: a blocked event loop would let the in-process server drop kept-alive sockets.
      await promisify(execFile)(FFMPEG, ['-loglevel', 'error', '-i', SQUAT_VIDEO, '-q:v', '3', path.join(dir, 'f%03d.jpg')]);
      const files = readdirSync(dir).sort();
      const camera = await gql(
        t.url,
        `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
        { input: { name: 'Gym', sourceKind: 'UPLOAD', tier: 'BILLING', targetFps: 5, perception: 'CLOSE_UP' } },
        token,
      );
      expect(camera.errors).toBeUndefined();
      const cameraId = camera.data!['createCamera'].id as string;
      const started = await gql(t.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: cameraId }, token);
      expect(started.errors).toBeUndefined();

      const client = wsClient(t.wsUrl, token);
      const metrics = nextResults<{ data: { metricUpdated: { sport: string; event: { kind: string; index: number } } } }>(client, METRIC, {}, 2);
      const done = nextResults<{ data: { analysisCompleted: Analysis } }>(client, COMPLETED, {}, 1);
      await metrics.ready;
      await done.ready;
      const created = await gql(t.url, CREATE, { input: { sport: 'SQUAT', source: { camera: { cameraId, durationSeconds: 16 } }, athlete: { heightCm: 165 } } }, token);
      expect(created.errors).toBeUndefined();
      expect(created.data!['createAnalysis']).toMatchObject({ status: 'QUEUED', source: { kind: 'CAMERA_WINDOW' } });

      const socket = new WebSocket(`${t.wsUrl.replace('/graphql', '/ingest')}?cameraId=${cameraId}&token=${token}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const base = Date.now() + 200;
      for (let i = 0; i < files.length; i += 1) {
        socket.send(encodeFrameMessage({ cameraId, seq: i + 1, captureTs: base + i * 200, jpeg: readFileSync(path.join(dir, files[i]!)) }));
        await new Promise((r) => setTimeout(r, 200));
      }
      const final = (await done.promise)[0]!.data.analysisCompleted;
      if (final.status !== 'DONE') console.log(`live analysis: ${JSON.stringify({ ...final, signal: undefined })}`);
      // Both complete reps arrived live, one event each, as they settled.
      const live = (await metrics.atLeast(2)).map((m) => m.data.metricUpdated);
      expect(live.map((m) => [m.sport, m.event.kind, m.event.index])).toEqual([
        ['SQUAT', 'REP', 1],
        ['SQUAT', 'REP', 2],
      ]);
      expect(final).toMatchObject({ status: 'DONE', source: { kind: 'CAMERA_WINDOW' } });
      expect(metric(final, 'repCount')).toBe(2);
      socket.close();
      metrics.dispose();
      done.dispose();
      await client.dispose();
      for (let i = 0; i < 100 && hooks.length < 2; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(hooks.map((h) => [h.type, h.data['event_type'], h.data['sport'], h.data['kind']])).toEqual([
        ['metric.updated', 'metric.updated', 'SQUAT', 'REP'],
        ['metric.updated', 'metric.updated', 'SQUAT', 'REP'],
      ]);
      expect(hooks[0]!.data['analysis_id']).toBe(final.id);
    } finally {
      receiver.closeAllConnections();
      receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
