import type { SystemDb } from '@trinetra/db';
import type { IdentityAuditAction } from '../application/identity-audit';
import { MasterKeyError, MasterKeyErrorCode } from '../domain/master-key.error';
import { dataKeyAad, seal } from './embedding-cipher';
import { type MasterKey, unwrapDataKey, type WrappedDataKey } from './master-key';

export interface MasterKeyRotationReport {
  /** Data keys re-wrapped by this run (one audit row each). */
  rotated: number;
  /** Data keys found already wrapped by the new key (an earlier or a concurrent run did them). */
  alreadyRotated: number;
  /** Rows still not on the new key at the end: created meanwhile by a replica still wrapping with the old key. */
  remaining: number;
}

export interface MasterKeyRotationOptions {
  /** The audit log's actor. */
  actor: string;
  /** Only check that every row opens with the old or the new key, and count; write nothing. */
  dryRun?: boolean;
  /**
   * Called after each pending tenant's transaction commits (progress output); `rotated` is false
   * when a concurrent run had done it. A throw stops the run there (committed tenants stay done).
   */
  onProgress?: (progress: { tenantId: string; rotated: boolean; done: number; of: number }) => void | Promise<void>;
}

const ROTATE_ACTION: IdentityAuditAction = 'MASTER_KEY_ROTATE';

/** What a rotation does with one row: nothing (already on the new key) or re-wrap its data key. */
export type RotationStep = { kind: 'current' } | { kind: 'rewrap'; dataKey: Buffer; from: MasterKey };

/**
 * The decision for one row, pure: it must open with the old or the new key (by its fingerprint,
 * or by trial for a legacy row), or the rotation refuses. A row the new key wrapped is left alone;
 * a legacy row that opens with the new key is re-wrapped anyway so its fingerprint gets recorded.
 */
export function rotationStep(tenantId: string, row: WrappedDataKey, oldKey: MasterKey, newKey: MasterKey): RotationStep {
  const { dataKey, by } = unwrapDataKey(tenantId, row, [oldKey, newKey]);
  return row.masterKeyId === newKey.id ? { kind: 'current' } : { kind: 'rewrap', dataKey, from: by };
}

/** The old and new keys must differ: "rotating" to the same key would only rewrite rows. */
export function assertRotatable(oldKey: MasterKey, newKey: MasterKey): void {
  if (oldKey.id === newKey.id || Buffer.compare(Buffer.from(oldKey.key), Buffer.from(newKey.key)) === 0)
    throw new MasterKeyError(MasterKeyErrorCode.KEY_INVALID, `${newKey.name} equals ${oldKey.name}: generate a new key (openssl rand -base64 32)`);
}

/**
 * Re-wraps every tenant's identity data key from `oldKey` to `newKey` (embeddings and index files
 * are sealed with the data keys and do not change).
 *
 * Safety, in order:
 * 1. A read-only check of every row first: if any row opens with neither key (a wrong old key, a
 *    third key, a corrupt row), nothing is written and the error names its tenant and fingerprint.
 * 2. Then one transaction per tenant: the row is locked (`FOR UPDATE`), decided again on what is
 *    locked (a concurrent run may have done it), re-wrapped, its fingerprint set, and one audit
 *    row written, all committed together. A run stopped at any point leaves every row either
 *    wholly old or wholly new, each saying which by its fingerprint, so a rerun resumes: rows on
 *    the new key are skipped. Per-tenant transactions keep locks short on a live database.
 * It runs on the owner connection: the app role may only insert key rows (keys are not
 * rewritten by a request path), and the run spans every tenant.
 */
export async function rotateMasterKey(db: SystemDb, oldKey: MasterKey, newKey: MasterKey, options: MasterKeyRotationOptions): Promise<MasterKeyRotationReport> {
  assertRotatable(oldKey, newKey);
  const rows = await db.identityDataKey.findMany({ select: { tenantId: true, wrappedKey: true, masterKeyId: true }, orderBy: { tenantId: 'asc' } });
  const pending: string[] = [];
  const refused: MasterKeyError[] = [];
  for (const row of rows) {
    try {
      if (rotationStep(row.tenantId, row, oldKey, newKey).kind === 'rewrap') pending.push(row.tenantId);
    } catch (error) {
      if (!(error instanceof MasterKeyError)) throw error;
      refused.push(error);
    }
  }
  if (refused.length > 0) {
    // A refusal that names the fingerprint which wrapped the row tells the operator which key to use: show one of those first.
    const first = refused.find((e) => typeof e.details['masterKeyId'] === 'string') ?? refused[0]!;
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more data key(s))` : '';
    throw new MasterKeyError(first.code, `${first.message}${more}; no data key was changed`, { ...first.details, refused: refused.length });
  }
  if (options.dryRun) return { rotated: 0, alreadyRotated: rows.length - pending.length, remaining: pending.length };

  let rotated = 0;
  for (const [i, tenantId] of pending.entries()) {
    const did = await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<
        WrappedDataKey[]
      >`SELECT "wrappedKey", "masterKeyId" FROM "IdentityDataKey" WHERE "tenantId" = ${tenantId}::uuid FOR UPDATE`;
      if (!row) return false; // the tenant was deleted meanwhile: nothing to re-wrap
      const step = rotationStep(tenantId, row, oldKey, newKey);
      if (step.kind === 'current') return false;
      await tx.identityDataKey.update({
        where: { tenantId },
        data: { wrappedKey: seal(newKey.key, step.dataKey, dataKeyAad(tenantId)), masterKeyId: newKey.id },
      });
      // Fingerprints only: they identify the keys to an auditor without revealing them.
      await tx.identityAuditLog.create({
        data: {
          tenantId,
          action: ROTATE_ACTION,
          personId: null,
          actor: options.actor,
          detail: `data key re-wrapped: master key ${step.from.id} -> ${newKey.id}`,
        },
      });
      return true;
    });
    if (did) rotated += 1;
    await options.onProgress?.({ tenantId, rotated: did, done: i + 1, of: pending.length });
  }
  const remaining = await db.identityDataKey.count({ where: { OR: [{ masterKeyId: null }, { masterKeyId: { not: newKey.id } }] } });
  return { rotated, alreadyRotated: rows.length - rotated, remaining };
}
