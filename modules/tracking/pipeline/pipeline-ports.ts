import type { CameraStatus } from '@trinetra/db';
import type { FrameSource } from '@trinetra/ingest';
import type { CameraRef, CameraStatusReason } from '@trinetra/shared';
import type { PipelineEvent } from '../domain/supervision';
import type { TrackSummary } from '../domain/session';
import type { FrameResultMessage } from '../graphql/pipeline.resolver';

/** Where the pipeline's output goes (Redis pub/sub in the server, so every replica hears it). */
export interface PipelinePublisher {
  frameResult(tenantId: string, message: FrameResultMessage): void;
  pipelineEvent(tenantId: string, event: PipelineEvent): void;
}

/** Records a camera's actual status (ingest's CameraStatusRecorder). */
export interface CameraStatusSink {
  record(tenantId: string, cameraId: string, status: CameraStatus, detail: string | null, reason?: CameraStatusReason | null): Promise<unknown>;
}

/** Ended tracks' summaries (Postgres, tenant-scoped). */
export interface TrackSummaryStore {
  save(tenantId: string, summaries: readonly TrackSummary[]): Promise<void>;
}

/** Builds a camera's frame source (null for UPLOAD cameras: their frames come from the socket). */
export type CameraSourceFactory = (camera: CameraRef, networkAllowlist: readonly string[]) => FrameSource | null;

/** The log calls the pipeline makes (pino's Logger fits). */
export interface PipelineLogger {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}
