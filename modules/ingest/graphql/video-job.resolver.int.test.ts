import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { gql, signUpTenant, startTestApp, subscribed, type TestApp, wsClient } from '../../../server/test/support/test-app';
import { startTestWorker } from '../../../server/test/support/test-worker';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';

interface Counts {
  queued: number;
  processing: number;
  done: number;
  failed: number;
  missingFile: number;
  total: number;
  finished: boolean;
}
interface ProgressEvent {
  manifestId: string;
  kind: string;
  filename: string;
  status: string;
  frames: number | null;
  counts: Counts;
}

const COUNTS = 'queued processing done failed missingFile total finished';
const IMPORT = `mutation($input: ImportManifestInput!) { importManifest(input: $input) {
  manifestId name jobs queued duplicates missing malformed problems { line kind message jobId duplicateOfJobId } } }`;
const LIST = `query($first: Int!, $after: String, $status: VideoJobStatus, $manifestId: ID) {
  videoJobs(first: $first, after: $after, status: $status, manifestId: $manifestId) {
    edges { cursor node { id line status filename label metadata { key value } frameCount quality outputSha256 duplicateOfId error } }
    pageInfo { hasNextPage endCursor } } }`;
const PROGRESS = `subscription($manifestId: ID) { videoJobProgress(manifestId: $manifestId) { manifestId kind filename status frames counts { ${COUNTS} } } }`;

let t: TestApp;
let dir: string;
let token: string;
let ingestKey: string;
let analyticsKey: string;
let camerasKey: string;

function clip(name: string, pattern: string): string {
  const path = join(dir, name);
  // 1 s of 160x120 at 10 fps: 10 frames.
  execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `${pattern}=duration=1:size=160x120:rate=10`, '-c:v', 'mpeg4', '-q:v', '5', path]);
  return path;
}

async function apiKey(accessToken: string, scopes: string[]): Promise<string> {
  const res = await gql(t.url, `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, { input: { name: scopes.join('+'), scopes } }, accessToken);
  if (!res.data?.['createApiKey']) throw new Error(JSON.stringify(res.errors));
  return res.data['createApiKey'].secret as string;
}

/** Collects progress events of one manifest until its counts say finished. */
function untilFinished(client: Client, manifestId: () => string | null): { events: Promise<ProgressEvent[]>; ready: Promise<void> } {
  const events: ProgressEvent[] = [];
  const ready = subscribed(client, PROGRESS);
  const promise = new Promise<ProgressEvent[]>((resolve, reject) => {
    const dispose = client.subscribe<{ videoJobProgress: ProgressEvent }>({ query: PROGRESS, variables: {} }, {
      next: (value) => {
        if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
        const event = value.data!.videoJobProgress;
        if (event.manifestId !== manifestId()) return;
        events.push(event);
        if (event.counts.finished) {
          dispose();
          resolve(events);
        }
      },
      error: reject,
      complete: () => resolve(events),
    });
  });
  return { events: promise, ready };
}

async function waitFinished(key: string, manifestId: string): Promise<Counts> {
  for (let i = 0; i < 200; i++) {
    const res = await gql(t.url, `query($m: ID) { videoJobCounts(manifestId: $m) { ${COUNTS} } }`, { m: manifestId }, key);
    const counts = res.data?.['videoJobCounts'] as Counts | undefined;
    if (counts?.finished) return counts;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the manifest did not finish');
}

let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
let a: string;
let b: string;
let copyOfA: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trinetra-vj-gql-'));
  t = await startTestApp({ DATA_DIR: join(dir, 'data'), SEED_DEMO: 'false', MEDIA_ROOTS: `*=${dir}` });
  // Videos run through the frame pipeline, so a worker serves this app's queue.
  worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'simulated' });
  a = clip('a.mp4', 'testsrc');
  b = clip('b.mp4', 'smptebars');
  copyOfA = join(dir, 'vidéo ü 東京.mp4');
  copyFileSync(a, copyOfA);
  token = (await signUpTenant(t.url, 'Batch')).accessToken;
  ingestKey = await apiKey(token, ['ingest']);
  analyticsKey = await apiKey(token, ['analytics:read']);
  camerasKey = await apiKey(token, ['cameras:read']);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('batch video jobs over GraphQL', () => {
  let manifestId = '';
  let doneIds: string[] = [];

  it('imports a manifest with a missing file, a duplicate, a malformed row and non-ASCII names, processes it in the server and publishes progress over graphql-ws', async () => {
    const client = wsClient(t.wsUrl, ingestKey);
    try {
      const progress = untilFinished(client, () => manifestId);
      await progress.ready;
      const csv = ['local_path;label;site', `${a};marche;nörd`, `${b};run;south`, `${join(dir, 'gone.mp4')};x;y`, 'only;two', `${copyOfA.normalize('NFD')};vidéo;東京`].join('\n');
      const res = await gql(t.url, IMPORT, { input: { csv, name: 'lot ü.csv' } }, ingestKey);
      expect(res.errors).toBeUndefined();
      const summary = res.data!['importManifest'];
      manifestId = summary.manifestId;
      expect(summary).toMatchObject({ name: 'lot ü.csv', jobs: 4, queued: 2, duplicates: 1, missing: 1, malformed: 1 });
      expect(summary.problems.map((p: { line: number; kind: string }) => [p.line, p.kind])).toEqual([
        [4, 'MISSING_FILE'],
        [5, 'MALFORMED'],
        [6, 'DUPLICATE'],
      ]);
      expect(summary.problems[1].jobId).toBeNull();

      const events = await progress.events;
      expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['STARTED', 'FRAMES', 'FINISHED']));
      expect(events.filter((e) => e.kind === 'FINISHED').map((e) => e.filename).sort()).toEqual(['a.mp4', 'b.mp4', 'vidéo ü 東京.mp4'].sort());
      expect(events.at(-1)!.counts).toEqual({ queued: 0, processing: 0, done: 3, failed: 0, missingFile: 1, total: 4, finished: true });
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('lists with status and manifest filters and Relay pagination; reads take ingest or analytics:read', async () => {
    const done = await gql(t.url, LIST, { first: 10, status: 'DONE', manifestId }, analyticsKey);
    expect(done.errors).toBeUndefined();
    const nodes = done.data!['videoJobs'].edges.map((e: { node: unknown }) => e.node) as Array<{ id: string; filename: string; label: string; metadata: unknown; frameCount: number; duplicateOfId: string | null; outputSha256: string }>;
    doneIds = nodes.map((n) => n.id);
    expect(nodes.map((n) => n.filename).sort()).toEqual(['a.mp4', 'b.mp4', 'vidéo ü 東京.mp4'].sort());
    const dup = nodes.find((n) => n.filename.startsWith('vidéo'))!;
    expect(dup).toMatchObject({ label: 'vidéo', metadata: [{ key: 'site', value: '東京' }], frameCount: 10 });
    expect(dup.outputSha256).toBe(nodes.find((n) => n.filename === 'a.mp4')!.outputSha256);
    expect(dup.duplicateOfId).toBe(nodes.find((n) => n.filename === 'a.mp4')!.id);

    const missing = await gql(t.url, LIST, { first: 10, status: 'MISSING_FILE' }, ingestKey);
    expect(missing.data!['videoJobs'].edges.map((e: { node: { line: number; status: string } }) => [e.node.line, e.node.status])).toEqual([[4, 'MISSING_FILE']]);

    const first = await gql(t.url, LIST, { first: 3 }, ingestKey);
    expect(first.data!['videoJobs'].pageInfo.hasNextPage).toBe(true);
    const rest = await gql(t.url, LIST, { first: 3, after: first.data!['videoJobs'].pageInfo.endCursor }, ingestKey);
    expect(rest.data!['videoJobs'].pageInfo.hasNextPage).toBe(false);
    const all = [...first.data!['videoJobs'].edges, ...rest.data!['videoJobs'].edges].map((e: { node: { line: number } }) => e.node.line);
    // Keyset order is (createdAt, id): every row of one manifest, each exactly once.
    expect(all.sort()).toEqual([2, 3, 4, 6]);

    const one = await gql(t.url, `query($id: ID!) { videoJob(id: $id) { id status } }`, { id: doneIds[0] }, analyticsKey);
    expect(one.data!['videoJob']).toEqual({ id: doneIds[0], status: 'DONE' });
  });

  it("answers NOT_FOUND for another tenant's job and for ids that cannot exist", async () => {
    const other = (await signUpTenant(t.url, 'Other')).accessToken;
    const foreign = await gql(t.url, `query($id: ID!) { videoJob(id: $id) { id } }`, { id: doneIds[0] }, other);
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const bogus = await gql(t.url, `query { videoJob(id: "nope") { id } }`, {}, ingestKey);
    expect(bogus.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const list = await gql(t.url, LIST, { first: 10 }, other);
    expect(list.data!['videoJobs'].edges).toEqual([]);
  });

  it.each([
    ['importManifest with analytics:read', () => analyticsKey, `mutation { importManifest(input: { csv: "local_path\\n/x" }) { manifestId } }`, 'FORBIDDEN'],
    ['resumeVideoJobs with cameras:read', () => camerasKey, `mutation { resumeVideoJobs { requeuedFailed } }`, 'FORBIDDEN'],
    ['videoJobs with cameras:read', () => camerasKey, `{ videoJobs(first: 1) { pageInfo { hasNextPage } } }`, 'FORBIDDEN'],
    ['videoJobs anonymously', () => '', `{ videoJobs(first: 1) { pageInfo { hasNextPage } } }`, 'UNAUTHENTICATED'],
    ['a manifest without local_path', () => ingestKey, `mutation { importManifest(input: { csv: "path,label\\n/x,y" }) { manifestId } }`, 'BAD_USER_INPUT'],
    ['an empty manifest', () => ingestKey, `mutation { importManifest(input: { csv: "" }) { manifestId } }`, 'BAD_USER_INPUT'],
    ['a negative orphan threshold', () => ingestKey, `mutation { resumeVideoJobs(orphanedAfterSeconds: -1) { requeuedFailed } }`, 'BAD_USER_INPUT'],
  ])('refuses %s with %s', async (_name, key, query, code) => {
    const res = await gql(t.url, query, {}, key() || undefined);
    expect(res.errors?.[0]?.extensions?.['code']).toBe(code);
  });

  it('resumes nothing when nothing failed, and requeues a failed job then runs it', async () => {
    const idle = await gql(t.url, `mutation { resumeVideoJobs { requeuedFailed requeuedOrphaned counts { ${COUNTS} } } }`, {}, ingestKey);
    expect(idle.data!['resumeVideoJobs']).toMatchObject({ requeuedFailed: 0, requeuedOrphaned: 0, counts: { queued: 0, done: 3 } });
    // A corrupt video fails; once replaced by a real one, resume processes it.
    const broken = join(dir, 'broken.mp4');
    execFileSync('sh', ['-c', `head -c 2000 /dev/urandom > '${broken}'`]);
    const imported = await gql(t.url, IMPORT, { input: { csv: `local_path\n${broken}` } }, ingestKey);
    const id = imported.data!['importManifest'].manifestId as string;
    expect(await waitFinished(ingestKey, id)).toMatchObject({ failed: 1 });
    copyFileSync(clip('fixed.mp4', 'rgbtestsrc'), broken);
    const resumed = await gql(t.url, `mutation { resumeVideoJobs(orphanedAfterSeconds: 60) { requeuedFailed } }`, {}, ingestKey);
    expect(resumed.data!['resumeVideoJobs']).toEqual({ requeuedFailed: 1 });
    expect(await waitFinished(ingestKey, id)).toMatchObject({ failed: 0, done: 1 });
    await new Promise((r) => setTimeout(r, 300));
  }, 30_000);
});
