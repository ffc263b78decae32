import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSystemDb, type SystemDb } from '@trinetra/db';
import type { CliIo } from '@trinetra/shared';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';
import { readIngestCliConfig } from './cli-config';
import { createIngestCliContext } from './ingest-cli.context';
import { createVideoJobCommands } from './video-jobs.command';

const DIST_CLI = resolve(__dirname, '../dist/cli/index.js');
let database: TestDatabase;
let db: SystemDb;
let dir: string;
let tenantId: string;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: database.url, TRINETRA_TENANT_ID: tenantId, TRINETRA_OUTPUT_DIR: join(dir, 'out'), TRINETRA_JOB_CONCURRENCY: '1', ...extra };
}

function memoryIo(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, out: () => out, err: () => err };
}

const commands = (extra: Record<string, string> = {}) => {
  const [ingest, jobs, resume] = createVideoJobCommands(() => createIngestCliContext(readIngestCliConfig(env(extra))));
  return { ingest: ingest!, jobs: jobs!, resume: resume! };
};

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
  const plan = await db.plan.create({ data: { id: randomUUID(), code: 'cli', name: 'cli', maxCameras: 1, monthlyFrameQuota: 1n, requestsPerMinute: 1 } });
  tenantId = (await db.tenant.create({ data: { id: randomUUID(), name: 'Cli', planId: plan.id } })).id;
  dir = mkdtempSync(join(tmpdir(), 'trinetra-cli-'));
  const rows = ['local_path,label'];
  for (let i = 0; i < 6; i++) {
    const path = join(dir, `clip-${i}.mp4`);
    // 4 s of 320x240 at 25 fps, distinct content per clip (no duplicates).
    execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=duration=4:size=320x240:rate=25`, '-vf', `hue=h=${i * 50}`, '-c:v', 'mpeg4', '-q:v', '5', path]);
    rows.push(`${path},clip ${i}`);
  }
  rows.push(`${join(dir, 'missing.mp4')},gone`);
  writeFileSync(join(dir, 'manifest.csv'), rows.join('\n'));
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest CLI', () => {
  it('refuses bad arguments and a missing DATABASE_URL with usage and exit code 2 / 1', async () => {
    const io = memoryIo();
    expect(await commands().ingest.run([], io)).toBe(2);
    expect(io.err()).toContain('usage: ingest <manifest.csv>');
    const noDb = createVideoJobCommands(() => createIngestCliContext(readIngestCliConfig({})))[1]!;
    const io2 = memoryIo();
    expect(await noDb.run([], io2)).toBe(1);
    expect(io2.err()).toContain('DATABASE_URL');
    expect(await commands().jobs.run(['--status', 'bogus'], memoryIo())).toBe(2);
  });

  it('survives a kill -9 mid-run: resume finishes every job once, outputs are whole and match their checksums', async () => {
    const child = spawn(
      process.execPath,
      ['-e', `require(${JSON.stringify(DIST_CLI)}).ingestCliCommands[0].run([${JSON.stringify(join(dir, 'manifest.csv'))}], process).then((c) => process.exit(c))`],
      { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    // Kill as soon as the second video finished (non-TTY progress prints one line per job).
    await new Promise<void>((resolveKill, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if ((stderr.match(/^\[\d+\/\d+\] done/gm) ?? []).length >= 2 && child.exitCode === null) {
          child.kill('SIGKILL');
          resolveKill();
        }
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code} before the kill: ${stderr}`)));
    });
    await new Promise((r) => child.once('exit', r));
    const beforeResume = await db.videoJob.findMany({ where: { tenantId } });
    const doneBefore = beforeResume.filter((j) => j.status === 'done');
    expect(doneBefore.length).toBeGreaterThanOrEqual(2);
    expect(beforeResume.filter((j) => j.status === 'done').length).toBeLessThan(6);

    const jobsIo = memoryIo();
    expect(await commands().jobs.run([], jobsIo)).toBe(0);
    expect(jobsIo.out()).toMatch(/missing_file=1/);

    const io = memoryIo();
    expect(await commands({ TRINETRA_JOB_ORPHANED_AFTER_MS: '0' }).resume.run([], io)).toBe(0);
    expect(io.out()).toContain('missing=0');
    const after = await db.videoJob.findMany({ where: { tenantId } });
    expect(after.filter((j) => j.status === 'done')).toHaveLength(6);
    expect(after.filter((j) => j.status === 'missing_file')).toHaveLength(1);
    for (const job of doneBefore) {
      // Done before the kill: untouched by resume.
      expect(after.find((j) => j.id === job.id)).toMatchObject({ attempts: 1, finishedAt: job.finishedAt, outputSha256: job.outputSha256 });
    }
    for (const job of after.filter((j) => j.status === 'done')) {
      expect(job.frameCount).toBe(100);
      expect(createHash('sha256').update(readFileSync(job.outputPath!)).digest('hex')).toBe(job.outputSha256);
    }
    // No temporary file survives, and nothing but committed outputs sits under final names.
    const files = readdirSync(join(dir, 'out', tenantId));
    expect(files.sort()).toEqual(after.filter((j) => j.status === 'done').map((j) => `${j.id}.jsonl.gz`).sort());
    expect(existsSync(join(dir, 'out', tenantId))).toBe(true);
  }, 120_000);
});
