import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** File under DATA_DIR that holds the generated identity master key of a development machine. */
export const DEV_IDENTITY_MASTER_KEY_FILE = 'identity-master-key';

/**
 * Decodes an identity master key (base64 or base64url of 32 bytes); throws naming the problem and
 * `name`, the variable it came from (IDENTITY_MASTER_KEY, _PREVIOUS, _NEW share this one rule).
 */
export function decodeIdentityMasterKey(value: string, name = 'IDENTITY_MASTER_KEY'): Buffer {
  const key = Buffer.from(value.trim(), value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`);
  return key;
}

/**
 * The identity master key of a machine without `IDENTITY_MASTER_KEY` (development and test
 * only), as dev-jwt-secret.ts does for the JWT secret: 32 random bytes generated once into
 * `<dataDir>/identity-master-key` (mode 0600), written aside and hard-linked into place so
 * concurrent first starts agree. Losing the file makes every stored embedding unreadable.
 */
export function loadOrCreateDevIdentityMasterKey(dataDir: string): string {
  const file = path.resolve(dataDir, DEV_IDENTITY_MASTER_KEY_FILE);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fresh = randomBytes(32).toString('base64');
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, file);
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it or set IDENTITY_MASTER_KEY`);
  const stored = readFileSync(file, 'utf8').trim();
  decodeIdentityMasterKey(stored);
  return stored;
}
