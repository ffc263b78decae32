import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { MediaAccess } from '../application/media-access';
import { mediaFileAccess } from '../batch/node-file-access';
import { parseMediaRoots } from '../domain/media-roots';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';
import { VideoJobRepository } from '../infra/video-job.repository';
import { FileVideoProcessor } from './file-video.processor';
import { VideoJobService, type VideoJobProgress } from './video-job.service';
import type { VideoProcessInput, VideoProcessor, VideoProcessResult } from './video-processor';

let database: TestDatabase;
let db: SystemDb;
let dir: string;
let repository: VideoJobRepository;

/** Counts calls per path and can fail a path a given number of times. */
class CountingProcessor implements VideoProcessor {
  readonly calls: string[] = [];
  readonly failures = new Map<string, number>();
  private readonly inner = new FileVideoProcessor();
  async process(input: VideoProcessInput): Promise<VideoProcessResult> {
    this.calls.push(input.localPath);
    const left = this.failures.get(input.localPath) ?? 0;
    if (left > 0) {
      this.failures.set(input.localPath, left - 1);
      throw new Error(`simulated failure of ${input.localPath}`);
    }
    return this.inner.process(input);
  }
}

async function newTenant(name: string): Promise<string> {
  const plan = await db.plan.create({ data: { id: randomUUID(), code: `p-${randomUUID()}`, name: 'p', maxCameras: 1, monthlyFrameQuota: 1n, requestsPerMinute: 1 } });
  return (await db.tenant.create({ data: { id: randomUUID(), name, planId: plan.id } })).id;
}

function clip(name: string, pattern: string): string {
  const path = join(dir, name);
  // 1 s of 160x120 at 10 fps: 10 frames.
  execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `${pattern}=duration=1:size=160x120:rate=10`, '-c:v', 'mpeg4', '-q:v', '5', path]);
  return path;
}

function service(processor: VideoProcessor, options: { concurrency?: number } = {}): VideoJobService {
  return new VideoJobService(repository, mediaFileAccess(new MediaAccess({ roots: parseMediaRoots(`*=${dir}`), dataDir: join(dir, 'data') })), processor, { outputDir: join(dir, 'out'), concurrency: options.concurrency ?? 2 });
}

let a: string;
let b: string;
let copyOfA: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 4 });
  repository = new VideoJobRepository(createTenantDbFactory(db));
  dir = mkdtempSync(join(tmpdir(), 'trinetra-jobs-'));
  a = clip('a.mp4', 'testsrc');
  b = clip('b.mp4', 'smptebars');
  copyOfA = join(dir, 'vidéo ü copie.mp4');
  copyFileSync(a, copyOfA);
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function manifest(rows: string[]): Uint8Array {
  return Buffer.from(['local_path,label,camera_site', ...rows].join('\n'), 'utf8');
}

describe('VideoJobService', () => {
  it('imports a manifest with a missing file, a duplicate, a malformed row and non-ASCII names, then processes it', async () => {
    const tenant = await newTenant('Batch');
    const processor = new CountingProcessor();
    const jobs = service(processor);
    const summary = await jobs.importManifest(tenant, 'batch.csv', manifest([`${a},walk,north`, `${b},run,south`, `${join(dir, 'gone.mp4')},x,y`, 'only,two', `${copyOfA.normalize('NFD')},marche,nörd`]));
    expect(summary).toMatchObject({ jobs: 4, queued: 2, duplicates: 1, missing: 1 });
    expect(summary.malformed).toHaveLength(1);
    expect(summary.malformed[0]?.line).toBe(5);
    expect(summary.problems.map((p) => [p.line, p.kind])).toEqual([
      [4, 'missing_file'],
      [5, 'malformed'],
      [6, 'duplicate'],
    ]);
    expect(summary.problems[2]?.message).toContain('line 2');

    const events: VideoJobProgress[] = [];
    const run = await jobs.run(tenant, { onProgress: (e) => events.push(e) });
    expect(run).toEqual({ done: 2, failed: 0, missing: 0, reused: 1, cancelled: false });
    expect(processor.calls.sort()).toEqual([a, b].sort());
    expect(events.filter((e) => e.type === 'frames').length).toBeGreaterThanOrEqual(20);

    const page = await jobs.list(tenant, 10, null);
    const byPath = new Map(page.items.map((j) => [j.localPath, j]));
    const jobA = byPath.get(a)!;
    const dup = byPath.get(copyOfA)!;
    expect(jobA).toMatchObject({ status: 'done', frameCount: 10, quality: 1, attempts: 1, label: 'walk', metadata: { camera_site: 'north' } });
    expect(dup).toMatchObject({ status: 'done', duplicateOfId: jobA.id, outputPath: jobA.outputPath, outputSha256: jobA.outputSha256, label: 'marche', metadata: { camera_site: 'nörd' } });
    expect(byPath.get(join(dir, 'gone.mp4'))).toMatchObject({ status: 'missing_file', error: 'file not found' });
    expect(dup.filename).toBe('vidéo ü copie.mp4');

    const bytes = readFileSync(jobA.outputPath!);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(jobA.outputSha256);
    const lines = gunzipSync(bytes).toString().trim().split('\n').map((l) => JSON.parse(l) as { type: string; ptsMs?: number });
    expect(lines[0]).toMatchObject({ type: 'video', width: 160, height: 120, fps: 10 });
    expect(lines.slice(1).map((l) => l.ptsMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(await jobs.counts(tenant)).toEqual({ queued: 0, processing: 0, done: 3, failed: 0, missing_file: 1 });
  });

  it('reuses earlier output when a later manifest names the same video', async () => {
    const tenant = await newTenant('Again');
    const processor = new CountingProcessor();
    const jobs = service(processor);
    await jobs.importManifest(tenant, 'first.csv', manifest([`${a},one,x`]));
    await jobs.run(tenant);
    const second = await jobs.importManifest(tenant, 'second.csv', manifest([`${copyOfA},two,y`, `${b},three,z`]));
    expect(second).toMatchObject({ queued: 1, duplicates: 1 });
    expect(await jobs.run(tenant)).toMatchObject({ done: 1, reused: 1 });
    expect(processor.calls.sort()).toEqual([a, b].sort());
  });

  it('resume picks up failed and orphaned jobs, never redoes done ones', async () => {
    const tenant = await newTenant('Resume');
    const processor = new CountingProcessor();
    processor.failures.set(b, 1);
    const jobs = service(processor, { concurrency: 1 });
    await jobs.importManifest(tenant, 'r.csv', manifest([`${a},1,x`, `${b},2,y`]));
    expect(await jobs.run(tenant)).toMatchObject({ done: 1, failed: 1 });
    const failed = (await jobs.list(tenant, 10, null, { status: 'failed' })).items[0]!;
    expect(failed).toMatchObject({ localPath: b, error: `simulated failure of ${b}`, attempts: 1 });

    // A runner killed mid-job leaves it `processing` with a stale heartbeat.
    const done = (await jobs.list(tenant, 10, null, { status: 'done' })).items[0]!;
    const c = clip('c.mp4', 'rgbtestsrc');
    await jobs.importManifest(tenant, 'r2.csv', manifest([`${c},3,z`]));
    const orphan = (await jobs.list(tenant, 10, null, { status: 'queued' })).items.find((j) => j.localPath === c)!;
    await db.videoJob.update({ where: { id: orphan.id }, data: { status: 'processing', attempts: 1, heartbeatAt: new Date(Date.now() - 120_000) } });

    const resumed = await jobs.resume(tenant);
    expect(resumed).toMatchObject({ requeued: { failed: 1, orphaned: 1 }, done: 2, failed: 0 });
    expect(processor.calls).toEqual([a, b, b, c]);
    expect(await repository.findById(tenant, done.id)).toMatchObject({ status: 'done', attempts: 1, outputSha256: done.outputSha256 });
    expect(await repository.findById(tenant, orphan.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('fences out a runner whose job was taken over: only the current claim records a result', async () => {
    const tenant = await newTenant('Fence');
    const jobs = service(new CountingProcessor());
    await jobs.importManifest(tenant, 'f.csv', manifest([`${a},1,x`]));
    const first = (await repository.claimNext(tenant, new Date()))!;
    expect(await jobs.requeue(tenant, { orphanedAfterMs: 0 })).toEqual({ failed: 0, orphaned: 1 });
    const second = (await repository.claimNext(tenant, new Date()))!;
    expect([first.attempts, second.attempts]).toEqual([1, 2]);
    const result = { frameCount: 1, quality: 1, outputPath: '/x', outputSha256: 'ab' };
    expect(await repository.complete(tenant, first.id, first.attempts, result, new Date())).toBe(false);
    expect(await repository.fail(tenant, first.id, first.attempts, 'late', new Date())).toBe(false);
    expect(await repository.complete(tenant, second.id, second.attempts, result, new Date())).toBe(true);
    expect(await jobs.counts(tenant)).toMatchObject({ done: 1, processing: 0 });
  });

  it("never shows one tenant's jobs to another", async () => {
    const one = await newTenant('One');
    const two = await newTenant('Two');
    const jobs = service(new CountingProcessor());
    await jobs.importManifest(one, 'm.csv', manifest([`${join(dir, 'nothing.mp4')},a,b`]));
    expect((await jobs.list(one, 10, null)).items).toHaveLength(1);
    expect((await jobs.list(two, 10, null)).items).toEqual([]);
    const id = (await jobs.list(one, 10, null)).items[0]!.id;
    expect(await repository.findById(two, id)).toBeNull();
  });

  it('refuses a manifest without local_path', async () => {
    const tenant = await newTenant('Bad');
    await expect(service(new CountingProcessor()).importManifest(tenant, 'bad.csv', Buffer.from('path,label\nx,y\n'))).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });
});
