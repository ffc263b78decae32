import type { Camera, SystemDb } from '@trinetra/db';
import type { CameraDirectory, CameraRef } from '@trinetra/shared';
import type { CameraRepository } from './camera.repository';

/** The public view of a camera row: what other modules may know of it. */
export function toCameraRef(row: Camera): CameraRef {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    tier: row.tier,
    sourceKind: row.sourceKind,
    sourceUrl: row.sourceUrl,
    targetFps: row.targetFps,
    desiredStatus: row.desiredStatus,
    perception: row.perception,
    tiled: row.tiled,
    identity: row.identity,
  };
}

/**
 * Ingest's {@link CameraDirectory}: tenant lookups go through the tenant-scoped repository (RLS
 * included); only the cross-tenant resume list uses the system client, and it returns ids and
 * settings, never another tenant's data to a tenant.
 */
export class PrismaCameraDirectory implements CameraDirectory {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly systemDb: SystemDb,
  ) {}

  async find(tenantId: string, cameraId: string): Promise<CameraRef | null> {
    const row = await this.cameras.findById(tenantId, cameraId);
    return row && toCameraRef(row);
  }

  async findMany(tenantId: string, cameraIds: readonly string[]): Promise<CameraRef[]> {
    return (await this.cameras.findByIds(tenantId, cameraIds)).map(toCameraRef);
  }

  async listDesiredRunning(): Promise<CameraRef[]> {
    return (await this.systemDb.camera.findMany({ where: { desiredStatus: 'RUNNING' } })).map(toCameraRef);
  }

  networkAllowlist(tenantId: string): Promise<string[]> {
    return this.cameras.tenantAllowlist(tenantId);
  }
}
