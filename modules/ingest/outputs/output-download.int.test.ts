import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CliIo } from '@trinetra/shared';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import { startTestWorker } from '../../../server/test/support/test-worker';
import { readIngestCliConfig } from '../cli/cli-config';
import { TrinetraApiClient } from '../cli/trinetra-api.client';
import { createVideoJobCommands } from '../cli/video-jobs.command';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';

/**
 * Issue 18: batch output you can find and download. `VideoJob.outputUrl` (a signed link),
 * `GET /outputs/<jobId>` with a bearer token or API key, `cli jobs` / `cli download`, and the
 * attacks on the route: another tenant, `../`, forged or altered signatures, no credential.
 * A clip with nobody in it also shows the NO_DETECTIONS warning end to end.
 */

const IMPORT = `mutation($input: ImportManifestInput!) { importManifest(input: $input) { manifestId duplicates } }`;
const COUNTS = `query($m: ID) { videoJobCounts(manifestId: $m) { finished done } }`;
const JOBS = `query($m: ID) { videoJobs(first: 10, manifestId: $m) { edges { node { id line status duplicateOfId outputSha256 outputUrl warnings { code message } } } } }`;

interface JobWire {
  id: string;
  line: number;
  status: string;
  duplicateOfId: string | null;
  outputSha256: string | null;
  outputUrl: string | null;
  warnings: { code: string; message: string }[];
}

let t: TestApp;
let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
let dir: string;
let origin: string;
let tokenA: string;
let tokenB: string;
let jobs: JobWire[];

function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, out: () => out, err: () => err };
}

async function importAndWait(token: string, csv: string): Promise<JobWire[]> {
  const imported = await gql(t.url, IMPORT, { input: { csv, name: 'empty.csv' } }, token);
  expect(imported.errors).toBeUndefined();
  const manifestId = imported.data!['importManifest'].manifestId as string;
  for (let i = 0; i < 600; i++) {
    if ((await gql(t.url, COUNTS, { m: manifestId }, token)).data?.['videoJobCounts']?.finished) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return (await gql(t.url, JOBS, { m: manifestId }, token)).data!['videoJobs'].edges.map((e: { node: JobWire }) => e.node);
}

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(path, origin), { headers, redirect: 'manual' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trinetra-outputs-'));
  // Nobody in it: test bars, 1 s at 10 fps.
  execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=320x240:rate=10', '-c:v', 'mpeg4', '-q:v', '5', join(dir, 'empty.mp4')]);
  t = await startTestApp({ DATA_DIR: join(dir, 'data'), SEED_DEMO: 'false', MEDIA_ROOTS: `*=${dir}` });
  origin = new URL(t.url).origin;
  worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'onnx', ONNX_EMBEDDINGS: 'false' });
  tokenA = (await signUpTenant(t.url, 'Outputs A')).accessToken;
  tokenB = (await signUpTenant(t.url, 'Outputs B')).accessToken;
  const video = join(dir, 'empty.mp4');
  jobs = await importAndWait(tokenA, `local_path\n${video}\n${video}\n`);
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('batch output downloads', () => {
  it('gives every DONE job (duplicates too) a signed outputUrl and the NO_DETECTIONS warning when nobody was seen', () => {
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job.status).toBe('DONE');
      expect(job.outputUrl).toMatch(new RegExp(`^/outputs/${job.id}\\?tenant=[0-9a-f-]{36}&expires=\\d+&sig=[0-9a-f]{64}$`));
      expect(job.warnings.map((w) => w.code)).toEqual(['NO_DETECTIONS']);
      expect(job.warnings[0]!.message).toMatch(/No one was detected/);
    }
    // The list's order between two jobs of one import is not promised: one of them is the other's duplicate.
    const duplicate = jobs.find((j) => j.duplicateOfId !== null)!;
    expect(duplicate.duplicateOfId).toBe(jobs.find((j) => j !== duplicate)!.id);
  });

  it('serves the output through the signed link (no header) and with a bearer token, checksum as recorded, format v2', async () => {
    const job = jobs[0]!;
    const signed = await get(job.outputUrl!);
    expect(signed.status).toBe(200);
    expect(signed.headers.get('content-type')).toBe('application/gzip');
    expect(signed.headers.get('content-disposition')).toBe('attachment; filename="empty.jsonl.gz"');
    const bytes = Buffer.from(await signed.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(job.outputSha256);
    const lines = gunzipSync(bytes)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'header', format: 'trinetra.batch-output', version: 2, source: 'empty.mp4', width: 320, height: 240, fps: 10 });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', framesWithPeople: 0, peopleSeen: 0, tracks: 0, warnings: ['NO_DETECTIONS'] });

    const bearer = await get(`/outputs/${job.id}`, { authorization: `Bearer ${tokenA}` });
    expect(bearer.status).toBe(200);
    expect(Buffer.from(await bearer.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses a request without a credential (401) and a refused token (401)', async () => {
    const none = await get(`/outputs/${jobs[0]!.id}`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get(`/outputs/${jobs[0]!.id}`, { authorization: 'Bearer not-a-token' })).status).toBe(401);
  });

  it("never serves tenant A's output to tenant B: 404 like a job that does not exist", async () => {
    const foreign = await get(`/outputs/${jobs[0]!.id}`, { authorization: `Bearer ${tokenB}` });
    const missing = await get(`/outputs/00000000-0000-4000-8000-000000000000`, { authorization: `Bearer ${tokenB}` });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
    // B's GraphQL does not see the job (so never gets its link) either.
    expect((await gql(t.url, `query($id: ID!) { videoJob(id: $id) { outputUrl } }`, { id: jobs[0]!.id }, tokenB)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it('refuses forged, altered, moved and expired signed links (403)', async () => {
    const job = jobs[0]!;
    const url = new URL(job.outputUrl!, origin);
    const tenantB = (await gql(t.url, `{ me { tenant { id } } }`, {}, tokenB)).data!['me'].tenant.id as string;
    const variants: Array<(u: URL) => void> = [
      (u) => u.searchParams.set('sig', u.searchParams.get('sig')!.replace(/^./, (c) => (c === '0' ? '1' : '0'))),
      (u) => u.searchParams.set('sig', 'f'.repeat(64)),
      (u) => u.searchParams.set('sig', 'not-hex'),
      (u) => u.searchParams.set('tenant', tenantB),
      (u) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600)),
      (u) => u.searchParams.set('expires', '1'),
      (u) => (u.pathname = `/outputs/${jobs[1]!.id}`),
    ];
    for (const alter of variants) {
      const forged = new URL(url);
      alter(forged);
      const res = await get(forged.pathname + forged.search);
      expect([forged.toString(), res.status]).toEqual([forged.toString(), 403]);
    }
  });

  it('refuses ../ and other non-ids before touching a file (404, or 403 with a signature)', async () => {
    const auth = { authorization: `Bearer ${tokenA}` };
    for (const path of ['/outputs/..%2F..%2F..%2Fetc%2Fpasswd', '/outputs/%2e%2e%2fdata%2fjwt-secret', `/outputs/${jobs[0]!.id}%2F..%2F..%2Fjwt-secret`, '/outputs/', '/outputs/x.jsonl.gz']) {
      const res = await get(path, auth);
      expect([path, res.status]).toEqual([path, 404]);
    }
    const signed = new URL(jobs[0]!.outputUrl!, origin);
    const traversal = await get(`/outputs/..%2F${jobs[0]!.id}${signed.search}`);
    expect(traversal.status).toBe(403);
    expect((await fetch(new URL(`/outputs/${jobs[0]!.id}`, origin), { method: 'DELETE', headers: auth })).status).toBe(405);
  });

  it('`cli jobs` prints each output link and `cli download` saves the file, checksum verified', async () => {
    const env = { TRINETRA_API_URL: origin, TRINETRA_API_KEY: tokenA };
    const [, jobsCommand, , download] = createVideoJobCommands(() => new TrinetraApiClient(readIngestCliConfig(env)));
    const listed = memoryIo();
    expect(await jobsCommand!.run([], listed)).toBe(0);
    expect(listed.out()).toContain(`output: ${origin}/outputs/${jobs[0]!.id}?tenant=`);
    expect(listed.out()).toContain('warning NO_DETECTIONS');

    const target = join(dir, 'saved.jsonl.gz');
    const saved = memoryIo();
    expect(download!.name).toBe('download');
    expect(await download!.run([jobs[0]!.id, '--out', target], saved)).toBe(0);
    expect(createHash('sha256').update(readFileSync(target)).digest('hex')).toBe(jobs[0]!.outputSha256);
    // An existing file is kept unless --force.
    writeFileSync(target, 'mine');
    const kept = memoryIo();
    expect(await download!.run([jobs[0]!.id, '--out', target], kept)).toBe(1);
    expect(kept.err()).toMatch(/exists: pass --force/);
    expect(readFileSync(target, 'utf8')).toBe('mine');
    expect(await download!.run([jobs[0]!.id, '--out', target, '--force'], memoryIo())).toBe(0);

    const foreign = memoryIo();
    const asB = createVideoJobCommands(() => new TrinetraApiClient(readIngestCliConfig({ ...env, TRINETRA_API_KEY: tokenB })))[3]!;
    expect(await asB.run([jobs[0]!.id, '--out', join(dir, 'b.jsonl.gz')], foreign)).toBe(1);
    expect(foreign.err()).toMatch(/has no output to download/);
    expect(await asB.run(['../etc/passwd'], memoryIo())).toBe(2);
  });
});
