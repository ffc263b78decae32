import type { CameraStatus } from '@trinetra/db';
import type { CameraRef, CameraStatusReason } from '@trinetra/shared';

/** What `cameraStatusChanged` subscribers receive. */
export interface CameraStatusChange {
  tenantId: string;
  cameraId: string;
  status: CameraStatus;
  /** Optional human-readable reason (for `FAILED`, `STALLED`). Never contains URL credentials. */
  reason: string | null;
  /** The closed-set reason (null: none known, or cleared). */
  statusReason: CameraStatusReason | null;
  at: Date;
}

/** Where status changes go: the server implements it with Redis pub/sub so every replica hears them. */
export interface CameraStatusPublisher {
  publish(change: CameraStatusChange): Promise<void>;
}

/**
 * Runs (or stops) the frame source of a camera after its desired state changed. The frame
 * pipeline (modules/tracking/pipeline) implements it; without one, cameras only record the
 * desired state.
 */
export interface CameraRuntime {
  start(camera: CameraRef): Promise<void>;
  stop(camera: { id: string; tenantId: string }): Promise<void>;
}
