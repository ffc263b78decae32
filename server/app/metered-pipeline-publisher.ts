import type { UsageEntry } from '@trinetra/billing-safe';
import { FRAME_RESULTS_TOPIC, type FrameResultMessage, type PipelineEvent, type PipelinePublisher } from '@trinetra/tracking';

/** Publishes a frame result and appends its usage unit in one atomic Redis step. */
export interface FrameUsageOutbox {
  publishWithUnit(channel: string, message: string, tenantId: string, entry: UsageEntry): Promise<void>;
}

/**
 * Publishes every tracked frame result and meters it (`frames_processed`) in ONE atomic Redis
 * step (a script): PUBLISH on the subscriptions' channel (what PubSubPipelinePublisher does, same
 * channel and JSON) and XADD of its unit to the usage outbox. A frame is delivered
 * iff its unit is recorded, whenever this process dies (docs/QUOTAS.md, "Usage outbox"); the
 * ledger writer drains the outbox into Postgres. The key is camera + capture time + sequence: a
 * frame delivered twice is counted once, and a camera whose sequence starts again after a
 * restart does not collide with its earlier frames. A failed transaction goes to `onError`
 * (neither published nor counted). Pipeline events go through `inner`, unmetered.
 */
export class MeteredPipelinePublisher implements PipelinePublisher {
  constructor(
    private readonly inner: PipelinePublisher,
    private readonly usage: FrameUsageOutbox,
    private readonly onError: (error: unknown) => void,
  ) {}

  frameResult(tenantId: string, message: FrameResultMessage): void {
    this.usage
      .publishWithUnit(`${FRAME_RESULTS_TOPIC}:${tenantId}`, JSON.stringify(message), tenantId, {
        meter: 'frames_processed',
        idempotencyKey: `${message.cameraId}:${message.captureTs}:${message.seq}`,
        quantity: 1,
        occurredAt: new Date(),
      })
      .catch(this.onError);
  }

  pipelineEvent(tenantId: string, event: PipelineEvent): void {
    this.inner.pipelineEvent(tenantId, event);
  }
}
