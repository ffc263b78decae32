export { FramePipeline, type FramePipelineDeps, type FramePipelineOptions } from './frame-pipeline';
export { BatchVideoProcessor, type BatchVideoProcessorOptions } from './batch-video.processor';
export { HeldFrameQueue } from './held-frame.queue';
export { PipelineFaults, PIPELINE_FAULTS, type PipelineFault } from './pipeline-faults';
export { PubSubPipelinePublisher } from './pubsub-pipeline.publisher';
export { idlePipelineView } from './idle-pipeline-view';
export type { CameraSourceFactory, CameraStatusSink, PipelineLogger, PipelinePublisher, TrackSummaryStore } from './pipeline-ports';
export { framePerceptionOf, trackerOptionsFor, BATCH_PERCEPTION } from './frame-perception';
