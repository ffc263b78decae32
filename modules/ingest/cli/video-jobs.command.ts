import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { VIDEO_JOB_STATUSES, type VideoJobStatus } from '../batch/video-job';
import type { VideoJobProgress, VideoJobRunSummary } from '../jobs/video-job.service';
import { createIngestCliContext, type IngestCliContext } from './ingest-cli.context';
import { ProgressBar, type ProgressStream } from './progress-bar';

type ContextFactory = () => IngestCliContext;

function fail(io: CliIo, name: string, message: string, usage?: string): number {
  io.stderr.write(`${name}: ${message}\n${usage ? `usage: ${usage}\n` : ''}`);
  return usage ? 2 : 1;
}

async function withContext(io: CliIo, name: string, open: ContextFactory, body: (ctx: IngestCliContext) => Promise<number>): Promise<number> {
  let ctx: IngestCliContext;
  try {
    ctx = open();
  } catch (error) {
    return fail(io, name, error instanceof Error ? error.message : String(error));
  }
  try {
    return await body(ctx);
  } catch (error) {
    return fail(io, name, error instanceof Error ? error.message : String(error));
  } finally {
    await ctx.close();
  }
}

/** Runs queued jobs with a progress bar on stderr; Ctrl-C stops claiming and fails the jobs in flight (resume retries them). */
async function runWithProgress(io: CliIo, total: number, run: (options: { signal: AbortSignal; onProgress(e: VideoJobProgress): void }) => Promise<VideoJobRunSummary>): Promise<VideoJobRunSummary> {
  const bar = new ProgressBar(io.stderr as ProgressStream, total);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await run({
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'frames') bar.update(`${e.job.filename} ${e.frames}${e.total ? `/${e.total}` : ''} frames`);
        else if (e.type === 'started') bar.update(`${e.job.filename} starting`);
        else bar.tick(`${e.status.padEnd(12)} ${e.job.filename}${e.error ? ` (${e.error})` : ''}`);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar.finish();
  }
}

function summaryLine(s: VideoJobRunSummary): string {
  return `done=${s.done} reused=${s.reused} failed=${s.failed} missing=${s.missing}${s.cancelled ? ' cancelled=true' : ''}`;
}

/** Builds the three job commands over a context factory (default: from the environment). */
export function createVideoJobCommands(open: ContextFactory = () => createIngestCliContext()): CliCommand[] {
  const ingestUsage = 'ingest <manifest.csv> [--tenant <id>] [--no-run]';
  const ingest: CliCommand = {
    name: 'ingest',
    summary: 'Import a manifest CSV of videos as batch jobs and process them',
    usage: ingestUsage,
    async run(argv, io) {
      let values: { tenant?: string | undefined; 'no-run'?: boolean | undefined };
      let positionals: string[];
      try {
        ({ values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { tenant: { type: 'string' }, 'no-run': { type: 'boolean' } } }));
      } catch (error) {
        return fail(io, 'ingest', (error as Error).message, ingestUsage);
      }
      const [path] = positionals;
      if (!path || positionals.length !== 1) return fail(io, 'ingest', 'expected one manifest path', ingestUsage);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        return fail(io, 'ingest', `cannot read ${path}: ${(error as Error).message}`);
      }
      return withContext(io, 'ingest', open, async (ctx) => {
        const tenantId = await ctx.resolveTenant(values.tenant);
        const s = await ctx.jobs.importManifest(tenantId, basename(path), bytes);
        io.stdout.write(`imported ${basename(path)} (${s.encoding}, delimiter ${JSON.stringify(s.delimiter)}): ${s.jobs} jobs, ${s.queued} queued, ${s.duplicates} duplicates, ${s.missing} missing files, ${s.malformed.length} malformed rows\n`);
        for (const p of s.malformed) io.stdout.write(`  line ${p.line}: ${p.message}\n`);
        if (values['no-run']) return 0;
        const run = await runWithProgress(io, s.queued + s.duplicates, (o) => ctx.jobs.run(tenantId, o));
        io.stdout.write(`${summaryLine(run)}\n`);
        return run.failed > 0 || run.cancelled ? 1 : 0;
      });
    },
  };

  const jobsUsage = `jobs [--tenant <id>] [--status ${VIDEO_JOB_STATUSES.join('|')}] [--limit 20]`;
  const jobs: CliCommand = {
    name: 'jobs',
    summary: 'List batch video jobs and their counts by status',
    usage: jobsUsage,
    async run(argv, io) {
      let values: { tenant?: string | undefined; status?: string | undefined; limit?: string | undefined };
      try {
        ({ values } = parseArgs({ args: [...argv], options: { tenant: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string', default: '20' } } }));
      } catch (error) {
        return fail(io, 'jobs', (error as Error).message, jobsUsage);
      }
      const status = (values.status ?? null) as VideoJobStatus | null;
      if (status !== null && !VIDEO_JOB_STATUSES.includes(status)) return fail(io, 'jobs', `unknown status ${status}`, jobsUsage);
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail(io, 'jobs', '--limit must be 1..1000', jobsUsage);
      return withContext(io, 'jobs', open, async (ctx) => {
        const tenantId = await ctx.resolveTenant(values.tenant);
        const counts = await ctx.jobs.counts(tenantId);
        const page = await ctx.jobs.list(tenantId, limit, null, status);
        for (const j of page.items) {
          const took = j.startedAt && j.finishedAt ? `${((j.finishedAt.getTime() - j.startedAt.getTime()) / 1000).toFixed(1)}s` : '';
          io.stdout.write(`${j.id}  ${j.status.padEnd(12)} ${String(j.frameCount ?? '').padStart(6)} ${took.padStart(7)}  ${j.filename}${j.error ? `  (${j.error})` : ''}\n`);
        }
        if (page.hasNextPage) io.stdout.write(`... more (use --limit or --status)\n`);
        io.stdout.write(`${VIDEO_JOB_STATUSES.map((s) => `${s}=${counts[s]}`).join(' ')}\n`);
        return 0;
      });
    },
  };

  const resumeUsage = 'resume [--tenant <id>]';
  const resume: CliCommand = {
    name: 'resume',
    summary: 'Requeue failed and orphaned batch jobs and process everything queued',
    usage: resumeUsage,
    async run(argv, io) {
      let values: { tenant?: string | undefined };
      try {
        ({ values } = parseArgs({ args: [...argv], options: { tenant: { type: 'string' } } }));
      } catch (error) {
        return fail(io, 'resume', (error as Error).message, resumeUsage);
      }
      return withContext(io, 'resume', open, async (ctx) => {
        const tenantId = await ctx.resolveTenant(values.tenant);
        const before = await ctx.jobs.counts(tenantId);
        const total = before.queued + before.failed;
        const run = await runWithProgress(io, total, (o) => ctx.jobs.resume(tenantId, o));
        const { requeued } = run as VideoJobRunSummary & { requeued: { failed: number; orphaned: number } };
        const stillProcessing = (await ctx.jobs.counts(tenantId)).processing;
        io.stdout.write(`requeued failed=${requeued.failed} orphaned=${requeued.orphaned}\n`);
        if (stillProcessing > 0) io.stdout.write(`${stillProcessing} jobs are still processing elsewhere (recent heartbeat); resume again later if their runner died\n`);
        io.stdout.write(`${summaryLine(run)}\n`);
        return run.failed > 0 || run.cancelled ? 1 : 0;
      });
    },
  };
  return [ingest, jobs, resume];
}
