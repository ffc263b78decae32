import type { ChainableCommander, Redis } from 'ioredis';
import type { UsageEntry } from '@trinetra/billing-safe';
import { FRAME_RESULTS_TOPIC, type FrameResultMessage, type PipelineEvent, type PipelinePublisher } from '@trinetra/tracking';

/** Where a frame's usage unit is appended, inside the transaction that publishes the frame. */
export interface FrameUsageOutbox {
  appendTo(tx: ChainableCommander, tenantId: string, entries: readonly UsageEntry[]): ChainableCommander;
}

/**
 * Publishes every tracked frame result and meters it (`frames_processed`) in ONE Redis
 * transaction: PUBLISH on the subscriptions' channel (what PubSubPipelinePublisher does, same
 * channel and JSON) and XADD of its unit to the usage outbox, MULTI/EXEC. A frame is delivered
 * iff its unit is recorded, whenever this process dies (docs/QUOTAS.md, "Usage outbox"); the
 * ledger writer drains the outbox into Postgres. The key is camera + capture time + sequence: a
 * frame delivered twice is counted once, and a camera whose sequence starts again after a
 * restart does not collide with its earlier frames. A failed transaction goes to `onError`
 * (neither published nor counted). Pipeline events go through `inner`, unmetered.
 */
export class MeteredPipelinePublisher implements PipelinePublisher {
  constructor(
    private readonly redis: Redis,
    private readonly inner: PipelinePublisher,
    private readonly usage: FrameUsageOutbox,
    private readonly onError: (error: unknown) => void,
  ) {}

  frameResult(tenantId: string, message: FrameResultMessage): void {
    const tx = this.redis.multi().publish(`${FRAME_RESULTS_TOPIC}:${tenantId}`, JSON.stringify(message));
    this.usage.appendTo(tx, tenantId, [
      { meter: 'frames_processed', idempotencyKey: `${message.cameraId}:${message.captureTs}:${message.seq}`, quantity: 1, occurredAt: new Date() },
    ]);
    tx.exec().then((results) => {
      const failed = results?.find(([error]) => error);
      if (!results || failed) this.onError(failed?.[0] ?? new Error('frame result transaction discarded'));
    }, this.onError);
  }

  pipelineEvent(tenantId: string, event: PipelineEvent): void {
    this.inner.pipelineEvent(tenantId, event);
  }
}
