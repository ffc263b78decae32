import type { PubSub } from 'type-graphql';
import type { PipelineEvent } from '../domain/supervision';
import { FRAME_RESULTS_TOPIC, PIPELINE_EVENT_TOPIC, type FrameResultMessage } from '../graphql/pipeline.resolver';
import type { PipelinePublisher } from './pipeline-ports';

/** Publishes on the subscriptions' topics, routed by tenant (never across tenants). */
export class PubSubPipelinePublisher implements PipelinePublisher {
  constructor(private readonly pubSub: PubSub) {}

  frameResult(tenantId: string, message: FrameResultMessage): void {
    this.pubSub.publish(FRAME_RESULTS_TOPIC, tenantId, message);
  }

  pipelineEvent(tenantId: string, event: PipelineEvent): void {
    this.pubSub.publish(PIPELINE_EVENT_TOPIC, tenantId, event);
  }
}
