// The public API of @trinetra/tracking: what other packages use, nothing more (docs/ARCHITECTURE.md,
// "Module boundaries"). Add a name here when another package needs it.
export { registerControlPlaneMetrics } from './application/control-plane.metrics';
export { ControlPlane } from './application/control-plane.service';
export { trackingCliCommands } from './cli/index';
export { type PipelineEvent } from './domain/supervision/pipeline-event-log';
export { FRAME_RESULTS_TOPIC, type FrameResultMessage, PipelineResolver, type TenantPipelineView } from './graphql/pipeline.resolver';
export { BullMqFrameTransport } from './infra/bullmq-frame.transport';
export { TrackSummaryRepository } from './infra/track-summary.repository';
export { RedisTrackerCheckpointStore } from './infra/tracker-checkpoint.redis';
export { RedisCameraLeases } from './infra/camera-lease.redis';
export { CameraOwnership, parseCameraCommand, type CameraCommand, type CameraControlBus } from './pipeline/camera-ownership';
export { BatchVideoProcessor } from './pipeline/batch-video.processor';
export { FramePipeline } from './pipeline/frame-pipeline';
export { idlePipelineView } from './pipeline/idle-pipeline-view';
export { type PipelinePublisher } from './pipeline/pipeline-ports';
export { PubSubPipelinePublisher } from './pipeline/pubsub-pipeline.publisher';
