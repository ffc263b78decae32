import type { PubSub } from 'type-graphql';
import { CAMERA_STATUS_TOPIC, type CameraStatusChange, type CameraStatusPublisher } from '@trinetra/ingest';

/** Publishes camera status changes on the Redis-backed pub/sub, routed by tenant. */
export class PubSubCameraStatusPublisher implements CameraStatusPublisher {
  constructor(private readonly pubSub: PubSub) {}

  async publish(change: CameraStatusChange): Promise<void> {
    this.pubSub.publish(CAMERA_STATUS_TOPIC, change.tenantId, change);
  }
}
