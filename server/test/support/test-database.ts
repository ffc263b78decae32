import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from '@trinetra/db';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const u = new URL(process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  u.pathname = '/postgres';
  return u.toString();
}

/**
 * A fresh, migrated database of its own for one test file; `drop()` removes it. The name carries
 * its creation time and the id of the `npm test` run (TEST_RUN_ID, set by scripts/test.js), which
 * removes its own run's databases at the end and never those of a run going on beside it.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const run = process.env['TEST_RUN_ID'];
  const name = `trinetra_test_${Date.now().toString(36)}_${run ? `${run}_` : ''}${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  if (options.migrate ?? true) await applyMigrations(url);
  return {
    url,
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
