import type { PubSub } from 'type-graphql';
import type { VideoJobProgressEvent, VideoJobProgressPublisher } from '../jobs/video-job.runner';

/** Topic of batch progress; events are routed per tenant (topic id = tenant id). */
export const VIDEO_JOB_PROGRESS_TOPIC = 'VIDEO_JOB_PROGRESS';

/** Publishes batch progress on the server's pub/sub (Redis-backed: every replica's subscribers see it). */
export class PubSubVideoJobProgressPublisher implements VideoJobProgressPublisher {
  constructor(private readonly pubSub: PubSub) {}

  publish(event: VideoJobProgressEvent): void {
    this.pubSub.publish(VIDEO_JOB_PROGRESS_TOPIC, event.tenantId, event);
  }
}
