import type { CameraTier } from '../domain/camera-tier';
import type { SourceFrame } from '../domain/source-frame';
import type { FrameAdmission, PipelineSignal } from '../admission/frame-admission';
import type { FrameSink, FrameSinkContext, FrameSinkResult } from './frame-sink';

/** Takes frames admission let through (the control plane's pending buffer, once wired). */
export interface AdmittedFrameConsumer {
  /** Receives the frame with its admission timestamp (strictly increasing per camera). */
  accept(frame: SourceFrame, ctx: FrameSinkContext, admission: { ts: number; backpressure: boolean }): Promise<FrameSinkResult> | FrameSinkResult;
}

/** Discards admitted frames: the default until the control plane is wired. */
export const discardAdmittedFrames: AdmittedFrameConsumer = { accept: () => ({ admitted: true }) };

/** Options of {@link AdmissionFrameSink}. */
export interface AdmissionFrameSinkOptions {
  admission: FrameAdmission;
  /** Default {@link discardAdmittedFrames}. */
  consumer?: AdmittedFrameConsumer;
  /** The camera's downstream state (buffer fill, breaker). Default: an empty buffer, breaker closed. */
  signal?: (cameraId: string) => PipelineSignal;
}

/**
 * A {@link FrameSink} that runs {@link FrameAdmission} (ordering, burst suppression, sampling,
 * tiers) and hands admitted frames to a consumer. Cameras are configured from the context on
 * first sight and whenever their tier or rate changes.
 */
export class AdmissionFrameSink implements FrameSink {
  private readonly configured = new Map<string, { tier: CameraTier; targetFps: number | undefined }>();
  private readonly consumer: AdmittedFrameConsumer;
  private readonly signal: (cameraId: string) => PipelineSignal;

  constructor(private readonly options: AdmissionFrameSinkOptions) {
    this.consumer = options.consumer ?? discardAdmittedFrames;
    this.signal = options.signal ?? (() => ({ bufferFill: 0 }));
  }

  async submit(frame: SourceFrame, ctx: FrameSinkContext): Promise<FrameSinkResult> {
    const known = this.configured.get(ctx.cameraId);
    if (!known || known.tier !== ctx.tier || known.targetFps !== ctx.targetFps) {
      this.options.admission.configureCamera(ctx.cameraId, { tier: ctx.tier, ...(ctx.targetFps !== undefined ? { targetFps: ctx.targetFps } : {}) });
      this.configured.set(ctx.cameraId, { tier: ctx.tier, targetFps: ctx.targetFps });
    }
    const decision = this.options.admission.admitFrame(frame, this.signal(ctx.cameraId));
    if (!decision.admitted) return { admitted: false, reason: decision.reason };
    return this.consumer.accept(frame, ctx, { ts: decision.ts, backpressure: decision.backpressure === true });
  }
}
