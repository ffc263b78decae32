import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { constants as zlibConstants, createGzip, type Gzip } from 'node:zlib';
import { IngestError, IngestErrorCode } from '../domain/ingest.error';

/** What a committed output is. */
export interface JsonlGzOutput {
  path: string;
  /** SHA-256 hex of the compressed file as stored (record it in Postgres; verify on read). */
  sha256: string;
  bytes: number;
  records: number;
}

/**
 * Writes JSON lines, gzip-compressed, atomically: everything goes to a temporary file in the
 * same directory (`.<name>.<random>.tmp`), which is fsynced and renamed over the final name only
 * in `commit()`, then the directory is fsynced. A writer killed at any point leaves at most a
 * temporary file (swept by {@link sweepTemporaryOutputs}), never a partial file under the final name.
 */
export class JsonlGzWriter {
  private readonly gzip: Gzip;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private records = 0;
  private pending: Promise<void> = Promise.resolve();
  private done = false;

  private constructor(
    readonly finalPath: string,
    readonly tempPath: string,
    private readonly file: FileHandle,
  ) {
    this.gzip = createGzip({ level: zlibConstants.Z_BEST_SPEED });
    this.gzip.on('data', (chunk: Buffer) => {
      this.hash.update(chunk);
      this.bytes += chunk.length;
      this.pending = this.pending.then(() => this.file.write(chunk).then(() => undefined));
    });
  }

  static async open(finalPath: string): Promise<JsonlGzWriter> {
    const tempPath = join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(6).toString('hex')}.tmp`);
    return new JsonlGzWriter(finalPath, tempPath, await open(tempPath, 'wx'));
  }

  /** Appends one record as a JSON line; waits when the compressor is behind (backpressure). */
  async write(record: unknown): Promise<void> {
    if (this.done) throw new IngestError(IngestErrorCode.OUTPUT_WRITE_FAILED, `writer for ${this.finalPath} is closed`);
    this.records += 1;
    if (!this.gzip.write(`${JSON.stringify(record)}\n`)) await new Promise((r) => this.gzip.once('drain', r));
  }

  /** Flushes, fsyncs and renames into place; returns the checksum. */
  async commit(): Promise<JsonlGzOutput> {
    if (this.done) throw new IngestError(IngestErrorCode.OUTPUT_WRITE_FAILED, `writer for ${this.finalPath} is closed`);
    this.done = true;
    try {
      await new Promise<void>((resolve, reject) => {
        this.gzip.once('end', resolve);
        this.gzip.once('error', reject);
        this.gzip.end();
      });
      await this.pending;
      await this.file.sync();
      await this.file.close();
      await rename(this.tempPath, this.finalPath);
      const dir = await open(dirname(this.finalPath), 'r');
      await dir.sync().finally(() => dir.close());
    } catch (cause) {
      await rm(this.tempPath, { force: true });
      throw new IngestError(IngestErrorCode.OUTPUT_WRITE_FAILED, `could not write ${this.finalPath}`, {}, { cause });
    }
    return { path: this.finalPath, sha256: this.hash.digest('hex'), bytes: this.bytes, records: this.records };
  }

  /** Discards the output (the temporary file is removed; the final name is untouched). */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.gzip.destroy();
    await this.pending.catch(() => undefined);
    await this.file.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }
}

/** Removes temporary files left by killed writers in `dir` (run at start-up / resume). */
export async function sweepTemporaryOutputs(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const stale = (await readdir(dir)).filter((n) => /^\..+\.[0-9a-f]{12}\.tmp$/.test(n));
  await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
  return stale;
}
