import type { TenantDbFactory } from '@trinetra/db';

/** Every biometric read and write is one of these (the audit log's `action`). */
export type IdentityAuditAction =
  | 'ENROLL'
  | 'ADD_PHOTO'
  | 'TAG'
  | 'ERASE'
  | 'CAMERA_OFFSET'
  | 'MATCH'
  | 'GRAPH'
  | 'SETTINGS'
  | 'GALLERY_READ'
  | 'GALLERY_REFRESH'
  /** The tenant's data key was re-wrapped by a new master key (`identity rotate-master-key`, actor `cli`). */
  | 'MASTER_KEY_ROTATE';

export interface IdentityAuditRecord {
  action: IdentityAuditAction;
  personId: string | null;
  /** `user:<id>`, `apiKey:<id>` or `system:<what>`. */
  actor: string;
  /** What and why, never a name or a vector. */
  detail: string;
}

/** Appends audit rows (the table is insert-only for the application role). */
export class IdentityAuditWriter {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  async write(tenantId: string, record: IdentityAuditRecord): Promise<void> {
    await this.tenantDb(tenantId).identityAuditLog.create({ data: { tenantId, ...record } });
  }
}
