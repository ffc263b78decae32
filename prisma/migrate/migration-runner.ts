import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

/** Default folder of SQL migrations, in Prisma's layout (`<timestamp>_<name>/migration.sql`). */
export const MIGRATIONS_DIR = path.join(packageRoot(__dirname), 'migrations');

/** The `prisma/` folder, whether running from source or from `dist/`. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'schema.prisma'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`schema.prisma not found above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The advisory lock id `prisma migrate deploy` takes, so the two never run concurrently. */
const PRISMA_MIGRATE_LOCK_ID = 72707369;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/**
 * Applies pending SQL migrations and records them in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does (same table, columns and SHA-256 checksum of the file), so
 * either tool can take over. We need our own because Prisma's CLI cannot download its native
 * schema engine on our machines. Each migration runs in its own transaction; a failure leaves
 * the row unfinished with its logs and stops, like Prisma.
 */
export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
    const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const recorded = new Map(done.rows.map((r) => [r.migration_name, r]));
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const name of names) {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const row = recorded.get(name);
      if (row) {
        if (!row.finished_at) {
          throw new MigrationError(`migration ${name} failed earlier and was not rolled back; fix the database, then mark it rolled back`, name);
        }
        result.alreadyApplied.push(name);
        continue;
      }
      const id = randomUUID();
      await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)', [id, checksum, name]);
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        const message = error instanceof Error ? error.message : String(error);
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, message]);
        throw new MigrationError(`migration ${name} failed: ${message}`, name, { cause: error });
      }
      await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
      result.applied.push(name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
