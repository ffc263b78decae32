import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Temporary names of the atomic JSONL.gz writer: `.<jobId>.jsonl.gz.<12 hex>.tmp`. */
const TEMPORARY = /^\.([0-9a-f-]{36})\.jsonl\.gz\.[0-9a-f]{12}\.tmp$/;

/** Options of {@link sweepStaleOutputs}. */
export interface SweepStaleOutputsOptions {
  /** Epoch ms now. */
  now: number;
  /**
   * Only files not modified for this long go: a live writer appends continuously, so its file
   * stays younger than the orphan threshold even when it belongs to another server replica.
   */
  olderThanMs: number;
  /** Jobs this process is writing right now: their files are kept whatever their age. */
  activeJobIds: ReadonlySet<string>;
}

/**
 * Removes temporary outputs left by writers that were killed (a crashed runner), never those
 * of a writer still at work. Returns the names removed. A missing directory sweeps nothing.
 */
export async function sweepStaleOutputs(dir: string, options: SweepStaleOutputsOptions): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const jobId = TEMPORARY.exec(name)?.[1];
    if (!jobId || options.activeJobIds.has(jobId)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (!info || options.now - info.mtimeMs < options.olderThanMs) continue;
    await rm(path, { force: true });
    removed.push(name);
  }
  return removed;
}
