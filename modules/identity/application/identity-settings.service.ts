import type { TenantDbFactory } from '@trinetra/db';
import { InvalidInputError } from '@trinetra/shared';
import type { IdentityAuditWriter } from './identity-audit';

/** Default retention of unknown visitors' vectors. */
export const DEFAULT_UNKNOWN_RETENTION_HOURS = 24;

export interface IdentitySettingsView {
  unknownRetentionHours: number;
}

/** Per-tenant identity settings. */
export class IdentitySettingsService {
  private readonly cache = new Map<string, IdentitySettingsView>();
  private readonly listeners: Array<(tenantId: string, settings: IdentitySettingsView) => void> = [];

  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly audit: IdentityAuditWriter,
  ) {}

  onChange(listener: (tenantId: string, settings: IdentitySettingsView) => void): void {
    this.listeners.push(listener);
  }

  async get(tenantId: string): Promise<IdentitySettingsView> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const row = await this.tenantDb(tenantId).identitySettings.findFirst({ where: {} });
    const view = { unknownRetentionHours: row?.unknownRetentionHours ?? DEFAULT_UNKNOWN_RETENTION_HOURS };
    this.cache.set(tenantId, view);
    return view;
  }

  async set(tenantId: string, actor: string, input: IdentitySettingsView): Promise<IdentitySettingsView> {
    if (!Number.isInteger(input.unknownRetentionHours) || input.unknownRetentionHours < 1 || input.unknownRetentionHours > 720) {
      throw new InvalidInputError('unknownRetentionHours must be an integer 1-720', { field: 'unknownRetentionHours' });
    }
    await this.tenantDb(tenantId).identitySettings.upsert({
      where: { tenantId },
      create: { tenantId, unknownRetentionHours: input.unknownRetentionHours },
      update: { unknownRetentionHours: input.unknownRetentionHours },
    });
    await this.audit.write(tenantId, { action: 'SETTINGS', personId: null, actor, detail: `unknown visitors kept ${input.unknownRetentionHours} h` });
    const view = { unknownRetentionHours: input.unknownRetentionHours };
    this.cache.set(tenantId, view);
    for (const l of this.listeners) l(tenantId, view);
    return view;
  }
}
