import type { FramePerception } from '@trinetra/gpu-worker';
import { DROP_REASONS, type Clock, type DropReason } from '@trinetra/shared';
import { DISPATCH_TIERS, DEFAULT_TIER_POLICIES, type DispatchTier, type TierPolicy } from './camera-tier';
import { CircuitBreaker, type BreakerState, type BreakerTransition, type CircuitBreakerOptions } from './circuit-breaker';
import { ControlPlaneError, ControlPlaneErrorCode } from './control-plane.error';
import { DispatchQueue } from './dispatch-queue';
import { LatencyTelemetry, STAGE_INDEX, type StageLatency } from './latency-telemetry';
import { PendingFrame } from './pending-frame';
import { PendingFrameBuffer } from './pending-frame-buffer';
import { PipelineEventLog, type PipelineEvent, type PipelineEventInput, type PipelineEventQuery } from './pipeline-event-log';
import { RateMeter } from './rate-meter';

/** Options of {@link FrameSupervisor}; every field but `clock` has a default. */
export interface FrameSupervisorOptions {
  clock: Clock;
  /**
   * Called when an `onDelivered` listener throws. The frame stays delivered (the accounting
   * holds: a consumer's fault does not undo delivery); what becomes of its result is the
   * consumer's to report. Default: counted in `listenerFaults` only.
   */
  onListenerError?: (error: unknown, frame: { cameraId: string; seq: number }) => void;
  /** Per-tier overrides of {@link DEFAULT_TIER_POLICIES}. */
  tiers?: Partial<Record<DispatchTier, Partial<TierPolicy>>>;
  breaker?: Partial<CircuitBreakerOptions>;
  /**
   * Frames in flight to workers at once, across cameras. Default 256. Bounds queue depth (and
   * so queue latency); size it to a few batches per worker slot.
   */
  maxInFlightFrames?: number;
  /**
   * In-flight slots only never-drop (billing) frames may use, so they always find worker
   * capacity under overload. Default 32.
   */
  reservedBillingSlots?: number;
  /**
   * Milliseconds an in-flight frame may outlive its deadline for its result to arrive (the
   * worker may have started it just before the deadline). Default 100. The bound on how long a
   * killed worker's frames stay unaccounted.
   */
  inFlightGraceMs?: number;
  /** Milliseconds before an unanswered never-drop frame is dispatched again. Default 2000. */
  billingLeaseMs?: number;
  /** Events kept in the ring buffer. Default 4096. */
  eventLogCapacity?: number;
  /** Telemetry window (quantiles cover one to two windows). Default 60 000. */
  telemetryWindowMs?: number;
  /** Prefix of frame ids, unique per control plane so a stale result can never match. Default `cp`. */
  instanceId?: string;
}

/** A frame offered to the control plane (after ingest admission). */
export interface SubmitFrameInput {
  cameraId: string;
  /** Strictly increasing per camera; gaps are fine. */
  seq: number;
  /** Encoded image (JPEG). */
  image: Buffer;
  /** Capture time in clock milliseconds; defaults to now. End-to-end latency starts here. */
  capturedAt?: number;
  /** Motion hint 0..1 from the source (used by fill/motion sampling); unknown when absent. */
  motion?: number;
}

/** What happened to a submitted frame. */
export type SubmitOutcome =
  | { status: 'admitted'; frameId: string }
  | { status: 'dropped'; reason: DropReason }
  /** Not admitted and not dropped: the (never-drop) source must hold it and retry later. */
  | { status: 'backpressure'; retryAfterMs: number };

/** What a worker says about one frame. */
export type FrameOutcome<R> =
  | { kind: 'result'; result: R; inferenceMs: number; startedAt?: number }
  | { kind: 'dropped'; reason: DropReason; message?: string }
  /** The worker could not run it through no fault of the frame (its bytes were gone); dispatch again until the deadline. */
  | { kind: 'retry'; message: string };

/** Whether a reported outcome was used. */
export type MergeOutcome = 'merged' | 'dropped' | 'requeued' | 'orphaned';

/** A frame handed to the tracker: in sequence order per camera, exactly once. */
export interface DeliveredFrame<R> {
  frameId: string;
  cameraId: string;
  seq: number;
  tier: DispatchTier;
  result: R;
  capturedAt: number;
  deliveredAt: number;
  bufferWaitMs: number;
  queueMs: number;
  inferenceMs: number;
  endToEndMs: number;
}

/**
 * How the worker looks at a camera's frames, decided by the server from the camera (its kind
 * and perception profile) when it registers the camera, and sent with every frame.
 */
export interface PerceptionSettings {
  perception: FramePerception;
  /** SCENE only: the detector also runs on overlapping tiles. */
  tiled: boolean;
  /** Embed the faces seen (the camera has identity on, with consent). Absent: no. */
  faces?: boolean;
}

/** A frame ready to be sent to a worker. */
export interface DispatchFrame extends PerceptionSettings {
  frameId: string;
  cameraId: string;
  seq: number;
  tier: DispatchTier;
  image: Buffer;
  /** Absolute deadline (clock ms) the worker checks; `null` for never-drop frames. */
  deadline: number | null;
  /** Milliseconds the bytes must stay retrievable (deadline + grace, or the lease). */
  retainMs: number;
}

/** Accounting counters of one camera; `admitted = delivered + dropped + inFlight` always. */
export interface CameraCounters {
  cameraId: string;
  tier: DispatchTier;
  admitted: number;
  delivered: number;
  dropped: number;
  /** Frames held by the control plane: waiting, in flight, or done and waiting for a predecessor. */
  inFlight: number;
  dropsByReason: Array<{ reason: DropReason; count: number }>;
  /** Never-drop frames refused with backpressure (not admitted, so not in the invariant). */
  backpressured: number;
  orphanedResults: number;
}

/** One camera in {@link PipelineHealth}. */
export interface CameraHealth extends CameraCounters {
  fpsIn: number;
  fpsOut: number;
  /** Held frames / capacity, 0..1. */
  bufferFill: number;
  latency: StageLatency[];
  /** Set by the frame pipeline: processed frames in a row with nobody detected. */
  framesWithoutPeople?: number;
  /** Set by the frame pipeline: "no one detected" with a hint, once that run is long enough. */
  noDetectionWarning?: string | null;
}

/** The control plane at a glance (GraphQL `pipelineHealth`). */
export interface PipelineHealth {
  breakerState: BreakerState;
  /** Frames dispatched and not yet answered. */
  dispatchedFrames: number;
  /** Frames waiting for dispatch. */
  queuedFrames: number;
  maxInFlightFrames: number;
  latency: StageLatency[];
  cameras: CameraHealth[];
}

const REASON_INDEX: ReadonlyMap<DropReason, number> = new Map(DROP_REASONS.map((r, i) => [r, i]));

class CameraState<R> {
  readonly buffer: PendingFrameBuffer<R>;
  admitted = 0;
  delivered = 0;
  dropped = 0;
  backpressured = 0;
  orphaned = 0;
  readonly dropsByReason = new Float64Array(DROP_REASONS.length);
  lastSubmittedSeq = Number.NEGATIVE_INFINITY;
  sampleCounter = 0;
  lastBackpressureEventAt = Number.NEGATIVE_INFINITY;
  readonly fpsIn = new RateMeter();
  readonly fpsOut = new RateMeter();

  constructor(
    readonly cameraId: string,
    readonly tier: DispatchTier,
    readonly policy: TierPolicy,
    public perception: PerceptionSettings,
  ) {
    this.buffer = new PendingFrameBuffer<R>(cameraId, policy.capacity);
  }
}

/**
 * The deadline-supervised core of the control plane, without I/O: per-camera pending buffers,
 * tier drop policies, dispatch bookkeeping with reserved billing capacity, merging of results,
 * in-order release, the worker-pool breaker, telemetry, the event log and accounting.
 *
 * The application layer calls `submit` per frame, `takeBatch` to dispatch, `applyOutcome` per
 * worker answer, `failBatch` when a batch could not be run, and `sweep` on a timer; delivered
 * frames come out through `onDelivered` listeners, synchronously and in sequence order.
 */
export class FrameSupervisor<R> {
  readonly breaker: CircuitBreaker;
  readonly eventLog: PipelineEventLog;
  readonly telemetry: LatencyTelemetry;
  private readonly clock: Clock;
  private readonly cameras = new Map<string, CameraState<R>>();
  private readonly queues: Record<DispatchTier, DispatchQueue<R>>;
  private readonly tierPolicies: Record<DispatchTier, TierPolicy>;
  private readonly deliveredListeners = new Set<(frame: DeliveredFrame<R>) => void>();
  private readonly maxInFlight: number;
  private readonly reservedBilling: number;
  private readonly graceMs: number;
  private readonly leaseMs: number;
  private readonly instanceId: string;
  /** Times an `onDelivered` listener threw (see {@link FrameSupervisorOptions.onListenerError}). */
  listenerFaults = 0;
  private readonly onListenerError: FrameSupervisorOptions['onListenerError'] | null;
  private dispatched = 0;
  private dispatchedBilling = 0;
  private probesInFlight = 0;
  private queuedNonBilling = 0;
  private readonly expiredScratch: PendingFrame<R>[] = [];
  private readonly releaseScratch: PendingFrame<R>[] = [];

  constructor(options: FrameSupervisorOptions) {
    this.clock = options.clock;
    this.onListenerError = options.onListenerError ?? null;
    this.maxInFlight = options.maxInFlightFrames ?? 256;
    this.reservedBilling = options.reservedBillingSlots ?? 32;
    this.graceMs = options.inFlightGraceMs ?? 100;
    this.leaseMs = options.billingLeaseMs ?? 2000;
    this.instanceId = options.instanceId ?? 'cp';
    if (!(this.maxInFlight >= 1) || !(this.reservedBilling >= 0) || this.reservedBilling >= this.maxInFlight) {
      throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, 'need maxInFlightFrames >= 1 and 0 <= reservedBillingSlots < maxInFlightFrames', {
        maxInFlightFrames: this.maxInFlight,
        reservedBillingSlots: this.reservedBilling,
      });
    }
    this.tierPolicies = Object.fromEntries(DISPATCH_TIERS.map((t) => [t, { ...DEFAULT_TIER_POLICIES[t], ...options.tiers?.[t] }])) as Record<
      DispatchTier,
      TierPolicy
    >;
    this.queues = Object.fromEntries(DISPATCH_TIERS.map((t) => [t, new DispatchQueue<R>()])) as Record<DispatchTier, DispatchQueue<R>>;
    this.eventLog = new PipelineEventLog(options.eventLogCapacity ?? 4096);
    this.telemetry = new LatencyTelemetry(this.clock.now(), options.telemetryWindowMs ?? 60_000);
    this.breaker = new CircuitBreaker(this.clock, options.breaker, (t) => this.onBreakerTransition(t));
  }

  // ---- cameras ----------------------------------------------------------------------------

  /**
   * Registers (or re-registers with a new tier or perception) a camera. Frames it holds are kept
   * when the tier is unchanged; frames not yet dispatched go out with the new perception.
   */
  registerCamera(cameraId: string, tier: DispatchTier, perception: PerceptionSettings, overrides: Partial<TierPolicy> = {}): void {
    const existing = this.cameras.get(cameraId);
    if (existing && existing.tier === tier && Object.keys(overrides).length === 0) {
      existing.perception = { ...perception };
      return;
    }
    if (existing) this.removeCamera(cameraId);
    const policy = { ...this.tierPolicies[tier], ...overrides };
    if (!Number.isInteger(policy.capacity) || policy.capacity < 1 || !(policy.ttlMs > 0)) {
      throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, `invalid policy for camera ${cameraId}`, {
        capacity: policy.capacity,
        ttlMs: policy.ttlMs,
      });
    }
    if (policy.latestWins && policy.neverDrop)
      throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, 'a tier cannot be both latest-wins and never-drop');
    this.cameras.set(cameraId, new CameraState<R>(cameraId, tier, policy, { ...perception }));
  }

  /**
   * Forgets a camera; frames it still holds are dropped with `source_failed` (its source is gone)
   * and results still in flight for them become orphaned.
   */
  removeCamera(cameraId: string): void {
    const cam = this.cameras.get(cameraId);
    if (!cam) return;
    for (let frame = cam.buffer.oldest(); frame !== null; frame = cam.buffer.oldest()) this.drop(cam, frame, 'source_failed', 'camera removed');
    this.cameras.delete(cameraId);
    this.telemetry.forget(cameraId);
  }

  hasCamera(cameraId: string): boolean {
    return this.cameras.has(cameraId);
  }

  // ---- frame path -------------------------------------------------------------------------

  /** Offers one frame; the outcome is final for dropped and backpressured frames. */
  submit(input: SubmitFrameInput): SubmitOutcome {
    const cam = this.cameras.get(input.cameraId);
    if (cam === undefined)
      throw new ControlPlaneError(ControlPlaneErrorCode.UNKNOWN_CAMERA, `camera ${input.cameraId} is not registered`, { cameraId: input.cameraId });
    const now = this.clock.now();
    const policy = cam.policy;
    const buffer = cam.buffer;

    if (policy.neverDrop && buffer.isFull) {
      cam.backpressured += 1;
      if (now - cam.lastBackpressureEventAt >= 1000) {
        cam.lastBackpressureEventAt = now;
        this.emit({
          at: now,
          kind: 'backpressure',
          cameraId: cam.cameraId,
          seq: input.seq,
          reason: null,
          breakerFrom: null,
          breakerTo: null,
          message: `buffer full (${buffer.capacity}); source must slow down`,
        });
      }
      return { status: 'backpressure', retryAfterMs: this.retryAfterMs(cam, now) };
    }

    cam.admitted += 1;
    cam.fpsIn.mark(now);
    if (!(input.seq > cam.lastSubmittedSeq)) return this.dropAtEntry(cam, input.seq, 'out_of_order', now, `seq ${input.seq} after ${cam.lastSubmittedSeq}`);
    cam.lastSubmittedSeq = input.seq;

    if (!policy.neverDrop) {
      const breakerState = this.breaker.state;
      if (breakerState === 'tripped') return this.dropAtEntry(cam, input.seq, 'breaker_open', now, 'worker pool breaker is tripped');
      if (breakerState === 'recovering' && this.queuedNonBilling + this.probesInFlight >= this.breaker.options.probeFrames) {
        return this.dropAtEntry(cam, input.seq, 'breaker_open', now, 'breaker is recovering and its probe budget is used');
      }
      if (!this.keepBySampling(cam, input.motion)) return this.dropAtEntry(cam, input.seq, 'sampled_out', now, '');
      if (policy.latestWins) {
        for (let f = buffer.newest(); f !== null; f = f.seqPrev) {
          if (f.state === 'queued') {
            this.drop(cam, f, 'superseded', `replaced by seq ${input.seq}`);
            break;
          }
        }
      }
      if (buffer.isFull) return this.dropAtEntry(cam, input.seq, 'buffer_full', now, `capacity ${buffer.capacity}`);
    }

    const deadline = policy.neverDrop ? Number.POSITIVE_INFINITY : now + policy.ttlMs;
    const frame = new PendingFrame<R>(
      `${this.instanceId}:${cam.cameraId}:${input.seq}`,
      cam.cameraId,
      input.seq,
      cam.tier,
      input.image,
      input.capturedAt ?? now,
      now,
      deadline,
    );
    buffer.insert(frame);
    this.enqueue(frame, false);
    return { status: 'admitted', frameId: frame.frameId };
  }

  /**
   * Takes up to `max` waiting frames for one batch, highest tier first, within the in-flight
   * limit (the last `reservedBillingSlots` only for billing) and the breaker's budget, and marks
   * them in flight. Returns them in `out` (cleared first).
   */
  takeBatch(max: number, out: DispatchFrame[]): DispatchFrame[] {
    out.length = 0;
    const state = this.breaker.state;
    if (state === 'tripped') return out;
    const now = this.clock.now();
    let budget = Math.min(max, this.maxInFlight - this.dispatched);
    if (state === 'recovering') budget = Math.min(budget, this.breaker.options.probeFrames - this.probesInFlight);
    for (const tier of DISPATCH_TIERS) {
      const queue = this.queues[tier];
      while (budget > 0 && queue.size > 0) {
        if (tier !== 'BILLING' && this.dispatched - this.dispatchedBilling >= this.maxInFlight - this.reservedBilling) break;
        const frame = queue.shift() as PendingFrame<R>;
        const cam = this.cameras.get(frame.cameraId) as CameraState<R>;
        if (tier !== 'BILLING') this.queuedNonBilling -= 1;
        else this.dispatchedBilling += 1;
        this.dispatched += 1;
        budget -= 1;
        frame.state = 'in_flight';
        frame.attempts += 1;
        frame.dispatchedAt = now;
        if (frame.attempts === 1) frame.bufferWaitMs = now - frame.admittedAt;
        frame.batchId = null;
        frame.isProbe = state === 'recovering';
        if (frame.isProbe) this.probesInFlight += 1;
        const expiresAt = cam.policy.neverDrop ? now + this.leaseMs : frame.deadline + this.graceMs;
        cam.buffer.setExpiry(frame, expiresAt);
        out.push({
          frameId: frame.frameId,
          cameraId: frame.cameraId,
          seq: frame.seq,
          tier,
          perception: cam.perception.perception,
          tiled: cam.perception.tiled,
          faces: cam.perception.faces === true,
          image: frame.image as Buffer,
          deadline: cam.policy.neverDrop ? null : frame.deadline,
          retainMs: expiresAt - now,
        });
      }
    }
    return out;
  }

  /** Merges what a worker reported for one frame. Late or duplicate reports become `orphaned_result` events. */
  applyOutcome(cameraId: string, seq: number, frameId: string, outcome: FrameOutcome<R>): MergeOutcome {
    const cam = this.cameras.get(cameraId);
    const frame = cam?.buffer.get(seq);
    const now = this.clock.now();
    // A never-drop frame re-queued after its lease still accepts its first attempt's answer.
    if (
      cam === undefined ||
      frame === undefined ||
      frame.frameId !== frameId ||
      !(frame.state === 'in_flight' || (frame.state === 'queued' && frame.attempts > 0))
    ) {
      if (cam) cam.orphaned += 1;
      this.emit({
        at: now,
        kind: 'orphaned_result',
        cameraId,
        seq,
        reason: 'orphaned_result',
        breakerFrom: null,
        breakerTo: null,
        message: `${outcome.kind === 'dropped' ? `drop report (${outcome.reason})` : outcome.kind} for a frame no longer in flight`,
      });
      return 'orphaned';
    }
    this.leaveFlight(cam, frame);
    this.unqueue(frame);
    const neverDrop = cam.policy.neverDrop;
    if (outcome.kind === 'retry' || (outcome.kind === 'dropped' && neverDrop && outcome.reason !== 'decode_failed')) {
      this.breaker.recordFailure(outcome.kind === 'retry' ? outcome.message : `worker reported ${outcome.reason}`);
      if (!neverDrop && this.breaker.state === 'tripped') {
        this.drop(cam, frame, 'breaker_open', 'breaker tripped');
        this.release(cam);
        return 'dropped';
      }
      cam.buffer.setExpiry(frame, frame.deadline);
      this.enqueue(frame, true);
      return 'requeued';
    }
    if (outcome.kind === 'dropped') {
      if (outcome.reason === 'deadline_missed') this.breaker.recordDeadlineMiss();
      else this.breaker.recordSuccess();
      this.drop(cam, frame, outcome.reason, outcome.message ?? 'reported by worker');
      this.release(cam);
      return 'dropped';
    }
    frame.result = outcome.result;
    frame.inferenceMs = outcome.inferenceMs;
    const started = outcome.startedAt ?? now - outcome.inferenceMs;
    frame.queueMs = Math.max(0, started - frame.dispatchedAt);
    frame.state = 'resolved';
    cam.buffer.setExpiry(frame, Number.POSITIVE_INFINITY);
    this.breaker.recordSuccess();
    this.release(cam);
    return 'merged';
  }

  /**
   * A whole batch failed (the worker threw, the job failed, the transport failed before or
   * after enqueueing). Frames still in flight go back to the front of their queue and are
   * retried until their deadline; the breaker counts one failure.
   */
  failBatch(frames: ReadonlyArray<{ cameraId: string; seq: number; frameId: string }>, message: string): void {
    const now = this.clock.now();
    this.breaker.recordFailure(message);
    this.emit({
      at: now,
      kind: 'batch_failed',
      cameraId: null,
      seq: null,
      reason: null,
      breakerFrom: null,
      breakerTo: null,
      message: `${frames.length} frames: ${message}`,
    });
    // Last frame first: each goes to the front of its queue, so the batch keeps its order.
    for (let i = frames.length - 1; i >= 0; i--) {
      const ref = frames[i]!;
      const cam = this.cameras.get(ref.cameraId);
      const frame = cam?.buffer.get(ref.seq);
      if (cam === undefined || frame === undefined || frame.frameId !== ref.frameId || frame.state !== 'in_flight') continue;
      this.leaveFlight(cam, frame);
      if (!cam.policy.neverDrop && this.breaker.state === 'tripped') {
        this.drop(cam, frame, 'breaker_open', message);
        this.release(cam);
        continue;
      }
      frame.state = 'queued';
      cam.buffer.setExpiry(frame, frame.deadline);
      this.enqueue(frame, true);
    }
  }

  /**
   * Expires what is due: waiting frames past their deadline (`ttl_expired`), in-flight frames
   * past deadline + grace (`deadline_missed`), billing frames past their lease (dispatched
   * again); then releases successors that were waiting behind them.
   * @returns the earliest next expiry (clock ms), `Infinity` when nothing can expire.
   */
  sweep(): number {
    const now = this.clock.now();
    let next = Number.POSITIVE_INFINITY;
    const expired = this.expiredScratch;
    for (const cam of this.cameras.values()) {
      if (cam.buffer.nextExpiry() <= now) {
        expired.length = 0;
        cam.buffer.popExpired(now, expired);
        for (const frame of expired) {
          if (frame.state === 'queued') this.drop(cam, frame, 'ttl_expired', `waited ${Math.round(now - frame.admittedAt)} ms`);
          else if (frame.state === 'in_flight') {
            this.leaveFlight(cam, frame);
            if (cam.policy.neverDrop) {
              frame.state = 'queued';
              this.emit({
                at: now,
                kind: 'frame_redispatched',
                cameraId: cam.cameraId,
                seq: frame.seq,
                reason: null,
                breakerFrom: null,
                breakerTo: null,
                message: `no answer within the ${this.leaseMs} ms lease (attempt ${frame.attempts})`,
              });
              this.enqueue(frame, true);
            } else {
              this.breaker.recordDeadlineMiss();
              this.drop(cam, frame, 'deadline_missed', `no answer within deadline + ${this.graceMs} ms grace`);
            }
          }
        }
        this.release(cam);
      }
      const n = cam.buffer.nextExpiry();
      if (n < next) next = n;
    }
    return next;
  }

  onDelivered(listener: (frame: DeliveredFrame<R>) => void): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }

  // ---- reading ----------------------------------------------------------------------------

  counters(cameraId: string): CameraCounters {
    const cam = this.cameras.get(cameraId);
    if (!cam) throw new ControlPlaneError(ControlPlaneErrorCode.UNKNOWN_CAMERA, `camera ${cameraId} is not registered`, { cameraId });
    return this.countersOf(cam);
  }

  allCounters(): CameraCounters[] {
    return [...this.cameras.values()].map((c) => this.countersOf(c));
  }

  /**
   * Cameras whose counters break `admitted = delivered + dropped + inFlight` (empty when the
   * accounting holds). Tests assert this after every scenario.
   */
  accountingViolations(): CameraCounters[] {
    return this.allCounters().filter(
      (c) => c.admitted !== c.delivered + c.dropped + c.inFlight || c.dropped !== c.dropsByReason.reduce((s, r) => s + r.count, 0),
    );
  }

  health(): PipelineHealth {
    const now = this.clock.now();
    let queued = 0;
    for (const tier of DISPATCH_TIERS) queued += this.queues[tier].size;
    return {
      breakerState: this.breaker.state,
      dispatchedFrames: this.dispatched,
      queuedFrames: queued,
      maxInFlightFrames: this.maxInFlight,
      latency: this.telemetry.snapshot(null, now),
      cameras: [...this.cameras.values()].map((cam) => ({
        ...this.countersOf(cam),
        fpsIn: cam.fpsIn.perSecond(now),
        fpsOut: cam.fpsOut.perSecond(now),
        bufferFill: cam.buffer.fill,
        latency: this.telemetry.snapshot(cam.cameraId, now),
      })),
    };
  }

  events(query: PipelineEventQuery = {}): PipelineEvent[] {
    return this.eventLog.query(query);
  }

  onEvent(listener: (event: PipelineEvent) => void): () => void {
    return this.eventLog.subscribe(listener);
  }

  /** Frames dispatched and not yet answered. */
  get dispatchedFrames(): number {
    return this.dispatched;
  }

  /** Frames waiting for dispatch across tiers. */
  get queuedFrames(): number {
    let queued = 0;
    for (const tier of DISPATCH_TIERS) queued += this.queues[tier].size;
    return queued;
  }

  // ---- internals --------------------------------------------------------------------------

  private keepBySampling(cam: CameraState<R>, motion: number | undefined): boolean {
    const sampling = cam.policy.sampling;
    switch (sampling.kind) {
      case 'none':
        return true;
      case 'when_saturated': {
        const saturated = this.dispatched - this.dispatchedBilling >= this.maxInFlight - this.reservedBilling;
        if (!saturated) return true;
        cam.sampleCounter += 1;
        return cam.sampleCounter % sampling.oneIn === 0;
      }
      case 'by_fill': {
        let oneIn = 1;
        const fill = cam.buffer.fill;
        for (const step of sampling.steps) if (fill >= step.fill) oneIn = step.oneIn;
        if (motion !== undefined && motion < sampling.staticBelow) oneIn = Math.max(oneIn, sampling.staticOneIn);
        if (oneIn <= 1) return true;
        cam.sampleCounter += 1;
        return cam.sampleCounter % oneIn === 0;
      }
    }
  }

  private enqueue(frame: PendingFrame<R>, front: boolean): void {
    const queue = this.queues[frame.tier];
    if (front) queue.pushFront(frame);
    else queue.pushBack(frame);
    if (frame.tier !== 'BILLING') this.queuedNonBilling += 1;
  }

  private unqueue(frame: PendingFrame<R>): void {
    if (!frame.inQueue) return;
    this.queues[frame.tier].remove(frame);
    if (frame.tier !== 'BILLING') this.queuedNonBilling -= 1;
  }

  private leaveFlight(cam: CameraState<R>, frame: PendingFrame<R>): void {
    if (frame.state !== 'in_flight') return;
    this.dispatched -= 1;
    if (cam.tier === 'BILLING') this.dispatchedBilling -= 1;
    if (frame.isProbe) {
      this.probesInFlight -= 1;
      frame.isProbe = false;
    }
    frame.state = 'queued';
  }

  private dropAtEntry(cam: CameraState<R>, seq: number, reason: DropReason, now: number, message: string): SubmitOutcome {
    cam.dropped += 1;
    const index = REASON_INDEX.get(reason) as number;
    cam.dropsByReason[index] = (cam.dropsByReason[index] as number) + 1;
    this.emit({ at: now, kind: 'frame_dropped', cameraId: cam.cameraId, seq, reason, breakerFrom: null, breakerTo: null, message });
    return { status: 'dropped', reason };
  }

  private drop(cam: CameraState<R>, frame: PendingFrame<R>, reason: DropReason, message: string): void {
    if (frame.state === 'done') return;
    if (cam.policy.neverDrop && reason !== 'source_failed' && reason !== 'decode_failed') {
      throw new ControlPlaneError(ControlPlaneErrorCode.BUFFER_INVARIANT, `never-drop frame ${frame.frameId} about to be dropped (${reason})`);
    }
    this.leaveFlight(cam, frame);
    this.unqueue(frame);
    cam.buffer.remove(frame);
    frame.state = 'done';
    frame.image = null;
    cam.dropped += 1;
    const index = REASON_INDEX.get(reason) as number;
    cam.dropsByReason[index] = (cam.dropsByReason[index] as number) + 1;
    this.emit({
      at: this.clock.now(),
      kind: reason === 'deadline_missed' ? 'deadline_missed' : 'frame_dropped',
      cameraId: cam.cameraId,
      seq: frame.seq,
      reason,
      breakerFrom: null,
      breakerTo: null,
      message,
    });
  }

  private release(cam: CameraState<R>): void {
    const released = this.releaseScratch;
    released.length = 0;
    if (cam.buffer.releaseReady(released) === 0) return;
    const now = this.clock.now();
    for (const frame of released) {
      frame.state = 'done';
      frame.image = null;
      cam.delivered += 1;
      cam.fpsOut.mark(now);
      const endToEndMs = now - frame.capturedAt;
      this.telemetry.record(cam.cameraId, STAGE_INDEX.buffer_wait, frame.bufferWaitMs, now);
      this.telemetry.record(cam.cameraId, STAGE_INDEX.queue, frame.queueMs, now);
      this.telemetry.record(cam.cameraId, STAGE_INDEX.inference, frame.inferenceMs, now);
      this.telemetry.record(cam.cameraId, STAGE_INDEX.end_to_end, endToEndMs, now);
      if (this.deliveredListeners.size === 0) continue;
      const delivered: DeliveredFrame<R> = {
        frameId: frame.frameId,
        cameraId: frame.cameraId,
        seq: frame.seq,
        tier: frame.tier,
        result: frame.result as R,
        capturedAt: frame.capturedAt,
        deliveredAt: now,
        bufferWaitMs: frame.bufferWaitMs,
        queueMs: frame.queueMs,
        inferenceMs: frame.inferenceMs,
        endToEndMs,
      };
      frame.result = null;
      for (const listener of this.deliveredListeners) {
        try {
          listener(delivered);
        } catch (err) {
          this.listenerFaults += 1;
          this.onListenerError?.(err, delivered);
        }
      }
    }
  }

  private onBreakerTransition(t: BreakerTransition): void {
    this.emit({ at: t.at, kind: 'breaker_transition', cameraId: null, seq: null, reason: null, breakerFrom: t.from, breakerTo: t.to, message: t.reason });
    if (t.to !== 'tripped') return;
    // Waiting frames of droppable tiers would only pile up behind a dead pool.
    const waiting: PendingFrame<R>[] = [];
    for (const tier of DISPATCH_TIERS) {
      if (tier === 'BILLING') continue;
      const queue = this.queues[tier];
      for (let frame = queue.shift(); frame !== null; frame = queue.shift()) waiting.push(frame);
    }
    for (const frame of waiting) {
      this.queuedNonBilling -= 1;
      const cam = this.cameras.get(frame.cameraId) as CameraState<R>;
      if (cam.policy.neverDrop) {
        this.enqueue(frame, false);
        continue;
      }
      this.drop(cam, frame, 'breaker_open', 'breaker tripped');
      this.release(cam);
    }
  }

  private retryAfterMs(cam: CameraState<R>, now: number): number {
    const oldest = cam.buffer.oldest();
    return oldest ? Math.max(10, Math.min(1000, now - oldest.admittedAt)) : 10;
  }

  private countersOf(cam: CameraState<R>): CameraCounters {
    const dropsByReason: Array<{ reason: DropReason; count: number }> = [];
    DROP_REASONS.forEach((reason, i) => {
      const count = cam.dropsByReason[i] as number;
      if (count > 0) dropsByReason.push({ reason, count });
    });
    return {
      cameraId: cam.cameraId,
      tier: cam.tier,
      admitted: cam.admitted,
      delivered: cam.delivered,
      dropped: cam.dropped,
      inFlight: cam.buffer.size,
      dropsByReason,
      backpressured: cam.backpressured,
      orphanedResults: cam.orphaned,
    };
  }

  private emit(event: PipelineEventInput): void {
    this.eventLog.append(event);
  }
}
