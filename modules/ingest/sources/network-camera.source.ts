import { systemClock, type CameraStatusReason, type Clock } from '@trinetra/shared';
import { redactUrl } from '../domain/url-guard';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import { FfmpegJpegProcess, type FfmpegExit } from './ffmpeg-jpeg-process';
import { FrameSourceBase } from './frame-source-base';
import { readJpegSize } from './jpeg-stream';
import { ReconnectPolicy, type ReconnectPolicyOptions } from './reconnect-policy';

/** Options of {@link NetworkCameraSource}. */
export interface NetworkCameraSourceOptions {
  cameraId: string;
  /** rtsp(s):// or http(s):// (MJPEG or HLS). Validate it with the URL guard first; it may hold credentials. */
  url: string;
  /** The camera's target fps; ffmpeg keeps the first frame of each slot. Default: every frame. */
  targetFps?: number;
  /** No frame for this long while live means `stalled`; the process is restarted. Default 5000 ms. */
  stallTimeoutMs?: number;
  /** A connection attempt that produces no frame within this long counts as failed. Default 10 000 ms. */
  connectTimeoutMs?: number;
  reconnect?: ReconnectPolicy | ReconnectPolicyOptions;
  /**
   * Runs before every (re)connection; throwing ends the source `failed`. Use it to re-run the SSRF
   * guard, so a host that starts resolving to an internal address is refused on reconnect.
   */
  beforeConnect?: () => Promise<void>;
  /** mjpeg quality 2..31. Default 5. */
  jpegQuality?: number;
  binaries?: FfmpegBinaries;
  clock?: Clock;
}

/** ffmpeg input options per scheme: TCP for RTSP (no UDP loss), I/O timeouts so a dead socket ends ffmpeg. */
export function networkInputArgs(url: string, ioTimeoutMs: number): string[] {
  const us = String(Math.round(ioTimeoutMs * 1000));
  if (/^rtsps?:/i.test(url)) return ['-rtsp_transport', 'tcp', '-timeout', us];
  return ['-rw_timeout', us];
}

/**
 * A network camera (RTSP, HTTP MJPEG, HLS) through ffmpeg, supervised: `connecting` until the
 * first frame, then `live`; no frame for `stallTimeoutMs` means `stalled`; any end of the ffmpeg
 * process (stall, network error, camera reboot, end of stream) leads to `reconnecting` after an
 * exponential backoff with full jitter, then `connecting` again; `failed` when the retry budget is
 * spent or `beforeConnect` refuses. Frames carry receive-time timestamps and one sequence across
 * reconnects. URLs appear only redacted in status details.
 */
export class NetworkCameraSource extends FrameSourceBase {
  readonly kind = 'network' as const;
  readonly policy: ReconnectPolicy;
  private readonly redacted: string;
  private process: FfmpegJpegProcess | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private seq = 0;
  private lastFrameAt = 0;
  private liveSince = 0;
  private attemptStartedAt = 0;
  private stopped = false;
  private started = false;
  private lastCaptureTs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: NetworkCameraSourceOptions) {
    super(options.cameraId, options.clock ?? systemClock);
    this.policy = options.reconnect instanceof ReconnectPolicy ? options.reconnect : new ReconnectPolicy(options.reconnect);
    this.redacted = redactUrl(options.url);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimers();
    this.process?.kill();
    this.process = null;
    this.setStatus('stopped');
  }

  private get stallTimeout(): number {
    return this.options.stallTimeoutMs ?? 5000;
  }

  private clearTimers(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watchdog = null;
    this.retryTimer = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setStatus('connecting', { detail: this.redacted });
    if (this.options.beforeConnect) {
      try {
        await this.options.beforeConnect();
      } catch (error) {
        this.fail(`refused before connecting: ${error instanceof Error ? error.message : String(error)}`, 'SOURCE_NOT_ALLOWED');
        return;
      }
      if (this.stopped) return;
    }
    this.attemptStartedAt = this.clock.now();
    this.lastFrameAt = 0;
    const proc = new FfmpegJpegProcess(
      {
        input: { kind: 'network', url: this.options.url },
        // ffmpeg's own I/O timeout is only a backstop (twice ours), so stalls are detected and
        // reported by the watchdog below rather than surfacing as an opaque ffmpeg error.
        inputArgs: networkInputArgs(this.options.url, 2 * Math.max(this.stallTimeout, this.options.connectTimeoutMs ?? 10_000)),
        ...(this.options.targetFps !== undefined ? { fps: this.options.targetFps } : {}),
        ...(this.options.jpegQuality !== undefined ? { jpegQuality: this.options.jpegQuality } : {}),
        ...(this.options.binaries ? { binaries: this.options.binaries } : {}),
      },
      (jpeg, ptsMs) => this.onImage(proc, jpeg, ptsMs),
      (exit) => this.onExit(proc, exit),
    );
    this.process = proc;
    if (this.paused) proc.pause();
    this.watchdog = setInterval(() => this.checkStall(proc), Math.max(50, Math.min(1000, this.stallTimeout / 4)));
  }

  protected override onResume(): void {
    this.process?.resume();
    // A pause is not a stall: restart the stall clock.
    if (this.lastFrameAt > 0) this.lastFrameAt = this.clock.now();
    else this.attemptStartedAt = this.clock.now();
  }

  override pause(): void {
    super.pause();
    this.process?.pause();
  }

  private onImage(proc: FfmpegJpegProcess, jpeg: Buffer, ptsMs: number | null): void {
    if (proc !== this.process || this.stopped) return;
    const now = this.clock.now();
    this.lastFrameAt = now;
    if (this.status !== 'live') {
      this.liveSince = now;
      this.setStatus('live', { detail: this.redacted });
    }
    this.policy.noteLive(now - this.liveSince);
    const size = readJpegSize(jpeg) ?? { width: 0, height: 0 };
    const captureTs = Math.max(now, this.lastCaptureTs + 0.001);
    this.lastCaptureTs = captureTs;
    this.emitFrame({ cameraId: this.cameraId, seq: this.seq++, captureTs, jpeg, ...size, ...(ptsMs !== null ? { ptsMs } : {}) });
  }

  private checkStall(proc: FfmpegJpegProcess): void {
    if (proc !== this.process || this.paused) return;
    const now = this.clock.now();
    const connectTimeout = this.options.connectTimeoutMs ?? 10_000;
    if (this.lastFrameAt > 0 && now - this.lastFrameAt > this.stallTimeout) {
      this.setStatus('stalled', { detail: `no frame for ${Math.round(now - this.lastFrameAt)} ms`, reason: 'STALLED' });
      proc.kill();
    } else if (this.lastFrameAt === 0 && now - this.attemptStartedAt > connectTimeout) {
      proc.kill();
    }
  }

  private onExit(proc: FfmpegJpegProcess, exit: FfmpegExit): void {
    if (proc !== this.process) return;
    this.process = null;
    this.clearTimers();
    if (this.stopped) return;
    const why = exit.killed ? 'restarted by the supervisor' : exit.code === 0 ? 'stream ended' : `ffmpeg exited with ${exit.signal ?? exit.code}: ${exit.stderrTail.slice(-1).join('')}`;
    const next = this.policy.nextAttempt();
    if (!next) {
      // Frames came before: the camera answered and broke off; none ever: it was never reached.
      this.fail(`gave up after ${this.policy.attemptsSoFar} attempts (${why})`, this.seq > 0 || exit.code === 0 ? 'DECODE_ERROR' : 'SOURCE_UNREACHABLE');
      return;
    }
    this.setStatus('reconnecting', { detail: why, attempt: next.attempt, retryInMs: next.delayMs, reason: 'SOURCE_UNREACHABLE' });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, next.delayMs);
  }

  private fail(detail: string, reason: CameraStatusReason): void {
    this.clearTimers();
    this.process?.kill();
    this.process = null;
    this.stopped = true;
    this.setStatus('failed', { detail, reason });
  }
}
