import type { Camera, CameraStatus, CameraStatusReason, Prisma, TenantDbFactory } from '@trinetra/db';
import type { Cursor, Page } from '@trinetra/shared';

export type CameraRow = Camera;

/** Cameras of one tenant, always through the tenant-scoped client. */
export class CameraRepository {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  /** Keyset page ordered by (createdAt, id); fetches one extra row to know if more follow. */
  async page(tenantId: string, take: number, after: Cursor | null): Promise<Page<CameraRow>> {
    const rows = await this.tenantDb(tenantId).camera.findMany({
      where: after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {},
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: take + 1,
    });
    return { items: rows.slice(0, take), hasNextPage: rows.length > take };
  }

  findById(tenantId: string, id: string): Promise<CameraRow | null> {
    return this.tenantDb(tenantId).camera.findUnique({ where: { id } });
  }

  /** The tenant's cameras (the plan's `cameras` quota counts them). */
  count(tenantId: string): Promise<number> {
    return this.tenantDb(tenantId).camera.count();
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<CameraRow[]> {
    return this.tenantDb(tenantId).camera.findMany({ where: { id: { in: [...ids] } } });
  }

  create(tenantId: string, data: Omit<Prisma.CameraUncheckedCreateInput, 'tenantId'>): Promise<CameraRow> {
    return this.tenantDb(tenantId).camera.create({ data: { ...data, tenantId } });
  }

  /** Updates a camera of this tenant; null when no such camera exists for the tenant. */
  async update(tenantId: string, id: string, data: Prisma.CameraUncheckedUpdateInput): Promise<CameraRow | null> {
    const db = this.tenantDb(tenantId);
    const { count } = await db.camera.updateMany({ where: { id }, data });
    return count === 0 ? null : db.camera.findUnique({ where: { id } });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.tenantDb(tenantId).camera.deleteMany({ where: { id } });
    return count > 0;
  }

  /**
   * Records an actual status with its reason (null clears it). `stopRunning` also sets the
   * desired state to STOPPED: a failed or ended source is not restarted by `resume()`, and the
   * camera no longer reads "failed, wanted running" as if it were about to run.
   */
  async setStatus(
    tenantId: string,
    id: string,
    status: CameraStatus,
    at: Date,
    why: { reason: CameraStatusReason | null; message: string | null; stopRunning: boolean },
  ): Promise<CameraRow | null> {
    return this.update(tenantId, id, {
      status,
      statusChangedAt: at,
      statusReason: why.reason,
      statusMessage: why.message,
      ...(why.stopRunning ? { desiredStatus: 'STOPPED' as const } : {}),
    });
  }

  async tenantAllowlist(tenantId: string): Promise<string[]> {
    const tenant = await this.tenantDb(tenantId).tenant.findUnique({ where: { id: tenantId } });
    return tenant?.networkAllowlist ?? [];
  }
}
