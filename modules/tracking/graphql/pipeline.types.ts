import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import { BREAKER_STATES } from '../domain/supervision/circuit-breaker';
import { LATENCY_STAGES } from '../domain/supervision/latency-telemetry';
import { PIPELINE_EVENT_KINDS } from '../domain/supervision/pipeline-event-log';

@ObjectType()
export class DropCount {
  @Field(() => String, { description: 'A drop reason such as ttl_expired, buffer_full, sampled_out, breaker_open, deadline_missed.' }) reason!: string;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class StageLatencyGql {
  @Field(() => String, { description: `One of: ${LATENCY_STAGES.join(', ')}` }) stage!: string;
  @Field(() => Float, { nullable: true, description: 'Milliseconds; null when nothing was measured in the window.' }) p50!: number | null;
  @Field(() => Float, { nullable: true }) p90!: number | null;
  @Field(() => Float, { nullable: true }) p99!: number | null;
  @Field(() => Int) count!: number;
}

@ObjectType('CameraPipelineHealth')
export class CameraPipelineHealth {
  @Field(() => ID) cameraId!: string;
  @Field(() => String) tier!: string;
  @Field(() => Float, { description: 'Frames admitted into the pending buffer.' }) admitted!: number;
  @Field(() => Float) delivered!: number;
  @Field(() => Float, { description: 'admitted = delivered + dropped + inFlight, always.' }) inFlight!: number;
  @Field(() => Float) dropped!: number;
  @Field(() => [DropCount]) dropsByReason!: DropCount[];
  @Field(() => Float) fpsIn!: number;
  @Field(() => Float) fpsOut!: number;
  @Field(() => Float, { description: 'Pending buffer fill, 0..1.' }) bufferFill!: number;
  @Field(() => Float) backpressured!: number;
  @Field(() => Float) orphanedResults!: number;
  @Field(() => [StageLatencyGql]) latency!: StageLatencyGql[];
  @Field(() => Float, { description: 'Processed frames in a row with nobody detected.' }) framesWithoutPeople!: number;
  @Field(() => String, {
    nullable: true,
    description: 'Set after 100 processed frames in a row with nobody detected: says so, with a hint (perception profile, resolution). The camera is then not healthy.',
  })
  noDetectionWarning!: string | null;
}

@ObjectType()
export class PipelineHealthGql {
  @Field(() => String, { description: `Worker-pool circuit breaker: ${BREAKER_STATES.join(' | ')}` }) breakerState!: string;
  // Pool-wide counters and latency would show one tenant the others' traffic: they are on
  // /metrics for operators; a tenant sees the shared breaker and its own cameras.
  @Field(() => [CameraPipelineHealth], { description: 'Your running cameras handled by this server.' }) cameras!: CameraPipelineHealth[];
}

@ObjectType()
export class PipelineEventGql {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLISODateTime) at!: Date;
  @Field(() => String, { description: `One of: ${PIPELINE_EVENT_KINDS.join(', ')}` }) kind!: string;
  @Field(() => ID, { nullable: true }) cameraId!: string | null;
  @Field(() => Float, { nullable: true }) seq!: number | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) breakerFrom!: string | null;
  @Field(() => String, { nullable: true }) breakerTo!: string | null;
  @Field(() => String) message!: string;
}

@ObjectType()
export class BoxGql {
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
  @Field(() => Float) width!: number;
  @Field(() => Float) height!: number;
}

@ObjectType()
export class KeypointGql {
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
  @Field(() => Float) score!: number;
}

@ObjectType()
export class FrameTrackGql {
  @Field(() => Int) trackId!: number;
  @Field(() => BoxGql, { description: 'Pixels of the original frame.' }) box!: BoxGql;
  @Field(() => Float) score!: number;
  @Field(() => [KeypointGql], { description: '17 COCO keypoints, smoothed; empty when the model gave none.' }) keypoints!: KeypointGql[];
  @Field(() => Float, { description: 'Running pose quality of the track, 0..1.' }) quality!: number;
}

@ObjectType('Provenance', { description: 'What produced detections: simulated ground truth or a model. Every result and summary says which.' })
export class ProvenanceGql {
  @Field(() => String, { description: 'simulated | onnx' }) backend!: string;
  @Field(() => String, { description: 'The models, e.g. nanodet-m+movenet-lightning, movenet-multipose, ground-truth.' }) model!: string;
}

@ObjectType()
export class FrameResultGql {
  @Field(() => ID) cameraId!: string;
  @Field(() => Float) seq!: number;
  @Field(() => Float, { description: 'Capture time, epoch milliseconds.' }) captureTs!: number;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => [FrameTrackGql]) tracks!: FrameTrackGql[];
  @Field(() => Float, { description: 'Capture to tracker, milliseconds.' }) latencyMs!: number;
  @Field(() => String, { nullable: true, description: 'Low-resolution JPEG data URL, at most a few per second; streamed, never stored.' }) preview!: string | null;
  @Field(() => ProvenanceGql, { nullable: true, description: 'What produced this frame\'s detections.' }) provenance!: ProvenanceGql | null;
}

@ObjectType()
export class TrackGql {
  @Field(() => Int) trackId!: number;
  @Field(() => ID) cameraId!: string;
  @Field(() => String, { description: 'tentative | confirmed | lost | ended' }) state!: string;
  @Field(() => BoxGql, { nullable: true, description: 'Last box (live tracks only).' }) box!: BoxGql | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) firstSeenAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastSeenAt!: Date | null;
  @Field(() => Int, { nullable: true }) frames!: number | null;
  @Field(() => Float, { nullable: true }) pathLengthPx!: number | null;
  @Field(() => Float, { nullable: true }) meanQuality!: number | null;
  @Field(() => [String]) issues!: string[];
  @Field(() => ProvenanceGql, { nullable: true, description: 'Ended tracks: what produced the last detection (null for tracks stored before it was kept; live tracks: see frameResults).' })
  provenance!: ProvenanceGql | null;
}
