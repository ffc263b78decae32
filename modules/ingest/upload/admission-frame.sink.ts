import type { CameraTier } from '@trinetra/shared';
import type { SourceFrame } from '../domain/source-frame';
import type { FrameAdmission } from '../admission/frame-admission';
import type { FrameSink, FrameSinkContext, FrameSinkResult } from './frame-sink';

/** Takes frames admission let through (the control plane's pending buffer, once wired). */
export interface AdmittedFrameConsumer {
  /** Receives the frame with its admission timestamp (strictly increasing per camera) and motion estimate. */
  accept(frame: SourceFrame, ctx: FrameSinkContext, admission: { ts: number; backpressure: boolean; motion?: number }): Promise<FrameSinkResult> | FrameSinkResult;
}

/** Discards admitted frames: the default until the control plane is wired. */
export const discardAdmittedFrames: AdmittedFrameConsumer = { accept: () => ({ admitted: true }) };

/** Options of {@link AdmissionFrameSink}. */
export interface AdmissionFrameSinkOptions {
  admission: FrameAdmission;
  /** Default {@link discardAdmittedFrames}. */
  consumer?: AdmittedFrameConsumer;
}

/**
 * A {@link FrameSink} that runs {@link FrameAdmission} (ordering, clock drift, burst
 * suppression) and hands admitted frames to a consumer. Cameras are configured from the context on
 * first sight and whenever their tier or rate changes.
 */
export class AdmissionFrameSink implements FrameSink {
  private readonly configured = new Map<string, { tier: CameraTier; targetFps: number | undefined }>();
  private readonly consumer: AdmittedFrameConsumer;

  constructor(private readonly options: AdmissionFrameSinkOptions) {
    this.consumer = options.consumer ?? discardAdmittedFrames;
  }

  async submit(frame: SourceFrame, ctx: FrameSinkContext): Promise<FrameSinkResult> {
    const known = this.configured.get(ctx.cameraId);
    if (!known || known.tier !== ctx.tier || known.targetFps !== ctx.targetFps) {
      this.options.admission.configureCamera(ctx.cameraId, { tier: ctx.tier, ...(ctx.targetFps !== undefined ? { targetFps: ctx.targetFps } : {}) });
      this.configured.set(ctx.cameraId, { tier: ctx.tier, targetFps: ctx.targetFps });
    }
    const decision = this.options.admission.admitFrame(frame);
    if (!decision.admitted) return { admitted: false, reason: decision.reason };
    return this.consumer.accept(frame, ctx, { ts: decision.ts, backpressure: decision.backpressure === true, ...(decision.motion !== undefined ? { motion: decision.motion } : {}) });
  }
}
