import { z } from 'zod';
import { InvalidInputError, NotFoundError, parseInput, type Cursor, type Page } from '@trinetra/shared';
import { ALERT_RULE_KINDS, type AlertRuleKind } from '../domain/alert-rules';
import type { AlertFilter, AlertRepository, AlertRow, AlertRuleRow } from '../infra/alert.repository';
import type { ZoneRepository } from '../infra/zone.repository';

export const CreateAlertRuleSchema = z.object({
  zoneId: z.string().uuid('zoneId must be a zone id'),
  name: z.string().trim().min(1, 'name is required').max(100),
  kind: z.enum(ALERT_RULE_KINDS),
  threshold: z.number().finite().positive('threshold must be > 0').max(1_000_000),
  enabled: z.boolean().default(true),
});

export const UpdateAlertRuleSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(100).optional(),
  threshold: z.number().finite().positive('threshold must be > 0').max(1_000_000).optional(),
  enabled: z.boolean().optional(),
});

export type CreateAlertRuleInput = z.input<typeof CreateAlertRuleSchema>;
export type UpdateAlertRuleInput = z.input<typeof UpdateAlertRuleSchema>;

/** What a threshold means per kind (domain/alert-rules.ts) and what it must be. */
function checkThreshold(kind: AlertRuleKind, threshold: number): void {
  if (kind === 'OCCUPANCY' && !Number.isInteger(threshold))
    throw new InvalidInputError('threshold: an OCCUPANCY limit is a whole number of people', { field: 'threshold' });
  if (kind === 'REPEAT_VISITOR' && (!Number.isInteger(threshold) || threshold < 2))
    throw new InvalidInputError('threshold: a REPEAT_VISITOR rule names a visit number, a whole number >= 2', { field: 'threshold' });
  if (kind === 'VIP_ARRIVAL' && threshold > 7 * 24 * 60)
    throw new InvalidInputError('threshold: a VIP_ARRIVAL cooldown is at most 10080 minutes (a week)', { field: 'threshold' });
}

/** Alert rules on AREA zones, and the alerts they raised. */
export class AlertService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly zones: ZoneRepository,
    /** Told after a camera's rules changed (the analytics engine reloads them). */
    private readonly onRulesChanged: (tenantId: string, cameraId: string) => void = () => undefined,
  ) {}

  listRules(tenantId: string, filter: { cameraId?: string; zoneId?: string }): Promise<AlertRuleRow[]> {
    return this.alerts.listRules(tenantId, filter);
  }

  async createRule(tenantId: string, input: CreateAlertRuleInput): Promise<AlertRuleRow> {
    const rule = parseInput(CreateAlertRuleSchema, input);
    const zone = await this.zones.find(tenantId, rule.zoneId);
    if (!zone) throw new NotFoundError('Zone', rule.zoneId);
    if (zone.kind !== 'AREA') throw new InvalidInputError('zoneId: alert rules watch AREA zones, not LINE zones', { field: 'zoneId' });
    checkThreshold(rule.kind, rule.threshold);
    const created = await this.alerts.createRule(tenantId, { ...rule, cameraId: zone.cameraId });
    this.onRulesChanged(tenantId, created.cameraId);
    return created;
  }

  async updateRule(tenantId: string, id: string, input: UpdateAlertRuleInput): Promise<AlertRuleRow> {
    const fields = parseInput(UpdateAlertRuleSchema, input);
    const existing = await this.alerts.findRule(tenantId, id);
    if (!existing) throw new NotFoundError('AlertRule', id);
    if (fields.threshold !== undefined) checkThreshold(existing.kind, fields.threshold);
    const updated = await this.alerts.updateRule(tenantId, id, fields);
    if (!updated) throw new NotFoundError('AlertRule', id);
    this.onRulesChanged(tenantId, updated.cameraId);
    return updated;
  }

  async deleteRule(tenantId: string, id: string): Promise<AlertRuleRow> {
    const rule = await this.alerts.deleteRule(tenantId, id);
    if (!rule) throw new NotFoundError('AlertRule', id);
    this.onRulesChanged(tenantId, rule.cameraId);
    return rule;
  }

  page(tenantId: string, filter: AlertFilter, take: number, after: Cursor | null): Promise<Page<AlertRow>> {
    return this.alerts.page(tenantId, filter, take, after);
  }

  async acknowledge(tenantId: string, id: string, by: string, at: Date): Promise<AlertRow> {
    const alert = await this.alerts.acknowledge(tenantId, id, by, at);
    if (!alert) throw new NotFoundError('Alert', id);
    return alert;
  }
}
