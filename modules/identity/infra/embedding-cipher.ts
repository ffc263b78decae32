import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Layout version of a sealed blob: 1 = version | IV (12) | GCM tag (16) | ciphertext. */
const SEAL_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = 1 + IV_BYTES + TAG_BYTES;

/** A key is 32 bytes (AES-256). */
export function assertAes256Key(key: Uint8Array, what: string): void {
  if (key.length !== 32) throw new RangeError(`${what} must be 32 bytes (AES-256), got ${key.length}`);
}

/**
 * AES-256-GCM with `aad` bound in: a blob moved to another tenant or person (its AAD) fails
 * to open instead of decrypting under the wrong owner.
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Uint8Array<ArrayBuffer> {
  assertAes256Key(key, 'sealing key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.of(SEAL_VERSION), iv, cipher.getAuthTag(), body]));
}

/** Opens a {@link seal}ed blob; throws when the key, the AAD or a byte is wrong. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer {
  assertAes256Key(key, 'sealing key');
  if (sealed.length < HEADER || sealed[0] !== SEAL_VERSION) throw new Error('not a sealed identity blob (unknown version or truncated)');
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER));
  return Buffer.concat([decipher.update(buf.subarray(HEADER)), decipher.final()]);
}

/** An embedding as little-endian float32 bytes. */
export function embeddingBytes(embedding: readonly number[]): Buffer {
  const buf = Buffer.alloc(embedding.length * 4);
  embedding.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf;
}

/** The inverse of {@link embeddingBytes}. */
export function embeddingFromBytes(bytes: Buffer): number[] {
  if (bytes.length % 4 !== 0) throw new Error('embedding bytes are not whole float32 values');
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

/** The AAD of a tenant's wrapped data key. */
export const dataKeyAad = (tenantId: string): string => `identity-data-key:${tenantId}`;
/** The AAD of one person's embedding. */
export const embeddingAad = (tenantId: string, personId: string): string => `identity-embedding:${tenantId}:${personId}`;
