import type { PubSub } from 'type-graphql';
import type { AnalysisProgressEvent, MetricUpdatedEvent, MotionAnalysisPublisher, MotionAnalysisRow } from '../application/motion-ports';

/** Pub/sub topics of motion analyses; routed by tenant id, so nothing crosses tenants. */
export const ANALYSIS_PROGRESS_TOPIC = 'ANALYSIS_PROGRESS';
export const ANALYSIS_COMPLETED_TOPIC = 'ANALYSIS_COMPLETED';
export const METRIC_UPDATED_TOPIC = 'METRIC_UPDATED';

export class PubSubMotionPublisher implements MotionAnalysisPublisher {
  constructor(private readonly pubSub: PubSub) {}

  progress(tenantId: string, event: AnalysisProgressEvent): void {
    this.pubSub.publish(ANALYSIS_PROGRESS_TOPIC, tenantId, event);
  }

  completed(tenantId: string, analysis: MotionAnalysisRow): void {
    this.pubSub.publish(ANALYSIS_COMPLETED_TOPIC, tenantId, analysis);
  }

  metricUpdated(tenantId: string, event: MetricUpdatedEvent): void {
    this.pubSub.publish(METRIC_UPDATED_TOPIC, tenantId, event);
  }
}
