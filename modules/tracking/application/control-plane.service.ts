import { randomUUID } from 'node:crypto';
import type { FrameDetections, FrameReport } from '@trinetra/gpu-worker';
import { systemClock } from '@trinetra/shared';
import {
  FrameSupervisor,
  type DispatchTier,
  type DeliveredFrame,
  type DispatchFrame,
  type FrameOutcome,
  type FrameSupervisorOptions,
  type PerceptionSettings,
  type PipelineEvent,
  type PipelineEventQuery,
  type PipelineHealth,
  type SubmitFrameInput,
  type SubmitOutcome,
  type TierPolicy,
} from '../domain/supervision';
import type { FrameTransport } from '../infra/frame.transport';

/** Options of {@link ControlPlane}: the supervisor's plus micro-batching and timers. */
export interface ControlPlaneOptions extends Omit<FrameSupervisorOptions, 'clock' | 'instanceId'> {
  /**
   * Frames per micro-batch (N). Default 8. Larger batches amortize per-job overhead and suit
   * batched models; smaller ones cut the wait for a batch to fill.
   */
  batchSize?: number;
  /** Most milliseconds the first waiting frame waits for its batch to fill (W). Default 5. */
  batchWaitMs?: number;
  /** Interval of the expiry sweep in ms. Default 10: deadlines are enforced within this. */
  sweepIntervalMs?: number;
  /** Unique id of this control plane (frame ids, Redis keys). Default: a random UUID. */
  instanceId?: string;
}

/**
 * A fault the control plane survived: `transport` (a batch could not be sent: its frames are
 * retried by failBatch; or results could not be read: the reader retries), `listener` (a
 * consumer of delivered frames threw: the frame stays delivered, its result is lost).
 */
export interface ControlPlaneFault {
  kind: 'transport' | 'listener';
  error: unknown;
  cameraId: string | null;
}

/** A frame delivered to the tracker with its detections. */
export type DeliveredDetections = DeliveredFrame<FrameDetections>;

/**
 * The tracking control plane: admits frames into per-camera deadline buffers, sends them to the
 * gpu-worker pool in micro-batches, merges the workers' reports, and delivers frames to the
 * tracker strictly in order, exactly once, or drops them with a stated reason. Wall-clock time
 * (deadlines cross process boundaries).
 */
export class ControlPlane {
  readonly instanceId: string;
  private readonly supervisor: FrameSupervisor<FrameDetections>;
  private readonly batchSize: number;
  private readonly batchWaitMs: number;
  private readonly sweepIntervalMs: number;
  private batchTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly scratch: DispatchFrame[] = [];
  private batchCounter = 0;
  private transportErrors = 0;
  private started = false;
  private readonly faultListeners = new Set<(fault: ControlPlaneFault) => void>();

  constructor(
    private readonly transport: FrameTransport,
    options: ControlPlaneOptions = {},
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.batchSize = options.batchSize ?? 8;
    this.batchWaitMs = options.batchWaitMs ?? 5;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 10;
    this.supervisor = new FrameSupervisor<FrameDetections>({
      ...options,
      clock: systemClock,
      instanceId: this.instanceId,
      onListenerError: (error, frame) => this.fault({ kind: 'listener', error, cameraId: frame.cameraId }),
    });
  }

  /** Starts reading worker reports and the expiry sweep. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.transport.start(
      (reports) => this.onReports(reports),
      (error) => {
        this.transportErrors += 1;
        this.fault({ kind: 'transport', error, cameraId: null });
      },
    );
    this.sweepTimer = setInterval(() => {
      this.supervisor.sweep();
      if (this.supervisor.queuedFrames > 0) this.flush(false);
    }, this.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Stops timers and closes the transport; frames still held stay counted as in flight. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.sweepTimer = this.batchTimer = null;
    await this.transport.close();
  }

  /** Registers a camera with its tier and how workers must look at its frames (sent with each frame). */
  registerCamera(cameraId: string, tier: DispatchTier, perception: PerceptionSettings, overrides: Partial<TierPolicy> = {}): void {
    this.supervisor.registerCamera(cameraId, tier, perception, overrides);
  }

  removeCamera(cameraId: string): void {
    this.supervisor.removeCamera(cameraId);
  }

  /**
   * Offers one admitted frame. `backpressure` means the (billing) source must keep the frame
   * and retry after `retryAfterMs`; `dropped` is final and already recorded as an event.
   */
  submitFrame(input: SubmitFrameInput): SubmitOutcome {
    const outcome = this.supervisor.submit(input);
    if (outcome.status === 'admitted') this.flush(false);
    return outcome;
  }

  /** Faults survived (each already counted in `health()`); the frame pipeline logs and meters them. */
  onFault(listener: (fault: ControlPlaneFault) => void): () => void {
    this.faultListeners.add(listener);
    return () => this.faultListeners.delete(listener);
  }

  private fault(fault: ControlPlaneFault): void {
    for (const listener of this.faultListeners) listener(fault);
  }

  /** Frames for the tracker, per camera in sequence order, each exactly once. */
  onDelivered(listener: (frame: DeliveredDetections) => void): () => void {
    return this.supervisor.onDelivered(listener);
  }

  health(): PipelineHealth & { transportErrors: number } {
    return { ...this.supervisor.health(), transportErrors: this.transportErrors };
  }

  events(query: PipelineEventQuery = {}): PipelineEvent[] {
    return this.supervisor.events(query);
  }

  onEvent(listener: (event: PipelineEvent) => void): () => void {
    return this.supervisor.onEvent(listener);
  }

  /** Cameras whose counters break `admitted = delivered + dropped + inFlight` (should be empty). */
  accountingViolations() {
    return this.supervisor.accountingViolations();
  }

  /** The domain core, for metrics export and tests. */
  get core(): FrameSupervisor<FrameDetections> {
    return this.supervisor;
  }

  /**
   * Dispatches full batches now; a partial batch waits up to `batchWaitMs` for more frames
   * unless `force`.
   */
  private flush(force: boolean): void {
    while (this.supervisor.queuedFrames >= this.batchSize || (force && this.supervisor.queuedFrames > 0)) {
      const frames = this.supervisor.takeBatch(this.batchSize, this.scratch);
      if (frames.length === 0) return;
      this.send(frames.slice());
    }
    if (this.supervisor.queuedFrames > 0 && this.batchTimer === null) {
      this.batchTimer = setTimeout(() => {
        this.batchTimer = null;
        this.flush(true);
      }, this.batchWaitMs);
    }
  }

  private send(frames: DispatchFrame[]): void {
    this.batchCounter += 1;
    const batchId = `${this.instanceId}-${this.batchCounter}`;
    this.transport.send({ batchId, frames }).catch((err: unknown) => {
      this.transportErrors += 1;
      this.fault({ kind: 'transport', error: err, cameraId: null });
      this.supervisor.failBatch(frames, err instanceof Error ? err.message : String(err));
    });
  }

  private onReports(reports: FrameReport[]): void {
    const failed: Extract<FrameReport, { status: 'batch_failed' }>[] = [];
    for (const report of reports) {
      if (report.status === 'batch_failed') failed.push(report);
      else this.supervisor.applyOutcome(report.cameraId, report.seq, report.frameId, toOutcome(report));
    }
    if (failed.length > 0) this.supervisor.failBatch(failed, failed[0]!.message);
    if (this.supervisor.queuedFrames > 0) this.flush(false);
  }
}

function toOutcome(report: Exclude<FrameReport, { status: 'batch_failed' }>): FrameOutcome<FrameDetections> {
  switch (report.status) {
    case 'ok':
      return { kind: 'result', result: report.detections, inferenceMs: report.inferenceMs, startedAt: report.startedAt };
    case 'deadline_missed':
      return { kind: 'dropped', reason: 'deadline_missed', message: 'worker picked it up after its deadline' };
    case 'decode_failed':
      return { kind: 'dropped', reason: 'decode_failed', message: report.message };
    case 'missing':
      return { kind: 'retry', message: 'frame bytes were gone from Redis' };
  }
}
