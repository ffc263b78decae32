import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import { startTestWorker } from '../../../server/test/support/test-worker';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';
import { probeVideo } from '../sources/ffprobe';
import { FileSource } from '../sources/file.source';

/**
 * Attacks on what a tenant can reach on the server through FILE cameras and manifest rows
 * (issue 10, rows 1, 3 and 4): Redis through ffmpeg's gopher protocol, other tenants' videos,
 * system files, symlink and `../` escapes, and existence / SHA-1 oracles.
 */

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id sourceKind sourceUrl } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCameraInput!) { updateCamera(id: $id, input: $input) { id sourceKind sourceUrl } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id status } }`;
const STATUS = `query($id: ID!) { camera(id: $id) { status } }`;
const IMPORT = `mutation($input: ImportManifestInput!) { importManifest(input: $input) { manifestId jobs queued missing problems { line kind message } } }`;
const JOBS = `query($m: ID) { videoJobs(first: 20, manifestId: $m) { edges { node { line status sha1 error frameCount } } } }`;
const COUNTS = `query($m: ID) { videoJobCounts(manifestId: $m) { finished } }`;

let t: TestApp;
let dir: string;
let root: string;
let redis: Redis;
let token: string;
let tenantId: string;
let otherTenantFile: string;
let inside: string;
let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;

function clip(path: string): string {
  execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=10', '-c:v', 'mpeg4', '-q:v', '5', path]);
  return path;
}

/** A gopher URL whose raw CR/LF make ffmpeg send `SET <key> pwned` to the test Redis. */
function gopherAttack(key: string): string {
  const { hostname, port } = new URL(process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  return `gopher://${hostname}:${port || 6379}/5/\r\nSET ${key} pwned\r\nQUIT\r\n`;
}

async function waitStatus(id: string, done: (status: string) => boolean): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const status = (await gql(t.url, STATUS, { id }, token)).data?.['camera']?.status as string | undefined;
    if (status && done(status)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`camera ${id} never reached the awaited status`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trinetra-media-'));
  root = join(dir, 'root');
  mkdirSync(root);
  inside = clip(join(root, 'inside.mp4'));
  symlinkSync('/etc/passwd', join(root, 'passwd-link.mp4'));
  t = await startTestApp({ DATA_DIR: join(dir, 'data'), SEED_DEMO: 'false', MEDIA_ROOTS: `*=${root}` });
  worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'simulated' });
  redis = new Redis(t.config.REDIS_URL);
  const signed = await signUpTenant(t.url, 'Media');
  token = signed.accessToken;
  tenantId = (await t.app.db.user.findUniqueOrThrow({ where: { email: signed.email } })).tenantId;
  // Another tenant's private storage area, with a real video in it.
  const other = await signUpTenant(t.url, 'Victim');
  const otherId = (await t.app.db.user.findUniqueOrThrow({ where: { email: other.email } })).tenantId;
  mkdirSync(join(dir, 'data', 'media', otherId), { recursive: true });
  otherTenantFile = clip(join(dir, 'data', 'media', otherId, 'private.mp4'));
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  redis?.disconnect();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('FILE cameras cannot reach Redis through ffmpeg protocols (gopher with CR/LF)', () => {
  it('refuses create, refuses updateCamera to FILE, and a stored row started anyway writes nothing', async () => {
    const key = `trinetra-gopher-${randomUUID()}`;
    const attack = gopherAttack(key);
    try {
      const created = await gql(t.url, CREATE, { input: { name: 'g', sourceKind: 'FILE', sourceUrl: attack } }, token);
      expect(created.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');

      const sim = await gql(t.url, CREATE, { input: { name: 's', sourceKind: 'SIMULATOR' } }, token);
      const simId = sim.data!['createCamera'].id as string;
      const updated = await gql(t.url, UPDATE, { id: simId, input: { sourceKind: 'FILE', sourceUrl: attack } }, token);
      expect(updated.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');

      // A row stored before the API checked (or written by hand) is checked again at start.
      const id = randomUUID();
      await t.app.db.camera.create({
        data: { id, tenantId, name: 'stale', purpose: 'x', tier: 'STANDARD', sourceKind: 'FILE', sourceUrl: attack, targetFps: 5, updatedAt: new Date() },
      });
      await gql(t.url, START, { id }, token);
      expect(await waitStatus(id, (s) => s === 'FAILED' || s === 'LIVE')).toBe('FAILED');
      expect(await redis.get(key)).toBeNull();
    } finally {
      await redis.del(key);
    }
  }, 60_000);

  it('the ffprobe and ffmpeg wrappers themselves never speak gopher', async () => {
    const key = `trinetra-gopher-${randomUUID()}`;
    try {
      await expect(probeVideo(gopherAttack(key))).rejects.toThrow();
      const source = new FileSource({ cameraId: 'direct', path: gopherAttack(key) });
      const ended = new Promise<string>((resolve) =>
        source.subscribe({ onStatus: (c) => (c.to === 'failed' || c.to === 'ended' ? resolve(c.to) : undefined) }),
      );
      await source.start();
      expect(await ended).toBe('failed');
      expect(await redis.get(key)).toBeNull();
    } finally {
      await redis.del(key);
    }
  }, 30_000);
});

describe('FILE camera paths stay inside the media roots', () => {
  const outside = (): Array<[string, string]> => [
    ['/etc/passwd', '/etc/passwd'],
    ["another tenant's storage area", otherTenantFile],
    ['a symlink inside a root pointing outside', join(root, 'passwd-link.mp4')],
    ['../ traversal', `${root}/../../../../etc/passwd`],
    ['a nonexistent path inside a root', join(root, 'nothing-here.mp4')],
    ['a relative path', 'inside.mp4'],
    ['a file: URL', `file://${inside}`],
  ];

  it('refuses every outside or missing path with one code and one message', async () => {
    const answers = [];
    for (const [, path] of outside()) {
      const res = await gql(t.url, CREATE, { input: { name: 'f', sourceKind: 'FILE', sourceUrl: path } }, token);
      answers.push({ code: res.errors?.[0]?.extensions?.['code'], message: res.errors?.[0]?.message });
    }
    expect(answers[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(answers[0]!.message).not.toContain('/etc');
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('refuses updateCamera from NETWORK or SIMULATOR to an outside FILE path, and FILE to a refused NETWORK URL', async () => {
    const sim = (await gql(t.url, CREATE, { input: { name: 's2', sourceKind: 'SIMULATOR' } }, token)).data!['createCamera'].id as string;
    const toFile = await gql(t.url, UPDATE, { id: sim, input: { sourceKind: 'FILE', sourceUrl: '/etc/passwd' } }, token);
    expect(toFile.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const file = await gql(t.url, CREATE, { input: { name: 'in', sourceKind: 'FILE', sourceUrl: inside } }, token);
    expect(file.errors).toBeUndefined();
    const fileId = file.data!['createCamera'].id as string;
    const toNetwork = await gql(t.url, UPDATE, { id: fileId, input: { sourceKind: 'NETWORK' } }, token);
    expect(toNetwork.errors?.[0]?.extensions?.['code']).toBeDefined();
    const pathOnly = await gql(t.url, UPDATE, { id: fileId, input: { sourceUrl: otherTenantFile } }, token);
    expect(pathOnly.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('plays a file inside an allowed root', async () => {
    const created = await gql(t.url, CREATE, { input: { name: 'ok', sourceKind: 'FILE', sourceUrl: inside } }, token);
    expect(created.errors).toBeUndefined();
    const id = created.data!['createCamera'].id as string;
    expect((await gql(t.url, START, { id }, token)).errors).toBeUndefined();
    expect(await waitStatus(id, (s) => ['LIVE', 'STOPPED', 'FAILED'].includes(s))).toMatch(/LIVE|STOPPED/);
  }, 30_000);

  it('rejects control characters in sourceUrl for every kind', async () => {
    for (const sourceKind of ['FILE', 'NETWORK']) {
      const res = await gql(t.url, CREATE, { input: { name: 'c', sourceKind, sourceUrl: `${inside}\r\nx` } }, token);
      expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    }
  });
});

describe('manifest rows stay inside the media roots', () => {
  it('gives outside and missing rows the same answer, no SHA-1, no processing; inside rows run', async () => {
    const rows = ['/etc/passwd', '/etc/shadow', otherTenantFile, join(root, 'passwd-link.mp4'), `${root}/../../etc/passwd`, join(root, 'gone.mp4'), inside];
    const res = await gql(t.url, IMPORT, { input: { csv: ['local_path', ...rows].join('\n'), name: 'probe.csv' } }, token);
    expect(res.errors).toBeUndefined();
    const summary = res.data!['importManifest'];
    expect(summary).toMatchObject({ jobs: 7, queued: 1, missing: 6 });
    const messages = summary.problems.map((p: { line: number; kind: string; message: string }) => [p.kind, p.message.replace(rows[p.line - 2]!, '<path>')]);
    expect(new Set(messages.map((m: string[]) => JSON.stringify(m))).size).toBe(1);

    const manifestId = summary.manifestId as string;
    for (let i = 0; i < 300 && !(await gql(t.url, COUNTS, { m: manifestId }, token)).data?.['videoJobCounts']?.finished; i++)
      await new Promise((r) => setTimeout(r, 100));
    const jobs = (await gql(t.url, JOBS, { m: manifestId }, token)).data!['videoJobs'].edges.map((e: { node: Record<string, unknown> }) => e.node);
    for (const job of jobs.filter((j: { line: number }) => j.line < 8)) expect(job).toMatchObject({ status: 'MISSING_FILE', sha1: null, frameCount: null });
    expect(jobs.find((j: { line: number }) => j.line === 8)).toMatchObject({ status: 'DONE', sha1: expect.stringMatching(/^[0-9a-f]{40}$/), frameCount: 10 });
  }, 90_000);

  it('rejects control characters in manifest paths', async () => {
    const res = await gql(t.url, IMPORT, { input: { csv: `local_path\n"${inside}\r\nx"`, name: 'cc.csv' } }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!['importManifest']).toMatchObject({ jobs: 0, problems: [{ kind: 'MALFORMED' }] });
  });
});
