import type { CameraStatus } from '@trinetra/db';
import type { FrameSource, SourceFrame } from '@trinetra/ingest';
import type { CameraRef } from '@trinetra/shared';
import type { CameraTrackingSession } from '../domain/session';
import type { SubmitOutcome } from '../domain/supervision';
import { DetectionWatch } from './detection-watch';
import { HeldFrameQueue } from './held-frame.queue';
import type { PreviewThrottle } from './preview.renderer';

/** An admitted source frame with admission's motion estimate. */
export type AdmittedFrame = SourceFrame & { motion?: number };

/** One running camera in this process: its source, tracker session and never-drop queue. */
export class CameraRun {
  readonly tenantId: string;
  source: FrameSource | null = null;
  unsubscribe: () => void = () => undefined;
  /** Frames pushed back by the control plane (never-drop tiers), resubmitted in order. */
  readonly held: HeldFrameQueue<AdmittedFrame>;
  /** The newest frame's bytes, for previews. */
  latestJpeg: Buffer | null = null;
  lastCheckpointAt = 0;
  /** When the newest uploaded frame arrived (ms, Date.now()); an idle UPLOAD camera is handed back. */
  lastFrameAt = Date.now();
  /** Results published so far, in delivery order (previews render asynchronously). */
  publishing: Promise<void> = Promise.resolve();
  /** Last status recorded, so a source repeating one is not republished. */
  status: CameraStatus | null = 'CONNECTING';
  /** Frames in a row with nobody detected ("no one detected" warning). */
  readonly detections: DetectionWatch;
  /** Admission's rate backpressure (BILLING over its rate): the source is paused until this timer fires. */
  rateTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly camera: CameraRef,
    readonly session: CameraTrackingSession,
    readonly previews: PreviewThrottle,
    submit: (run: CameraRun, frame: AdmittedFrame) => SubmitOutcome,
    noDetectionWarningFrames?: number,
  ) {
    this.tenantId = camera.tenantId;
    this.detections = new DetectionWatch(camera, noDetectionWarningFrames);
    this.held = new HeldFrameQueue<AdmittedFrame>((frame) => submit(this, frame), {
      pause: () => this.source?.pause(),
      resume: () => {
        if (this.rateTimer === null) this.source?.resume();
      },
    });
  }

  /**
   * BILLING over its admitted rate: the frame went in (billing never drops), and the source
   * pauses for one frame interval so it slows to the rate instead of flooding the buffer.
   */
  slowDown(intervalMs: number): void {
    if (this.rateTimer !== null || !this.source) return;
    this.source.pause();
    this.rateTimer = setTimeout(() => {
      this.rateTimer = null;
      if (this.held.size === 0) this.source?.resume();
    }, intervalMs);
  }

  /** Stops timers and the queue; the caller stops the source. */
  dispose(): void {
    this.held.close();
    if (this.rateTimer) clearTimeout(this.rateTimer);
    this.rateTimer = null;
    this.unsubscribe();
  }
}
