import { createHmac } from 'node:crypto';
import { MasterKeyError, MasterKeyErrorCode } from '../domain/master-key.error';
import { assertAes256Key, dataKeyAad, open } from './embedding-cipher';

/**
 * Domain label of the fingerprint HMAC: a fingerprint computed for this purpose can never equal
 * a MAC the key makes for anything else.
 */
const FINGERPRINT_LABEL = 'trinetra/identity/master-key-id/v1';

/** A decoded master key with its fingerprint and the variable it came from (for messages). */
export interface MasterKey {
  readonly key: Uint8Array;
  /** {@link masterKeyFingerprint} of `key`: safe to store, log and print. */
  readonly id: string;
  /** Where it came from, e.g. `IDENTITY_MASTER_KEY_PREVIOUS`. */
  readonly name: string;
}

/**
 * The id stored with each wrapped data key ("IdentityDataKey"."masterKeyId"): the first 64 bits
 * of HMAC-SHA256 keyed by the master key. One-way and keyed, so it reveals nothing of a 256-bit
 * random key, yet lets a process tell which of its keys wrapped a row (or that none did) without
 * trial decryption. 64 bits is plenty to tell apart the two or three keys alive at once; a
 * collision would still fail safe (GCM refuses the wrong key: DATA_KEY_UNREADABLE).
 */
export function masterKeyFingerprint(key: Uint8Array): string {
  assertAes256Key(key, 'identity master key');
  return createHmac('sha256', key).update(FINGERPRINT_LABEL).digest('hex').slice(0, 16);
}

export function masterKey(key: Uint8Array, name: string): MasterKey {
  assertAes256Key(key, name);
  return { key, id: masterKeyFingerprint(key), name };
}

/** A stored data key row, as the store and the rotation read it. */
export interface WrappedDataKey {
  wrappedKey: Uint8Array;
  /** Null for rows wrapped before fingerprints were recorded (migration 20261129210000). */
  masterKeyId: string | null;
}

const held = (keys: readonly MasterKey[]): string => keys.map((k) => `${k.name} ${k.id}`).join(', ');

/**
 * Opens a tenant's wrapped data key with whichever of `keys` wrapped it. A row with a fingerprint
 * is opened by that key only (no guessing); a legacy row without one is tried with each key in
 * order. Throws a {@link MasterKeyError} naming the fingerprints, never key bytes.
 */
export function unwrapDataKey(tenantId: string, row: WrappedDataKey, keys: readonly MasterKey[]): { dataKey: Buffer; by: MasterKey } {
  const aad = dataKeyAad(tenantId);
  if (row.masterKeyId !== null) {
    const by = keys.find((k) => k.id === row.masterKeyId);
    if (!by)
      throw new MasterKeyError(
        MasterKeyErrorCode.UNKNOWN_MASTER_KEY,
        `identity data key of tenant ${tenantId} is wrapped by master key ${row.masterKeyId}, which this process does not hold (it has ${held(keys)}): ` +
          `set the variable to the key with fingerprint ${row.masterKeyId} (docs/IDENTITY.md, "Master key rotation")`,
        { tenantId, masterKeyId: row.masterKeyId },
      );
    try {
      return { dataKey: open(by.key, row.wrappedKey, aad), by };
    } catch {
      throw new MasterKeyError(
        MasterKeyErrorCode.DATA_KEY_UNREADABLE,
        `identity data key of tenant ${tenantId} does not open with ${by.name} (${by.id}), the key its fingerprint names: the row is corrupt or was tampered with`,
        { tenantId, masterKeyId: row.masterKeyId },
      );
    }
  }
  for (const by of keys) {
    try {
      return { dataKey: open(by.key, row.wrappedKey, aad), by };
    } catch {
      // Not this key: a legacy row carries no fingerprint, so the next key is tried.
    }
  }
  throw new MasterKeyError(
    MasterKeyErrorCode.UNKNOWN_MASTER_KEY,
    `identity data key of tenant ${tenantId} (wrapped before fingerprints were recorded) opens with none of ${held(keys)}: ` +
      `set IDENTITY_MASTER_KEY to the key it was wrapped with (docs/IDENTITY.md, "Master key rotation")`,
    { tenantId, masterKeyId: null },
  );
}
