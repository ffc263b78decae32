import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { MotionSourceFailure, type MotionVideoSource } from '@trinetra/analytics';
import type { MediaAccess, VideoJobRunner, VideoJobService } from '@trinetra/ingest';

/** How often a waiting analysis looks at its video job, ms. */
const POLL_MS = 500;

/** One CSV field, quoted (file names may hold commas or quotes). */
function csvField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * Motion analyses read video through ingest's batch video jobs (docs/batch-jobs.md): the same
 * decode -> worker pool (ONNX pose) -> tracking -> JSONL.gz path as `importManifest`, so an
 * upload is a one-row manifest whose file sits in the tenant's own media area
 * (`<DATA_DIR>/media/<tenantId>/uploads/`). Lives in server/ because it joins ingest and
 * analytics, which may not import each other.
 */
export class BatchJobMotionVideoSource implements MotionVideoSource {
  constructor(
    private readonly media: MediaAccess,
    private readonly jobs: VideoJobService,
    private readonly runner: VideoJobRunner,
  ) {}

  async submitUpload(tenantId: string, filename: string, content: Uint8Array): Promise<{ videoJobId: string }> {
    const dir = join(this.media.storageAreaOf(tenantId), 'uploads');
    await mkdir(dir, { recursive: true, mode: 0o750 });
    // A fresh name per upload: the tenant's text never becomes a path of its own.
    const path = join(dir, `${randomUUID()}${filename.slice(filename.lastIndexOf('.')).toLowerCase()}`);
    await writeFile(path, content, { mode: 0o640, flag: 'wx' });
    // CLOSE_UP: an athlete fills the frame; SCENE's person detector loses a crouched body (the
    // bottom of every squat in pose_squats.mp4), the whole-frame multi-person pose model does not.
    const csv = `local_path,filename,perception\n${csvField(path)},${csvField(filename)},CLOSE_UP\n`;
    const summary = await this.runner.importManifest(tenantId, `analysis upload ${filename}`, new TextEncoder().encode(csv));
    const page = await this.jobs.list(tenantId, 1, null, { manifestId: summary.manifestId });
    const job = page.items[0];
    if (!job) throw new Error(`the upload manifest ${summary.manifestId} created no job`);
    return { videoJobId: job.id };
  }

  async assertJobExists(tenantId: string, videoJobId: string): Promise<void> {
    await this.jobs.getOrThrow(tenantId, videoJobId);
  }

  async poseLines(tenantId: string, videoJobId: string, onProgress: (fraction: number) => void): Promise<unknown[]> {
    // Queued or processing: wait (the runner of this or another replica is on it).
    for (let waited = 0; ; waited += POLL_MS) {
      const job = await this.jobs.getOrThrow(tenantId, videoJobId);
      if (job.status === 'done') {
        if (!job.outputPath) throw new MotionSourceFailure('the video job is done but has no output');
        onProgress(1);
        return readJsonlGz(job.outputPath);
      }
      if (job.status === 'failed' || job.status === 'missing_file') {
        throw new MotionSourceFailure(`the video job ${job.status === 'failed' ? 'failed' : 'has no file'}${job.error ? `: ${job.error}` : ''}`);
      }
      // No frame total on the job row: an asymptotic estimate keeps the bar moving (~50 % at 20 s).
      if (job.status === 'processing') onProgress(waited / (waited + 20_000));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

async function readJsonlGz(path: string): Promise<unknown[]> {
  const lines: unknown[] = [];
  const input = createReadStream(path).pipe(createGunzip());
  const reader = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of reader) {
      n += 1;
      if (line.trim() === '') continue;
      try {
        lines.push(JSON.parse(line));
      } catch {
        throw new MotionSourceFailure(`the video job's output is not JSON at line ${n}`);
      }
    }
  } catch (error) {
    if (error instanceof MotionSourceFailure) throw error;
    throw new MotionSourceFailure(`the video job's output could not be read: ${(error as Error).message}`);
  }
  return lines;
}
