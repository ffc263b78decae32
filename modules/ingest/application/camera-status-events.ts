import type { CameraStatus } from '@trinetra/db';

/** What `cameraStatusChanged` subscribers receive. */
export interface CameraStatusChange {
  tenantId: string;
  cameraId: string;
  status: CameraStatus;
  /** Optional human-readable reason (for `FAILED`, `STALLED`). Never contains URL credentials. */
  reason: string | null;
  at: Date;
}

/** Where status changes go: the server implements it with Redis pub/sub so every replica hears them. */
export interface CameraStatusPublisher {
  publish(change: CameraStatusChange): Promise<void>;
}

/**
 * Runs (or stops) the frame source of a camera after its desired state changed. The control
 * plane implements it; until it is wired, cameras only record the desired state.
 */
export interface CameraRuntime {
  start(camera: { id: string; tenantId: string }): Promise<void>;
  stop(camera: { id: string; tenantId: string }): Promise<void>;
}
