import type { CameraStatusReason } from '@trinetra/shared';
import type { SourceFrame } from './source-frame';

/**
 * Lifecycle of a source as the camera status shows it (`cameraStatusChanged`):
 * `idle` (created) -> `connecting` -> `live`; a live network source that stops delivering
 * becomes `stalled`, then `reconnecting` (backoff) -> `connecting` -> `live` again, or `failed`
 * once its retry budget is spent. A finite source (file, bounded simulator) ends `ended`;
 * `stop()` ends in `stopped`.
 */
export type SourceStatus = 'idle' | 'connecting' | 'live' | 'stalled' | 'reconnecting' | 'failed' | 'ended' | 'stopped';

/** The kinds of source; each has one adapter under `modules/ingest/sources/`. */
export type SourceKind = 'file' | 'network' | 'simulator' | 'upload';

export interface SourceStatusChange {
  cameraId: string;
  from: SourceStatus;
  to: SourceStatus;
  /** Epoch ms of the change. */
  at: number;
  /** Why, in words safe to log and show (credentials already redacted). */
  detail?: string;
  /** For `failed`, `stalled`, `reconnecting` and `ended`: why, in the closed set the camera stores. */
  reason?: CameraStatusReason;
  /** For `reconnecting`: the attempt number (1-based) and the delay chosen before it. */
  attempt?: number;
  retryInMs?: number;
}

/** What a source calls; every callback is optional. Listener errors never break the source. */
export interface FrameSourceListener {
  onFrame?(frame: SourceFrame): void;
  onStatus?(change: SourceStatusChange): void;
}

/**
 * The contract every frame source implements (file, network camera, upload socket, simulator).
 * Sources never throw from their loops: faults become status changes.
 */
export interface FrameSource {
  readonly cameraId: string;
  readonly kind: SourceKind;
  readonly status: SourceStatus;
  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: FrameSourceListener): () => void;
  /** Starts producing frames; resolves once started (not when the first frame arrives). */
  start(): Promise<void>;
  /** Stops for good and releases processes, sockets and timers; idempotent. */
  stop(): Promise<void>;
  /**
   * Backpressure (billing-tier cameras are paused instead of dropped): a paused source stops
   * producing until {@link resume}. File and simulator sources simply wait; a network source
   * stops reading ffmpeg's output (ffmpeg then blocks, and the camera's own buffers absorb
   * the pause) and does not count the pause as a stall.
   */
  pause(): void;
  resume(): void;
}
