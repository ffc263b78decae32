import type { Alert, AlertRule, TenantDbFactory } from '@trinetra/db';
import type { Cursor, Page } from '@trinetra/shared';
import type { AlertRuleKind } from '../domain/alert-rules';

export type AlertRow = Alert;
export type AlertRuleRow = AlertRule;

export interface AlertFilter {
  cameraId?: string;
  zoneId?: string;
  kind?: AlertRuleKind;
  acknowledged?: boolean;
}

export interface AlertRuleFields {
  cameraId: string;
  zoneId: string;
  name: string;
  kind: AlertRuleKind;
  threshold: number;
  enabled: boolean;
}

/** Alert rules and raised alerts of one tenant, always through the tenant-scoped client. */
export class AlertRepository {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  rulesForCamera(tenantId: string, cameraId: string): Promise<AlertRuleRow[]> {
    return this.tenantDb(tenantId).alertRule.findMany({ where: { cameraId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  listRules(tenantId: string, filter: { cameraId?: string; zoneId?: string }): Promise<AlertRuleRow[]> {
    return this.tenantDb(tenantId).alertRule.findMany({ where: filter, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 500 });
  }

  findRule(tenantId: string, id: string): Promise<AlertRuleRow | null> {
    return this.tenantDb(tenantId).alertRule.findUnique({ where: { id } });
  }

  createRule(tenantId: string, fields: AlertRuleFields): Promise<AlertRuleRow> {
    return this.tenantDb(tenantId).alertRule.create({ data: { ...fields, tenantId } });
  }

  async updateRule(tenantId: string, id: string, fields: Partial<Omit<AlertRuleFields, 'cameraId' | 'zoneId'>>): Promise<AlertRuleRow | null> {
    const db = this.tenantDb(tenantId);
    const { count } = await db.alertRule.updateMany({ where: { id }, data: fields });
    return count === 0 ? null : db.alertRule.findUnique({ where: { id } });
  }

  async deleteRule(tenantId: string, id: string): Promise<AlertRuleRow | null> {
    const db = this.tenantDb(tenantId);
    const rule = await db.alertRule.findUnique({ where: { id } });
    if (!rule) return null;
    await db.alertRule.deleteMany({ where: { id } });
    return rule;
  }

  /** Newest first: the keyset runs over (createdAt, id) descending. */
  async page(tenantId: string, filter: AlertFilter, take: number, after: Cursor | null): Promise<Page<AlertRow>> {
    const where = {
      ...(filter.cameraId ? { cameraId: filter.cameraId } : {}),
      ...(filter.zoneId ? { zoneId: filter.zoneId } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.acknowledged === undefined ? {} : { acknowledgedAt: filter.acknowledged ? { not: null } : null }),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    };
    const rows = await this.tenantDb(tenantId).alert.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: take + 1 });
    return { items: rows.slice(0, take), hasNextPage: rows.length > take };
  }

  /** Marks the alert acknowledged (once: a second acknowledgement keeps the first's time and who). */
  async acknowledge(tenantId: string, id: string, by: string, at: Date): Promise<AlertRow | null> {
    const db = this.tenantDb(tenantId);
    await db.alert.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: at, acknowledgedBy: by } });
    return db.alert.findUnique({ where: { id } });
  }
}
