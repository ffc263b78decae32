import type { UsageMeter } from '@trinetra/billing-safe';
import type { FrameResultMessage, PipelineEvent, PipelinePublisher } from '@trinetra/tracking';

/**
 * Meters every tracked frame (`frames_processed`) in the usage ledger as it is published. The
 * key is camera + capture time + sequence: a frame delivered twice is counted once, and a
 * camera whose sequence starts again after a restart does not collide with its earlier frames.
 * Metering faults go to `onError`; the frame is published either way.
 */
export class MeteredPipelinePublisher implements PipelinePublisher {
  constructor(
    private readonly inner: PipelinePublisher,
    private readonly usage: UsageMeter,
    private readonly onError: (error: unknown) => void,
  ) {}

  frameResult(tenantId: string, message: FrameResultMessage): void {
    this.inner.frameResult(tenantId, message);
    this.usage
      .record(tenantId, [
        { meter: 'frames_processed', idempotencyKey: `${message.cameraId}:${message.captureTs}:${message.seq}`, quantity: 1, occurredAt: new Date() },
      ])
      .catch(this.onError);
  }

  pipelineEvent(tenantId: string, event: PipelineEvent): void {
    this.inner.pipelineEvent(tenantId, event);
  }
}
