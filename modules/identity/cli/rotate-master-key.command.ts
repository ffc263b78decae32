import type { SystemDb } from '@trinetra/db';
import type { CliIo } from '@trinetra/shared';
import { MasterKeyError, MasterKeyErrorCode } from '../domain/master-key.error';
import { type MasterKey, masterKey } from '../infra/master-key';
import { assertRotatable, rotateMasterKey } from '../infra/master-key-rotation';

export const ROTATE_USAGE = `usage: npm run cli -- identity rotate-master-key [--dry-run]
  Re-wraps every tenant's identity data key from IDENTITY_MASTER_KEY (the current key) to
  IDENTITY_MASTER_KEY_NEW (openssl rand -base64 32), on DATABASE_URL (the owner connection).
  Safe to rerun: data keys already on the new key are skipped. --dry-run only checks every data
  key opens and counts. Procedure and rollout order: docs/IDENTITY.md, "Master key rotation".`;

/** What the server gives the command: its key rule and its database. */
export interface MasterKeyCliDeps {
  /** The server's rule for a key value (base64 or base64url of 32 bytes); throws naming `name`. */
  decodeKey(value: string, name: string): Buffer;
  /** The owner client on DATABASE_URL; the command disconnects it. */
  openDb(): SystemDb;
}

/** The actor of the audit rows the rotation writes. */
const ACTOR = 'cli';

/**
 * The two keys from the environment, validated: both set, both well-formed, not equal.
 * The one place the command reads key variables; errors name the variable, never its value.
 */
export function readRotationKeys(
  env: Readonly<Record<string, string | undefined>>,
  decodeKey: MasterKeyCliDeps['decodeKey'],
): { oldKey: MasterKey; newKey: MasterKey } {
  const read = (name: string, hint: string): MasterKey => {
    const value = env[name];
    if (value === undefined || value.trim() === '') throw new MasterKeyError(MasterKeyErrorCode.KEY_INVALID, `${name} is not set: ${hint}`);
    try {
      return masterKey(decodeKey(value, name), name);
    } catch (error) {
      throw new MasterKeyError(MasterKeyErrorCode.KEY_INVALID, error instanceof Error ? error.message : `${name} is not a valid key`);
    }
  };
  const oldKey = read(
    'IDENTITY_MASTER_KEY',
    'export the key the servers use now (in development it is in DATA_DIR/identity-master-key: IDENTITY_MASTER_KEY=$(cat .trinetra/identity-master-key))',
  );
  const newKey = read('IDENTITY_MASTER_KEY_NEW', 'export the key to rotate to (openssl rand -base64 32)');
  assertRotatable(oldKey, newKey);
  return { oldKey, newKey };
}

/** `identity rotate-master-key`: exit 0 done, 1 refused or rows left, 2 usage or key variables. */
export async function runRotateMasterKey(
  argv: readonly string[],
  io: CliIo,
  deps: MasterKeyCliDeps,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const dryRun = argv[0] === '--dry-run';
  if (argv.length > (dryRun ? 1 : 0)) {
    io.stderr.write(`${ROTATE_USAGE}\n`);
    return 2;
  }
  let keys: { oldKey: MasterKey; newKey: MasterKey };
  try {
    keys = readRotationKeys(env, deps.decodeKey);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { oldKey, newKey } = keys;
  io.stdout.write(`master keys: old ${oldKey.id} (${oldKey.name}), new ${newKey.id} (${newKey.name})\n`);
  const db = deps.openDb();
  try {
    const report = await rotateMasterKey(db, oldKey, newKey, {
      actor: ACTOR,
      dryRun,
      onProgress: (p) => void io.stdout.write(`tenant ${p.tenantId}: ${p.rotated ? 'data key re-wrapped' : 'already on the new key'} (${p.done}/${p.of})\n`),
    });
    if (dryRun) {
      io.stdout.write(`dry run: every data key opens; ${report.remaining} to re-wrap, ${report.alreadyRotated} already on the new key\n`);
      return 0;
    }
    io.stdout.write(`rotated=${report.rotated} already_rotated=${report.alreadyRotated} remaining=${report.remaining}\n`);
    if (report.remaining > 0) {
      io.stderr.write(
        `${report.remaining} data key(s) are not on the new key: a server still wrapping with another key created them meanwhile; ` +
          'set IDENTITY_MASTER_KEY to the new key on every replica and run this command again\n',
      );
      return 1;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}
