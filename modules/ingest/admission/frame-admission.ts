import { BEST_EFFORT_MAX_FPS, type CameraTier, type Clock, type DropReason } from '@trinetra/shared';
import { TokenBucket } from './token-bucket';

/** The part of a frame admission looks at. */
export interface AdmissionFrame {
  cameraId: string;
  seq: number;
  captureTs: number;
  /** Compressed size, used for the motion estimate. */
  jpeg?: { length: number };
}

export type AdmissionDecision =
  | {
      admitted: true;
      /** Capture time made strictly increasing for this camera (equals captureTs unless the source clock stepped back). */
      ts: number;
      /**
       * Frame-to-frame motion 0..1 estimated from the change in compressed size (unknown on a
       * camera's first sized frames): the control plane's sampler thins static scenes with it.
       */
      motion?: number;
      /** BILLING only: the camera is over its rate; pause the source. */
      backpressure?: true;
    }
  | { admitted: false; reason: DropReason };

/** Per-camera admission settings. */
export interface CameraAdmissionConfig {
  tier: CameraTier;
  /** Sustained rate the token bucket allows. Default 15. */
  targetFps?: number;
  /** Token-bucket size. Default: one second of frames (targetFps), at least 1. */
  burst?: number;
}

/** Options of {@link FrameAdmission}. */
export interface FrameAdmissionOptions {
  clock: Clock;
  /** Settings for cameras never configured. Default STANDARD at 15 fps. */
  defaults?: CameraAdmissionConfig;
  /**
   * How far a source's capture clock may step back (ms) while its sequence still advances
   * before the frame is dropped as `out_of_order`. Within this the timestamp is clamped
   * forward, which absorbs NTP corrections and drifting phone clocks. Default 500.
   */
  maxClockStepBackMs?: number;
}

/** Admission counters of one camera (admitted + sum(dropped) = frames seen). */
export interface CameraAdmissionStats {
  seen: number;
  admitted: number;
  dropped: Partial<Record<DropReason, number>>;
  backpressureSignals: number;
}

interface CameraState {
  config: Required<CameraAdmissionConfig>;
  bucket: TokenBucket;
  lastSeq: number;
  lastTs: number;
  lastSize: number;
  motion: number | undefined;
  stats: CameraAdmissionStats;
}

/** Smallest step a clamped timestamp moves forward, ms. */
const TS_EPSILON = 0.001;

/**
 * The admission stage at the edge of the pipeline: strict per-camera ordering (sequence and
 * capture time, with clock-drift clamping) and burst suppression (a token bucket per camera at
 * its target rate), plus a cheap motion estimate. Pure and clock-injected. Every refusal
 * carries its {@link DropReason}; the caller turns it into a drop event.
 *
 * Sampling by buffer fill and motion, the breaker, and tier buffers are the control plane's
 * (`FrameSupervisor`), which sees the real buffer: one sampler, where the state is.
 * BILLING is never dropped except as `out_of_order` (a repeated or backwards sequence is a
 * duplicate, and admitting it would double-count): over its rate it is admitted with
 * `backpressure: true` so the source is paused instead.
 */
export class FrameAdmission {
  private readonly cameras = new Map<string, CameraState>();
  private readonly clock: Clock;
  private readonly defaults: CameraAdmissionConfig;
  private readonly maxStepBack: number;

  constructor(options: FrameAdmissionOptions) {
    this.clock = options.clock;
    this.defaults = options.defaults ?? { tier: 'STANDARD' };
    this.maxStepBack = options.maxClockStepBackMs ?? 500;
  }

  /** Sets (or changes) a camera's tier and rate; keeps its ordering state. */
  configureCamera(cameraId: string, config: CameraAdmissionConfig): void {
    const existing = this.cameras.get(cameraId);
    const state = this.newState(config);
    if (existing) {
      state.lastSeq = existing.lastSeq;
      state.lastTs = existing.lastTs;
      state.stats = existing.stats;
    }
    this.cameras.set(cameraId, state);
  }

  /** Forgets a removed camera (its next frame starts a fresh sequence). */
  forgetCamera(cameraId: string): void {
    this.cameras.delete(cameraId);
  }

  stats(cameraId: string): CameraAdmissionStats | undefined {
    const s = this.cameras.get(cameraId)?.stats;
    return s && { ...s, dropped: { ...s.dropped } };
  }

  /** Decides one frame. */
  admitFrame(frame: AdmissionFrame): AdmissionDecision {
    let state = this.cameras.get(frame.cameraId);
    if (!state) {
      state = this.newState(this.defaults);
      this.cameras.set(frame.cameraId, state);
    }
    state.stats.seen += 1;
    const decision = this.decide(state, frame);
    if (decision.admitted) {
      state.stats.admitted += 1;
      if (decision.backpressure) state.stats.backpressureSignals += 1;
    } else {
      state.stats.dropped[decision.reason] = (state.stats.dropped[decision.reason] ?? 0) + 1;
    }
    return decision;
  }

  private decide(state: CameraState, frame: AdmissionFrame): AdmissionDecision {
    const { tier } = state.config;
    if (!Number.isFinite(frame.seq) || !Number.isFinite(frame.captureTs) || frame.seq <= state.lastSeq) return { admitted: false, reason: 'out_of_order' };
    const steppedBack = frame.captureTs <= state.lastTs;
    if (steppedBack && tier !== 'BILLING' && state.lastTs - frame.captureTs > this.maxStepBack) return { admitted: false, reason: 'out_of_order' };
    state.lastSeq = frame.seq;
    const ts = steppedBack ? state.lastTs + TS_EPSILON : frame.captureTs;
    state.lastTs = ts;
    const motion = this.estimateMotion(state, frame);
    const admitted = motion === undefined ? { admitted: true as const, ts } : { admitted: true as const, ts, motion };

    const withinRate = state.bucket.tryTake(this.clock.now());
    if (tier === 'BILLING') return withinRate ? admitted : { ...admitted, backpressure: true };
    return withinRate ? admitted : { admitted: false, reason: 'burst_suppressed' };
  }

  /**
   * Motion from the relative change of compressed size between consecutive frames: cheap (no
   * decode) and monotone enough to tell a static scene from a busy one; unknown on the first frame.
   */
  private estimateMotion(state: CameraState, frame: AdmissionFrame): number | undefined {
    const size = frame.jpeg?.length;
    if (size === undefined || size === 0) return undefined;
    const previous = state.lastSize;
    state.lastSize = size;
    if (previous === 0) return state.motion;
    const change = Math.min(1, Math.abs(size - previous) / previous / 0.2);
    state.motion = state.motion === undefined ? change : 0.7 * state.motion + 0.3 * change;
    return state.motion;
  }

  private newState(config: CameraAdmissionConfig): CameraState {
    const targetFps = config.targetFps ?? 15;
    const rate = config.tier === 'BEST_EFFORT' ? Math.min(targetFps, BEST_EFFORT_MAX_FPS) : targetFps;
    const burst = config.burst ?? (config.tier === 'BEST_EFFORT' ? 1 : Math.max(1, Math.ceil(targetFps)));
    return {
      config: { tier: config.tier, targetFps, burst },
      bucket: new TokenBucket(rate, burst),
      lastSeq: Number.NEGATIVE_INFINITY,
      lastTs: Number.NEGATIVE_INFINITY,
      lastSize: 0,
      motion: undefined,
      stats: { seen: 0, admitted: 0, dropped: {}, backpressureSignals: 0 },
    };
  }
}
