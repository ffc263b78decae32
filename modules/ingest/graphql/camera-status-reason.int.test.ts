import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAMERA_STATUS_NEXT_STEP } from '@trinetra/shared';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';

/**
 * Issue 18: a camera that cannot start says why, in Postgres and over the API, and does not
 * read "failed -> running" forever; a source that cannot work is refused at create/update.
 */

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id status statusReason statusMessage } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCameraInput!) { updateCamera(id: $id, input: $input) { id } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id } }`;
const CAMERA = `query($id: ID!) { camera(id: $id) { status desiredStatus statusReason statusMessage } }`;
const LIST = `{ cameras(first: 10) { edges { node { id statusReason statusMessage } } } }`;

let t: TestApp;
let dir: string;
let token: string;
let storage: string;

function clip(path: string): string {
  execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=2:size=160x120:rate=10', '-c:v', 'mpeg4', '-q:v', '5', path]);
  return path;
}

async function camera(id: string): Promise<{ status: string; desiredStatus: string; statusReason: string | null; statusMessage: string | null }> {
  return (await gql(t.url, CAMERA, { id }, token)).data!['camera'];
}

async function waitFor(id: string, done: (c: Awaited<ReturnType<typeof camera>>) => boolean): Promise<Awaited<ReturnType<typeof camera>>> {
  for (let i = 0; i < 200; i++) {
    const c = await camera(id);
    if (done(c)) return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`camera ${id} never reached the awaited state: ${JSON.stringify(await camera(id))}`);
}

/** A TCP port with nothing listening: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trinetra-status-reason-'));
  t = await startTestApp({ DATA_DIR: join(dir, 'data'), SEED_DEMO: 'false' });
  token = (await signUpTenant(t.url, 'Reasons')).accessToken;
  const tenantId = (await gql(t.url, `{ me { tenant { id } } }`, {}, token)).data!['me'].tenant.id as string;
  storage = join(dir, 'data', 'media', tenantId);
  mkdirSync(storage, { recursive: true });
  await t.app.db.tenant.update({ where: { id: tenantId }, data: { networkAllowlist: ['127.0.0.1/32'] } });
}, 60_000);

afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Camera.statusReason', () => {
  it('refuses a FILE that is missing or not a video, naming sourceUrl', async () => {
    const missing = await gql(t.url, CREATE, { input: { name: 'gone', sourceKind: 'FILE', sourceUrl: join(storage, 'nothing.mp4') } }, token);
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sourceUrl' });
    const text = join(storage, 'notes.mp4');
    writeFileSync(text, 'this is not a video\n');
    const notVideo = await gql(t.url, CREATE, { input: { name: 'text', sourceKind: 'FILE', sourceUrl: text } }, token);
    expect(notVideo.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sourceUrl' });
    expect(notVideo.errors?.[0]?.message).toMatch(/not a video/);
  });

  it('a file removed after create fails with SOURCE_NOT_FOUND, stays failed (not "running"), and a good start clears it', async () => {
    const path = clip(join(storage, 'clip.mp4'));
    const created = await gql(t.url, CREATE, { input: { name: 'clip', sourceKind: 'FILE', sourceUrl: path, targetFps: 5 } }, token);
    expect(created.errors).toBeUndefined();
    expect(created.data!['createCamera']).toMatchObject({ statusReason: null, statusMessage: null });
    const id = created.data!['createCamera'].id as string;
    rmSync(path);

    expect((await gql(t.url, START, { id }, token)).errors).toBeUndefined();
    const failed = await waitFor(id, (c) => c.status === 'FAILED');
    expect(failed).toMatchObject({ status: 'FAILED', desiredStatus: 'STOPPED', statusReason: 'SOURCE_NOT_FOUND' });
    expect(failed.statusMessage).toContain(CAMERA_STATUS_NEXT_STEP.SOURCE_NOT_FOUND);
    // It does not flip back: nothing is running, and nothing restarts it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await camera(id)).toMatchObject({ status: 'FAILED', statusReason: 'SOURCE_NOT_FOUND' });
    const listed = (await gql(t.url, LIST, {}, token)).data!['cameras'].edges.map((e: { node: { id: string } }) => e.node).find((n: { id: string }) => n.id === id);
    expect(listed).toMatchObject({ statusReason: 'SOURCE_NOT_FOUND' });

    // The file is back: a start clears the reason; the file plays to its end (ENDED).
    clip(path);
    await gql(t.url, START, { id }, token);
    const started = await waitFor(id, (c) => c.status === 'LIVE' || c.status === 'STOPPED');
    expect(started.statusReason === null || started.statusReason === 'ENDED').toBe(true);
    const ended = await waitFor(id, (c) => c.statusReason === 'ENDED');
    expect(ended).toMatchObject({ status: 'STOPPED', desiredStatus: 'STOPPED' });
    expect(ended.statusMessage).toContain(CAMERA_STATUS_NEXT_STEP.ENDED);
  }, 60_000);

  it('refuses a NETWORK camera nobody answers at, naming sourceUrl and the reason; accepts one that answers', async () => {
    const port = await closedPort();
    const refused = await gql(t.url, CREATE, { input: { name: 'dead', sourceKind: 'NETWORK', sourceUrl: `rtsp://admin:hunter2@127.0.0.1:${port}/stream` } }, token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sourceUrl' });
    expect(refused.errors?.[0]?.message).toMatch(/could not be reached.*connection refused/);
    expect(JSON.stringify(refused)).not.toContain('hunter2');

    const listening: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    try {
      const openPort = (listening.address() as AddressInfo).port;
      const accepted = await gql(t.url, CREATE, { input: { name: 'alive', sourceKind: 'NETWORK', sourceUrl: `rtsp://127.0.0.1:${openPort}/stream` } }, token);
      expect(accepted.errors).toBeUndefined();
      // An update to the dead address is refused the same way.
      const moved = await gql(t.url, UPDATE, { id: accepted.data!['createCamera'].id, input: { sourceUrl: `rtsp://127.0.0.1:${port}/stream` } }, token);
      expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sourceUrl' });
    } finally {
      await new Promise<void>((resolve) => listening.close(() => resolve()));
    }
  }, 30_000);

  it("another tenant never sees a camera's reason", async () => {
    const other = (await signUpTenant(t.url, 'Other')).accessToken;
    const mine = (await gql(t.url, LIST, {}, token)).data!['cameras'].edges[0].node.id as string;
    const res = await gql(t.url, CAMERA, { id: mine }, other);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });
});
