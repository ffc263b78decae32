import type { Clock } from '@trinetra/shared';
import { TokenBucket } from '../admission/token-bucket';
import { readJpegSize } from '../sources/jpeg-stream';
import type { FrameSink, FrameSinkContext, FrameSinkResult } from './frame-sink';
import { IngestCloseCode } from './ingest-close-code';
import { decodeFrameMessage, type IngestErrorMessageCode, type IngestServerMessage } from './ingest-frame.codec';

/**
 * The four things the protocol core needs from a socket; each runtime (`ws`, uWebSockets, a
 * test double) is one adapter that calls {@link UploadSession.receive} per message.
 */
export interface UploadSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** Options of {@link UploadSession}. */
export interface UploadSessionOptions {
  clock: Clock;
  /**
   * Sustained frames/s one connection may send. Default 30: a phone at full camera rate;
   * admission then applies the camera's own target fps. Lower protects the server from one
   * client; higher lets high-rate uploaders through to admission.
   */
  ratePerS?: number;
  /** Frames that may arrive back to back above the rate. Default: one second of frames. */
  burst?: number;
  /** Largest JPEG accepted (bytes); larger closes 1009. Default 2 MiB (a 4K JPEG at high quality). */
  maxFrameBytes?: number;
  /** Malformed messages tolerated per connection; the next one closes 4400. Default 5. */
  maxMalformed?: number;
  /** Length of a rate-abuse window, ms. Default 1000. */
  abuseWindowMs?: number;
  /**
   * Consecutive windows in which more frames were suppressed than the rate allows (the client
   * sends at more than twice its rate) before the connection closes 4429. Default 3.
   */
  maxAbuseWindows?: number;
}

/** Counters of one connection. */
export interface UploadSessionStats {
  received: number;
  admitted: number;
  refused: number;
  suppressed: number;
  malformed: number;
}

/** Observers for logs and metrics; never allowed to break the session. */
export interface UploadSessionHooks {
  onResult?(result: FrameSinkResult | { admitted: false; reason: 'burst_suppressed' }): void;
  onSinkError?(error: unknown): void;
}

export const UPLOAD_SESSION_DEFAULTS = { ratePerS: 30, maxFrameBytes: 2 * 1024 * 1024, maxMalformed: 5, abuseWindowMs: 1000, maxAbuseWindows: 3 } as const;

/**
 * The `/ingest` protocol core for one authorized connection (docs/ingest-protocol.md): decodes
 * frame messages, applies the connection's token bucket, submits frames to the {@link FrameSink}
 * in arrival order and acknowledges each with the server receive time. Knows nothing of `ws`.
 */
export class UploadSession {
  readonly stats: UploadSessionStats = { received: 0, admitted: 0, refused: 0, suppressed: 0, malformed: 0 };
  private readonly bucket: TokenBucket;
  private readonly options: Required<Omit<UploadSessionOptions, 'burst'>> & { burst: number };
  private tail: Promise<void> = Promise.resolve();
  private closed = false;
  private windowStart = Number.NEGATIVE_INFINITY;
  private windowSuppressed = 0;
  private windowStruck = false;
  private strikes = 0;

  constructor(
    private readonly socket: UploadSocket,
    private readonly ctx: FrameSinkContext,
    private readonly sink: FrameSink,
    options: UploadSessionOptions,
    private readonly hooks: UploadSessionHooks = {},
  ) {
    const ratePerS = options.ratePerS ?? UPLOAD_SESSION_DEFAULTS.ratePerS;
    this.options = {
      clock: options.clock,
      ratePerS,
      burst: options.burst ?? Math.max(1, Math.ceil(ratePerS)),
      maxFrameBytes: options.maxFrameBytes ?? UPLOAD_SESSION_DEFAULTS.maxFrameBytes,
      maxMalformed: options.maxMalformed ?? UPLOAD_SESSION_DEFAULTS.maxMalformed,
      abuseWindowMs: options.abuseWindowMs ?? UPLOAD_SESSION_DEFAULTS.abuseWindowMs,
      maxAbuseWindows: options.maxAbuseWindows ?? UPLOAD_SESSION_DEFAULTS.maxAbuseWindows,
    };
    this.bucket = new TokenBucket(ratePerS, this.options.burst);
  }

  /** Sends the `ready` message: the connection is authorized and its limits. */
  ready(): void {
    this.send({ type: 'ready', cameraId: this.ctx.cameraId, ratePerS: this.options.ratePerS, burst: this.options.burst, maxFrameBytes: this.options.maxFrameBytes, serverTime: this.options.clock.now() });
  }

  /** Marks the session closed (the socket went away); later messages are ignored. */
  dispose(): void {
    this.closed = true;
  }

  /**
   * Handles one message. The receive time and rate decision are taken on arrival; sink
   * submission and acks run one at a time, so acks leave in the order frames arrived.
   * Resolves when this message's ack has been sent.
   */
  receive(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.closed) return this.tail;
    const receivedAt = this.options.clock.now();
    if (!isBinary) {
      this.malformed('text_not_supported', 'expected a binary frame message, but got a text message');
      return this.tail;
    }
    const decoded = decodeFrameMessage(data);
    if (!decoded.ok) {
      this.malformed(decoded.code, decoded.message, decoded.seq);
      return this.tail;
    }
    const { frame } = decoded;
    if (frame.cameraId !== this.ctx.cameraId) {
      this.malformed('camera_mismatch', `expected camera id ${this.ctx.cameraId} (the connection's), but got ${JSON.stringify(frame.cameraId.slice(0, 64))}`, frame.seq);
      return this.tail;
    }
    if (frame.jpeg.length > this.options.maxFrameBytes) {
      this.close(IngestCloseCode.MessageTooBig, `frame of ${frame.jpeg.length} bytes exceeds ${this.options.maxFrameBytes}`);
      return this.tail;
    }
    this.stats.received += 1;
    this.rollWindow(receivedAt);
    if (!this.bucket.tryTake(receivedAt)) {
      this.stats.suppressed += 1;
      this.safeHook(() => this.hooks.onResult?.({ admitted: false, reason: 'burst_suppressed' }));
      this.enqueue(async () => this.send({ type: 'ack', seq: frame.seq, receivedAt, admitted: false, reason: 'burst_suppressed' }));
      this.countAbuse();
      return this.tail;
    }
    const size = readJpegSize(frame.jpeg) ?? { width: 0, height: 0 };
    // The message buffer belongs to the socket layer; the frame outlives this call in buffers downstream.
    const sourceFrame = { cameraId: frame.cameraId, seq: frame.seq, captureTs: frame.captureTs, jpeg: Buffer.from(frame.jpeg), ...size };
    this.enqueue(async () => {
      let result: FrameSinkResult;
      try {
        result = await this.sink.submit(sourceFrame, this.ctx);
      } catch (error) {
        this.safeHook(() => this.hooks.onSinkError?.(error));
        this.send({ type: 'error', code: 'internal', message: 'the frame could not be processed', seq: frame.seq });
        result = { admitted: false, reason: 'source_failed' };
      }
      if (result.admitted) this.stats.admitted += 1;
      else this.stats.refused += 1;
      this.safeHook(() => this.hooks.onResult?.(result));
      this.send({ type: 'ack', seq: frame.seq, receivedAt, admitted: result.admitted, ...(result.reason ? { reason: result.reason } : {}) });
      if (result.close) this.close(result.close.code, result.close.reason);
    });
    return this.tail;
  }

  private enqueue(step: () => Promise<void>): void {
    this.tail = this.tail.then(step).catch((error: unknown) => this.safeHook(() => this.hooks.onSinkError?.(error)));
  }

  private malformed(code: IngestErrorMessageCode, message: string, seq?: number): void {
    this.stats.malformed += 1;
    this.enqueue(async () => this.send({ type: 'error', code, message, ...(seq !== undefined ? { seq } : {}) }));
    if (this.stats.malformed > this.options.maxMalformed) {
      this.enqueue(async () => this.close(IngestCloseCode.BadRequest, `too many malformed messages (${this.stats.malformed}); last: ${code}`));
    }
  }

  private rollWindow(now: number): void {
    if (now - this.windowStart < this.options.abuseWindowMs) return;
    // A window without a strike (including any quiet windows skipped over) resets the count.
    if (!this.windowStruck || now - this.windowStart >= 2 * this.options.abuseWindowMs) this.strikes = 0;
    this.windowStart = now;
    this.windowSuppressed = 0;
    this.windowStruck = false;
  }

  private countAbuse(): void {
    this.windowSuppressed += 1;
    const allowed = (this.options.ratePerS * this.options.abuseWindowMs) / 1000;
    if (this.windowStruck || this.windowSuppressed <= allowed) return;
    this.windowStruck = true;
    this.strikes += 1;
    if (this.strikes >= this.options.maxAbuseWindows) {
      this.enqueue(async () => this.close(IngestCloseCode.TooManyRequests, `sent above ${this.options.ratePerS} frames/s for ${this.strikes} windows`));
    }
  }

  private send(message: IngestServerMessage): void {
    if (!this.closed) this.socket.send(JSON.stringify(message));
  }

  private close(code: IngestCloseCode | number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    // Close reasons are limited to 123 bytes by RFC 6455.
    this.socket.close(code, Buffer.from(reason).subarray(0, 120).toString());
  }

  private safeHook(call: () => void): void {
    try {
      call();
    } catch {
      // Observers never break the session.
    }
  }
}
