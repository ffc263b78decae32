import { applyMigrations } from '@trinetra/db';
import type { Logger } from '../observability/logger';
import { ensurePostgres, type PostgresHandle } from './ensure-postgres';

/** Finds or starts Postgres, creates the database if needed and applies pending migrations. */
export async function prepareDatabase(databaseUrl: string, dataDir: string, logger: Logger): Promise<PostgresHandle> {
  const pg = await ensurePostgres(databaseUrl, dataDir, logger);
  const result = await applyMigrations(pg.databaseUrl);
  if (result.applied.length > 0) logger.info({ applied: result.applied }, 'migrations applied');
  return pg;
}
