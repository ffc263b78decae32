import { randomBytes } from 'node:crypto';
import type { TenantDbFactory } from '@trinetra/db';
import { assertAes256Key, dataKeyAad, open, seal } from './embedding-cipher';

/**
 * Per-tenant data keys: 32 random bytes per tenant, stored only wrapped by the master key
 * (IDENTITY_MASTER_KEY) in "IdentityDataKey". Erasing one tenant's identity data can drop its
 * key; rotating the master key re-wraps keys without touching embeddings. Unwrapped keys are
 * cached in memory for the process's life.
 */
export class TenantDataKeyStore {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly masterKey: Uint8Array,
  ) {
    assertAes256Key(masterKey, 'IDENTITY_MASTER_KEY');
  }

  async dataKey(tenantId: string): Promise<Buffer> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const db = this.tenantDb(tenantId);
    let row = await db.identityDataKey.findFirst({ where: {} });
    if (!row) {
      const fresh = randomBytes(32);
      // Two first enrolments racing: the primary key lets one insert win; both then read it.
      await db.identityDataKey.createMany({ data: [{ tenantId, wrappedKey: seal(this.masterKey, fresh, dataKeyAad(tenantId)) }], skipDuplicates: true });
      row = await db.identityDataKey.findFirst({ where: {} });
      if (!row) throw new Error(`identity data key of tenant ${tenantId} could not be stored`);
    }
    const key = open(this.masterKey, row.wrappedKey, dataKeyAad(tenantId));
    this.cache.set(tenantId, key);
    return key;
  }
}
