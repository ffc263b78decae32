import type { TenantPipelineView } from '../graphql/pipeline.resolver';

/** A pipeline with no cameras: for a schema served without a frame pipeline (bench:api's bare baseline). */
export const idlePipelineView: TenantPipelineView = {
  health: () => ({ breakerState: 'healthy', dispatchedFrames: 0, queuedFrames: 0, maxInFlightFrames: 0, latency: [], cameras: [] }),
  events: () => [],
  liveTracks: () => null,
};
