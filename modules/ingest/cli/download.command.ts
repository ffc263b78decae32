import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { IngestCliError } from './ingest-cli.error';
import type { TrinetraApiClient } from './trinetra-api.client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USAGE = 'download <jobId> [--out <file>] [--force]';

/**
 * `download <jobId>`: saves a finished job's JSONL.gz output (GET /outputs/<jobId> with the API
 * key). Written to a temporary file beside the target and renamed once its SHA-256 matches the
 * one the server recorded, so a broken transfer never leaves a file that looks complete.
 * Default name: the video's name with `.jsonl.gz`; an existing file is kept unless `--force`.
 */
export function createDownloadCommand(open: () => TrinetraApiClient): CliCommand {
  return {
    name: 'download',
    summary: "Save a finished batch job's output (JSONL.gz) to a file",
    usage: USAGE,
    async run(argv, io) {
      let values: { out?: string | undefined; force?: boolean | undefined };
      let positionals: string[];
      try {
        ({ values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { out: { type: 'string' }, force: { type: 'boolean' } } }));
      } catch (error) {
        return usage(io, (error as Error).message);
      }
      const [jobId] = positionals;
      if (!jobId || positionals.length !== 1) return usage(io, 'expected one job id');
      if (!UUID.test(jobId)) return usage(io, `${jobId} is not a job id (\`jobs\` lists them)`);
      let client: TrinetraApiClient;
      try {
        client = open();
      } catch (error) {
        io.stderr.write(`download: ${(error as Error).message}\n`);
        return 1;
      }
      try {
        const output = await client.fetchOutput(jobId);
        const target = values.out ?? basename(output.filename ?? `${jobId}.jsonl.gz`);
        if (!values.force && (await exists(target))) {
          await output.body.cancel();
          io.stderr.write(`download: ${target} exists: pass --force to replace it, or --out <file>\n`);
          return 1;
        }
        const bytes = await saveVerified(output.body, target, output.sha256);
        io.stdout.write(`saved ${target} (${bytes} bytes${output.sha256 ? `, sha256 ${output.sha256}` : ''})\n`);
        return 0;
      } catch (error) {
        if (error instanceof IngestCliError) {
          io.stderr.write(`download: ${error.message}\n`);
          return 1;
        }
        throw error;
      } finally {
        await client.close();
      }
    },
  };
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`download: ${message}\nusage: ${USAGE}\n`);
  return 2;
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function saveVerified(body: ReadableStream<Uint8Array>, target: string, sha256: string | null): Promise<number> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), count, createWriteStream(temp, { flags: 'wx' }));
    const actual = hash.digest('hex');
    if (sha256 && actual !== sha256) throw new Error(`the download is corrupt (sha256 ${actual}, expected ${sha256}): try again`);
    await rename(temp, target);
    return bytes;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
