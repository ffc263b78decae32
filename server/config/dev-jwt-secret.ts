import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** File under DATA_DIR that holds the generated access-token secret of a development machine. */
export const DEV_JWT_SECRET_FILE = 'jwt-secret';

/**
 * The access-token secret of a machine without `JWT_SECRET` (development and test only):
 * 32 random bytes generated once and kept in `<dataDir>/jwt-secret` with mode 0600, so tokens
 * survive restarts on this machine and are worthless on any other. Concurrent first starts
 * (test files, a second server) agree: the file is written aside and hard-linked into place,
 * which fails for all but one writer, and the losers read the winner's secret.
 *
 * Throws an Error (the config loader turns it into a ConfigError) when the file is readable by
 * group or others, or does not hold a secret long enough.
 */
export function loadOrCreateDevJwtSecret(dataDir: string): string {
  const file = path.resolve(dataDir, DEV_JWT_SECRET_FILE);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const created = tryCreate(file);
  if (created) return created;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) throw new Error(`${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it or set JWT_SECRET`);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret (under 32 characters): delete it to generate a new one, or set JWT_SECRET`);
  return secret;
}

function tryCreate(file: string): string | null {
  const secret = randomBytes(32).toString('base64url');
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  } finally {
    unlinkSync(aside);
  }
}
