import { readFile } from 'node:fs/promises';
import { createDownloadCommand } from './download.command';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { decodeText, detectEncoding } from '../batch/text-encoding';
import { VIDEO_JOB_STATUSES } from '../batch/video-job';
import { readIngestCliConfig } from './cli-config';
import { IngestCliError } from './ingest-cli.error';
import { ProgressBar, type ProgressStream } from './progress-bar';
import { TrinetraApiClient } from './trinetra-api.client';
import { COUNTS_FIELDS, followVideoJobProgress, type VideoJobCountsWire } from './video-job-progress.follower';

/** Builds the API client the commands use; tests pass their own. */
export type ApiClientFactory = () => TrinetraApiClient;

const IMPORT = `mutation($input: ImportManifestInput!) { importManifest(input: $input) {
  manifestId name delimiter jobs queued duplicates missing malformed problems { line kind message } } }`;
const RESUME = `mutation($orphanedAfterSeconds: Int) { resumeVideoJobs(orphanedAfterSeconds: $orphanedAfterSeconds) {
  requeuedFailed requeuedOrphaned counts { ${COUNTS_FIELDS} } } }`;
const LIST = `query($first: Int!, $after: String, $status: VideoJobStatus, $manifestId: ID) {
  videoJobs(first: $first, after: $after, status: $status, manifestId: $manifestId) {
    edges { node { id line status filename frameCount error startedAt finishedAt outputUrl warnings { code message } } } pageInfo { hasNextPage endCursor } }
  videoJobCounts(manifestId: $manifestId) { ${COUNTS_FIELDS} } }`;

interface ImportWire {
  importManifest: { manifestId: string; name: string; delimiter: string; jobs: number; queued: number; duplicates: number; missing: number; malformed: number; problems: Array<{ line: number; kind: string; message: string }> };
}
interface ResumeWire {
  resumeVideoJobs: { requeuedFailed: number; requeuedOrphaned: number; counts: VideoJobCountsWire };
}
interface ListWire {
  videoJobs: {
    edges: Array<{
      node: {
        id: string;
        line: number;
        status: string;
        filename: string;
        frameCount: number | null;
        error: string | null;
        startedAt: string | null;
        finishedAt: string | null;
        outputUrl: string | null;
        warnings: Array<{ code: string; message: string }>;
      };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  videoJobCounts: VideoJobCountsWire;
}

function fail(io: CliIo, name: string, message: string, usage?: string): number {
  io.stderr.write(`${name}: ${message}\n${usage ? `usage: ${usage}\n` : ''}`);
  return usage ? 2 : 1;
}

/** Opens a client, runs the body, turns typed failures into a message and exit code 1. */
async function withClient(io: CliIo, name: string, open: ApiClientFactory, body: (client: TrinetraApiClient) => Promise<number>): Promise<number> {
  let client: TrinetraApiClient;
  try {
    client = open();
  } catch (error) {
    return fail(io, name, error instanceof Error ? error.message : String(error));
  }
  try {
    return await body(client);
  } catch (error) {
    if (error instanceof IngestCliError) return fail(io, name, error.message);
    throw error;
  } finally {
    await client.close();
  }
}

function countsLine(c: VideoJobCountsWire): string {
  return `queued=${c.queued} processing=${c.processing} done=${c.done} failed=${c.failed} missing_file=${c.missingFile} total=${c.total}`;
}

/**
 * Follows progress with a bar on stderr until the batch is finished. Ctrl-C only stops
 * following: the server keeps processing. Exit code: 0 all done, 1 some failed, 130 interrupted.
 */
async function follow(io: CliIo, client: TrinetraApiClient, manifestId: string | null, name: string): Promise<number> {
  const bar = new ProgressBar(io.stderr as ProgressStream, 0);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let counts: VideoJobCountsWire | null;
  try {
    counts = await followVideoJobProgress(client, { manifestId, bar, signal: controller.signal });
  } catch (error) {
    if (error instanceof IngestCliError) {
      bar.finish();
      return fail(io, name, `${error.message}; jobs already handed to the server are not lost: \`jobs\` lists them, \`resume\` restarts what a stopped server left`);
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    bar.finish();
  }
  if (!counts) {
    io.stderr.write(`${name}: stopped following; the server keeps processing (\`jobs\` shows progress)\n`);
    return 130;
  }
  io.stdout.write(`${countsLine(counts)}\n`);
  return counts.failed > 0 ? 1 : 0;
}

/** Builds the three job commands over an API client factory (default: from the environment). */
export function createVideoJobCommands(open: ApiClientFactory = () => new TrinetraApiClient(readIngestCliConfig())): CliCommand[] {
  const ingestUsage = 'ingest <manifest.csv> [--name <name>] [--no-wait]';
  const ingest: CliCommand = {
    name: 'ingest',
    summary: 'Send a manifest CSV of videos (paths on the server) to the API and follow the batch',
    usage: ingestUsage,
    async run(argv, io) {
      let values: { name?: string | undefined; 'no-wait'?: boolean | undefined };
      let positionals: string[];
      try {
        ({ values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { name: { type: 'string' }, 'no-wait': { type: 'boolean' } } }));
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
      // GraphQL carries text: the encoding is detected here, the server parses UTF-8.
      const encoding = detectEncoding(bytes);
      const csv = decodeText(bytes, encoding);
      return withClient(io, 'ingest', open, async (client) => {
        const { importManifest: s } = await client.request<ImportWire>(IMPORT, { input: { csv, name: values.name ?? basename(path) } });
        io.stdout.write(
          `imported ${s.name} (${encoding}, delimiter ${JSON.stringify(s.delimiter)}) as manifest ${s.manifestId}: ${s.jobs} jobs, ${s.queued} queued, ${s.duplicates} duplicates, ${s.missing} missing files, ${s.malformed} malformed rows\n`,
        );
        for (const p of s.problems) io.stdout.write(`  line ${p.line}: ${p.kind.toLowerCase()}: ${p.message}\n`);
        if (values['no-wait']) return 0;
        return follow(io, client, s.manifestId, 'ingest');
      });
    },
  };

  const jobsUsage = `jobs [--status ${VIDEO_JOB_STATUSES.join('|')}] [--manifest <id>] [--limit 20]`;
  const jobs: CliCommand = {
    name: 'jobs',
    summary: 'List batch video jobs and their counts by status',
    usage: jobsUsage,
    async run(argv, io) {
      let values: { status?: string | undefined; manifest?: string | undefined; limit?: string | undefined };
      try {
        ({ values } = parseArgs({ args: [...argv], options: { status: { type: 'string' }, manifest: { type: 'string' }, limit: { type: 'string', default: '20' } } }));
      } catch (error) {
        return fail(io, 'jobs', (error as Error).message, jobsUsage);
      }
      const status = values.status ?? null;
      if (status !== null && !(VIDEO_JOB_STATUSES as readonly string[]).includes(status)) return fail(io, 'jobs', `unknown status ${status}`, jobsUsage);
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return fail(io, 'jobs', '--limit must be 1..10000', jobsUsage);
      return withClient(io, 'jobs', open, async (client) => {
        let after: string | null = null;
        let shown = 0;
        let more: boolean;
        let counts: VideoJobCountsWire | null = null;
        do {
          const data: ListWire = await client.request<ListWire>(LIST, { first: Math.min(100, limit - shown), after, status: status?.toUpperCase() ?? null, manifestId: values.manifest ?? null });
          counts ??= data.videoJobCounts;
          for (const { node: j } of data.videoJobs.edges) {
            const took = j.startedAt && j.finishedAt ? `${((Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000).toFixed(1)}s` : '';
            io.stdout.write(`${j.id}  ${j.status.toLowerCase().padEnd(12)} ${String(j.frameCount ?? '').padStart(6)} ${took.padStart(7)}  ${j.filename}${j.error ? `  (${j.error})` : ''}\n`);
            for (const w of j.warnings) io.stdout.write(`    warning ${w.code}: ${w.message}\n`);
            // The signed link works for 15 minutes; `download <id>` needs none (it sends the key).
            if (j.outputUrl) io.stdout.write(`    output: ${client.resolve(j.outputUrl)}  (or: npm run cli -- download ${j.id})\n`);
          }
          shown += data.videoJobs.edges.length;
          more = data.videoJobs.pageInfo.hasNextPage;
          after = data.videoJobs.pageInfo.endCursor;
        } while (more && shown < limit);
        if (more) io.stdout.write(`... more (use --limit, --status or --manifest)\n`);
        io.stdout.write(`${countsLine(counts)}\n`);
        return 0;
      });
    },
  };

  const resumeUsage = 'resume [--orphaned-after <seconds>] [--no-wait]';
  const resume: CliCommand = {
    name: 'resume',
    summary: 'Requeue failed and orphaned batch jobs on the server and follow them to the end',
    usage: resumeUsage,
    async run(argv, io) {
      let values: { 'orphaned-after'?: string | undefined; 'no-wait'?: boolean | undefined };
      try {
        ({ values } = parseArgs({ args: [...argv], options: { 'orphaned-after': { type: 'string' }, 'no-wait': { type: 'boolean' } } }));
      } catch (error) {
        return fail(io, 'resume', (error as Error).message, resumeUsage);
      }
      const raw = values['orphaned-after'];
      const orphanedAfterSeconds = raw === undefined ? null : Number(raw);
      if (orphanedAfterSeconds !== null && (!Number.isInteger(orphanedAfterSeconds) || orphanedAfterSeconds < 0)) return fail(io, 'resume', '--orphaned-after must be a whole number of seconds', resumeUsage);
      return withClient(io, 'resume', open, async (client) => {
        const { resumeVideoJobs: r } = await client.request<ResumeWire>(RESUME, { orphanedAfterSeconds });
        io.stdout.write(`requeued failed=${r.requeuedFailed} orphaned=${r.requeuedOrphaned}\n`);
        if (r.counts.processing > 0 && r.requeuedOrphaned === 0 && r.counts.queued === 0) {
          io.stdout.write(`${r.counts.processing} jobs are processing with a recent heartbeat (a live server, or one that died less than the orphan threshold ago): waiting for them; \`resume --orphaned-after 0\` takes them over now\n`);
        }
        if (values['no-wait']) return 0;
        return follow(io, client, null, 'resume');
      });
    },
  };
  return [ingest, jobs, resume, createDownloadCommand(open)];
}
