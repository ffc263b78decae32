import { type ChildProcess, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemDb, type SystemDb } from '@trinetra/db';
import type { CliIo } from '@trinetra/shared';
import { seedPlans } from '../../../server/app/seed';
import { startServerProcess } from '../../../server/test/support/server-process';
import { gql, signUpTenant } from '../../../server/test/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../../server/test/support/test-database';
import { DEBIAN_FFMPEG } from '../sources/ffmpeg-binaries';
import { readIngestCliConfig } from './cli-config';
import { TrinetraApiClient } from './trinetra-api.client';
import { createVideoJobCommands } from './video-jobs.command';

const JWT_SECRET = 'cli-kill-test-secret-0123456789abcdef-0123456789';

let database: TestDatabase;
let db: SystemDb;
let dir: string;
let dataDir: string;
let tenantId: string;
let ingestKey: string;
let readOnlyKey: string;
const children: ChildProcess[] = [];

/** Starts the compiled server (`npm start`'s entry) as its own process on a free port; resolves its base URL. */
async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const { child, url } = await startServerProcess({
    DATABASE_URL: database.url,
    REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    JWT_SECRET,
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    MEDIA_ROOTS: `*=${dir}`,
    // The server runs one worker of its own; simulated inference keeps the test fast (test
    // clips carry no ground truth, so frames are decoded, sent and dropped as undecodable).
    WORKER_INFERENCE_BACKEND: 'simulated',
    FRAME_QUEUE_NAME: `frames-test-${database.name}`,
  });
  children.push(child);
  // The CLI takes the base URL (as TRINETRA_API_URL would be set) and appends /graphql itself.
  return { child, base: url.replace(/\/graphql$/, '') };
}

function memoryIo(onErr: (all: string) => void = () => undefined): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (c: string) => (out += c) },
    stderr: {
      write: (c: string) => {
        err += c;
        onErr(err);
      },
    },
    out: () => out,
    err: () => err,
  };
}

/** The CLI commands as `npm run cli` builds them, from the environment it would read. */
function commands(env: Record<string, string | undefined>) {
  const [ingest, jobs, resume] = createVideoJobCommands(() => new TrinetraApiClient(readIngestCliConfig(env)));
  return { ingest: ingest!, jobs: jobs!, resume: resume! };
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createSystemDb({ databaseUrl: database.url, poolSize: 2 });
  // The server seeds plans only after it logs its URL; sign-up needs them at once.
  await seedPlans(db);
  dir = mkdtempSync(join(tmpdir(), 'trinetra-cli-'));
  dataDir = join(dir, 'data');
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
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await db?.$disconnect();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest CLI (a client of the API)', () => {
  it('refuses bad arguments with usage (exit 2) and a missing key with a clear message (exit 1)', async () => {
    const io = memoryIo();
    expect(await commands({ TRINETRA_API_KEY: 'k' }).ingest.run([], io)).toBe(2);
    expect(io.err()).toContain('usage: ingest <manifest.csv>');
    const noKey = memoryIo();
    expect(await commands({}).jobs.run([], noKey)).toBe(1);
    expect(noKey.err()).toContain('TRINETRA_API_KEY is not set');
    const badUrl = memoryIo();
    expect(await commands({ TRINETRA_API_URL: 'ftp://x', TRINETRA_API_KEY: 'k' }).jobs.run([], badUrl)).toBe(1);
    expect(badUrl.err()).toContain('TRINETRA_API_URL must be an http');
    expect(await commands({ TRINETRA_API_KEY: 'k' }).jobs.run(['--status', 'bogus'], memoryIo())).toBe(2);
    expect(await commands({ TRINETRA_API_KEY: 'k' }).resume.run(['--orphaned-after', 'soon'], memoryIo())).toBe(2);
  });

  it('survives a SIGKILL of the server mid-batch: a new server process and `resume` finish every job exactly once, with whole, checksummed outputs', async () => {
    const first = await startServer();
    const { accessToken } = await signUpTenant(`${first.base}/graphql`, 'Cli');
    const key = async (scopes: string[]): Promise<string> => (await gql(`${first.base}/graphql`, `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`, { input: { name: 'cli', scopes } }, accessToken)).data!['createApiKey'].secret;
    ingestKey = await key(['ingest']);
    readOnlyKey = await key(['analytics:read']);
    tenantId = (await db.tenant.findFirstOrThrow({ where: { name: 'Cli' } })).id;
    const envOf = (base: string, apiKey = ingestKey) => ({ TRINETRA_API_URL: base, TRINETRA_API_KEY: apiKey });

    const forbidden = memoryIo();
    expect(await commands(envOf(first.base, readOnlyKey)).ingest.run([join(dir, 'manifest.csv')], forbidden)).toBe(1);
    expect(forbidden.err()).toMatch(/TRINETRA_API_KEY lacks the scope this needs \(ingest\)/);

    // Kill the server as soon as the CLI reported two finished videos (non-TTY: one line each).
    let killed = false;
    const io = memoryIo((err) => {
      if (!killed && (err.match(/^\[\d+\/\d+\] done/gm) ?? []).length >= 2) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    });
    expect(await commands(envOf(first.base)).ingest.run([join(dir, 'manifest.csv')], io)).toBe(1);
    expect(killed).toBe(true);
    expect(io.out()).toMatch(/7 jobs, 6 queued, 0 duplicates, 1 missing files, 0 malformed rows/);
    expect(io.out()).toMatch(/line 8: missing_file: file not found/);
    expect(io.err()).toMatch(/lost the connection to ws:\/\/127\.0\.0\.1:\d+\/graphql/);
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)));

    const beforeResume = await db.videoJob.findMany({ where: { tenantId } });
    const doneBefore = beforeResume.filter((j) => j.status === 'done');
    expect(doneBefore.length).toBeGreaterThanOrEqual(2);
    expect(doneBefore.length).toBeLessThan(6);
    expect(beforeResume.filter((j) => j.status === 'processing').length).toBeGreaterThan(0);

    const down = memoryIo();
    expect(await commands(envOf(first.base)).jobs.run([], down)).toBe(1);
    expect(down.err()).toMatch(/cannot reach the Trinetra API at http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\): is the server running\?/);

    const second = await startServer();
    const jobsIo = memoryIo();
    expect(await commands(envOf(second.base)).jobs.run(['--status', 'done'], jobsIo)).toBe(0);
    // One row per done job (each followed by an indented `output:` line) and the totals line.
    const rows = jobsIo.out().trim().split('\n').filter((line) => !line.startsWith(' '));
    expect(rows).toHaveLength(doneBefore.length + 1);
    expect(jobsIo.out().match(/^ {4}output: /gm)).toHaveLength(doneBefore.length);
    expect(jobsIo.out()).toMatch(/missing_file=1 total=7/);

    // The dead server's heartbeats are seconds old: a zero threshold takes its jobs over now.
    const resumed = memoryIo();
    expect(await commands(envOf(second.base)).resume.run(['--orphaned-after', '0'], resumed)).toBe(0);
    expect(resumed.out()).toMatch(/requeued failed=0 orphaned=[1-9]/);
    expect(resumed.out()).toContain('queued=0 processing=0 done=6 failed=0 missing_file=1 total=7');

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
    // One committed output per job and no temporary file left by the killed writers.
    const files = readdirSync(join(dataDir, 'outputs', tenantId));
    expect(files.sort()).toEqual(after.filter((j) => j.status === 'done').map((j) => `${j.id}.jsonl.gz`).sort());
    second.child.kill('SIGTERM');
  }, 120_000);
});
