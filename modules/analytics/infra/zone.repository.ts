import type { TenantDbFactory, Zone } from '@trinetra/db';

export type ZoneRow = Zone;

/** Zones of one tenant, always through the tenant-scoped client. */
export class ZoneRepository {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  listForCamera(tenantId: string, cameraId: string): Promise<ZoneRow[]> {
    return this.tenantDb(tenantId).zone.findMany({ where: { cameraId }, orderBy: { name: 'asc' } });
  }

  find(tenantId: string, id: string): Promise<ZoneRow | null> {
    return this.tenantDb(tenantId).zone.findUnique({ where: { id } });
  }

  /** Creates or replaces the zone named `name` on the camera (unique per camera). */
  upsert(tenantId: string, zone: { cameraId: string; name: string; kind: 'AREA' | 'LINE'; polygon: number[][] }): Promise<ZoneRow> {
    return this.tenantDb(tenantId).zone.upsert({
      where: { cameraId_name: { cameraId: zone.cameraId, name: zone.name } },
      create: { ...zone, tenantId },
      update: { kind: zone.kind, polygon: zone.polygon },
    });
  }

  async delete(tenantId: string, id: string): Promise<ZoneRow | null> {
    const db = this.tenantDb(tenantId);
    const zone = await db.zone.findUnique({ where: { id } });
    if (!zone) return null;
    await db.zone.deleteMany({ where: { id } });
    return zone;
  }
}
