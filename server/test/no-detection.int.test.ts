/**
 * Issue 18: "no one detected" is a visible state. A live FILE camera on a clip with nobody in
 * it, processed by a real ONNX worker, gets `noDetectionWarning` (with perception and resolution
 * hints) in `pipelineHealth` once 100 frames in a row were empty; another tenant sees nothing of it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';
import { startTestWorker } from './support/test-worker';

const HEALTH = `{ pipelineHealth { cameras { cameraId delivered framesWithoutPeople noDetectionWarning } } }`;

describe('no one detected on a live camera', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const dir = mkdtempSync(path.join(tmpdir(), 'trinetra-nodetect-'));

  beforeAll(async () => {
    t = await startTestApp({ DATA_DIR: path.join(dir, 'data'), SEED_DEMO: 'false' });
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'onnx', ONNX_EMBEDDINGS: 'false' });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns with a hint after 100 empty frames, and only the owning tenant sees it', async () => {
    const token = (await signUpTenant(t.url, 'Empty room')).accessToken;
    const tenantId = (await gql(t.url, `{ me { tenant { id } } }`, {}, token)).data!['me'].tenant.id as string;
    const storage = path.join(dir, 'data', 'media', tenantId);
    mkdirSync(storage, { recursive: true });
    const clip = path.join(storage, 'empty-room.mp4');
    // Test bars, nobody: 2 minutes at 10 fps, small so the worker keeps up on a shared CPU.
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=120:size=192x144:rate=10', '-c:v', 'mpeg4', '-q:v', '5', clip]);
    const created = await gql(t.url, `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`, { input: { name: 'Empty room', sourceKind: 'FILE', sourceUrl: clip, tier: 'BILLING', targetFps: 10 } }, token);
    expect(created.errors).toBeUndefined();
    const id = created.data!['createCamera'].id as string;
    await gql(t.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id }, token);

    let mine: { cameraId: string; framesWithoutPeople: number; noDetectionWarning: string | null } | undefined;
    for (let i = 0; i < 480 && !mine?.noDetectionWarning; i++) {
      await new Promise((r) => setTimeout(r, 500));
      mine = (await gql(t.url, HEALTH, {}, token)).data!['pipelineHealth'].cameras.find((c: { cameraId: string }) => c.cameraId === id);
    }
    expect(mine?.framesWithoutPeople).toBeGreaterThanOrEqual(100);
    expect(mine?.noDetectionWarning).toMatch(/^No one detected in the last \d+ processed frames \(scene, 192x144\)/);
    expect(mine?.noDetectionWarning).toMatch(/CLOSE_UP.*higher resolution/);

    const other = (await signUpTenant(t.url, 'Neighbour')).accessToken;
    expect((await gql(t.url, HEALTH, {}, other)).data!['pipelineHealth'].cameras).toEqual([]);
    await gql(t.url, `mutation($id: ID!) { stopCamera(id: $id) { id } }`, { id }, token);
  }, 300_000);
});
