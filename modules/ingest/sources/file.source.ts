import { access } from 'node:fs/promises';
import { systemClock, type CameraStatusReason, type Clock } from '@trinetra/shared';
import { IngestError, IngestErrorCode } from '../domain/ingest.error';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import { FfmpegJpegProcess, type FfmpegExit } from './ffmpeg-jpeg-process';
import { probeVideo, type VideoProbe } from './ffprobe';
import { FrameSourceBase } from './frame-source-base';
import { readJpegSize } from './jpeg-stream';

/** Options of {@link FileSource}. */
export interface FileSourceOptions {
  cameraId: string;
  /**
   * Local path of the video (uploads are written to a temporary file first). Opened with the
   * `file` protocol only. Paths a tenant chose must go through `resolvePath` (or MediaAccess) first.
   */
  path: string;
  /**
   * Runs before probing and returns the path to open (the real path inside the tenant's media
   * roots); throwing ends the source `failed` with the error's message. Checked at every start,
   * so a stored camera whose path is no longer allowed cannot play.
   */
  resolvePath?: (path: string) => Promise<string>;
  /** The camera's target fps; frames above it are skipped by ffmpeg (original pts kept). Default: the file's own rate. */
  targetFps?: number;
  /**
   * `asap` (default): decode as fast as the consumer takes frames (batch jobs, benchmarks);
   * `realtime`: release each frame at its presentation time, like a camera.
   */
  pacing?: 'asap' | 'realtime';
  /** Epoch ms the video's time zero maps to (captureTs = base + pts). Default: the clock at start. */
  captureBaseTs?: number;
  /** mjpeg quality 2..31. Default 5. */
  jpegQuality?: number;
  binaries?: FfmpegBinaries;
  clock?: Clock;
}

/**
 * A video file decoded by ffmpeg into JPEG frames with their real presentation timestamps.
 * Metadata is probed before decoding (`probe`); the source ends with status `ended`, or `failed`
 * when ffmpeg fails (the detail carries ffmpeg's last lines).
 */
export class FileSource extends FrameSourceBase {
  readonly kind = 'file' as const;
  private process: FfmpegJpegProcess | null = null;
  private metadata: VideoProbe | null = null;
  private seq = 0;
  private base = 0;
  private readonly queue: Array<{ jpeg: Buffer; ptsMs: number }> = [];
  private timer: NodeJS.Timeout | null = null;
  private exit: FfmpegExit | null = null;
  private stopped = false;

  constructor(private readonly options: FileSourceOptions) {
    super(options.cameraId, options.clock ?? systemClock);
  }

  /** The probe result, once `start()` has resolved. */
  get probe(): VideoProbe | null {
    return this.metadata;
  }

  async start(): Promise<void> {
    if (this.process || this.stopped) return;
    this.setStatus('connecting');
    let path: string;
    try {
      path = this.options.resolvePath ? await this.options.resolvePath(this.options.path) : this.options.path;
      if (this.stopped) return;
      this.metadata = await probeVideo(path, this.options.binaries ? { binaries: this.options.binaries } : {});
    } catch (error) {
      this.setStatus('failed', { detail: error instanceof Error ? error.message : String(error), reason: await startFailureReason(error, this.options.path) });
      return;
    }
    if (this.stopped) return;
    this.base = this.options.captureBaseTs ?? this.clock.now();
    const fps = this.options.targetFps !== undefined && this.options.targetFps < this.metadata.fps ? this.options.targetFps : undefined;
    this.process = new FfmpegJpegProcess(
      {
        input: { kind: 'file', path },
        ...(fps !== undefined ? { fps } : {}),
        ...(this.options.jpegQuality !== undefined ? { jpegQuality: this.options.jpegQuality } : {}),
        ...(this.options.binaries ? { binaries: this.options.binaries } : {}),
      },
      (jpeg, ptsMs) => this.onImage(jpeg, ptsMs),
      (exit) => {
        this.exit = exit;
        this.pump();
      },
    );
    this.setStatus('live');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.process?.kill();
    if (this.status !== 'ended' && this.status !== 'failed') this.setStatus('stopped');
  }

  protected override onResume(): void {
    this.process?.resume();
    this.pump();
  }

  private onImage(jpeg: Buffer, ptsMs: number | null): void {
    const fps = this.metadata?.fps ?? 25;
    const last = this.queue[this.queue.length - 1]?.ptsMs;
    this.queue.push({ jpeg, ptsMs: ptsMs ?? (last === undefined ? 0 : last + 1000 / fps) });
    // Hold ffmpeg back while frames wait (paused consumer or realtime pacing): bounded memory.
    if (this.queue.length >= 8) this.process?.pause();
    this.pump();
  }

  private pump(): void {
    if (this.stopped || this.timer) return;
    while (this.queue.length > 0 && !this.paused) {
      const next = this.queue[0] as { jpeg: Buffer; ptsMs: number };
      if (this.options.pacing === 'realtime') {
        const wait = this.base + next.ptsMs - this.clock.now();
        if (wait > 0) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.pump();
          }, wait);
          return;
        }
      }
      this.queue.shift();
      const size = readJpegSize(next.jpeg) ?? { width: this.metadata?.width ?? 0, height: this.metadata?.height ?? 0 };
      this.emitFrame({ cameraId: this.cameraId, seq: this.seq++, captureTs: this.base + next.ptsMs, ptsMs: next.ptsMs, jpeg: next.jpeg, ...size });
    }
    if (this.queue.length < 8 && !this.paused) this.process?.resume();
    if (this.queue.length === 0 && this.exit && !this.stopped) {
      const { code, signal, stderrTail } = this.exit;
      this.stopped = true;
      if (code === 0) this.setStatus('ended', { detail: `${this.seq} frames`, reason: 'ENDED' });
      else this.setStatus('failed', { detail: `ffmpeg exited with ${signal ?? code}: ${stderrTail.slice(-2).join(' | ')}`, reason: 'DECODE_ERROR' });
    }
  }
}

/**
 * Why a file could not start: gone (refused by the media roots, or no longer on disk) or
 * there but not decodable. MediaAccess answers one message for both "outside" and "missing",
 * and both mean the same to the tenant: the path no longer names a file it may read.
 */
async function startFailureReason(error: unknown, path: string): Promise<CameraStatusReason> {
  if (error instanceof IngestError && error.code === IngestErrorCode.MEDIA_UNAVAILABLE) return 'SOURCE_NOT_FOUND';
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  return exists ? 'DECODE_ERROR' : 'SOURCE_NOT_FOUND';
}
