import type { CameraPerception } from './camera-perception';
import type { CameraTier } from './camera-tier';

/** How a camera's frames arrive. */
export const CAMERA_SOURCE_KINDS = ['FILE', 'NETWORK', 'UPLOAD', 'SIMULATOR'] as const;
export type CameraSourceKind = (typeof CAMERA_SOURCE_KINDS)[number];

/** Whether the tenant wants the camera running (the actual status is separate). */
export type CameraDesiredStatus = 'RUNNING' | 'STOPPED';

/** A camera as other modules see it: what the frame pipeline and analytics need, nothing of its table. */
export interface CameraRef {
  id: string;
  tenantId: string;
  name: string;
  tier: CameraTier;
  sourceKind: CameraSourceKind;
  /** Path or URL of FILE and NETWORK cameras; null otherwise. */
  sourceUrl: string | null;
  targetFps: number;
  desiredStatus: CameraDesiredStatus;
  /** How the worker looks at its frames (ignored for SIMULATOR cameras: always simulated). */
  perception: CameraPerception;
  /** SCENE only: the detector also runs on overlapping tiles (dense or small people). */
  tiled: boolean;
  /** Face embeddings for identity (consent recorded with the camera); the server asks the worker per frame. */
  identity: boolean;
}

/**
 * The ingest module's cameras, read-only, for other modules (the frame pipeline, analytics,
 * tracking's resolvers). Every lookup is tenant-scoped: another tenant's camera is `null`,
 * exactly like a missing one.
 */
export interface CameraDirectory {
  find(tenantId: string, cameraId: string): Promise<CameraRef | null>;
  findMany(tenantId: string, cameraIds: readonly string[]): Promise<CameraRef[]>;
  /** Every tenant's cameras whose desired state is RUNNING (resumed after a restart). */
  listDesiredRunning(): Promise<CameraRef[]>;
  /** The tenant's network allowlist for the SSRF guard (CIDRs, hosts, `*.suffix`). */
  networkAllowlist(tenantId: string): Promise<string[]>;
}
