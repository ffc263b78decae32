import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { gql } from './support/test-app';

const MAIN = path.resolve(__dirname, '..', 'dist', 'main.js');
const DEMO_EMAIL = 'admin@demo.trinetra.local';
const DEMO_PASSWORD = 'demo-password-that-must-stay-out-of-logs';

/** Runs `npm start`'s server entry until its start banner, with everything it wrote so far. */
async function runUntilBanner(env: Record<string, string>): Promise<{ child: ChildProcess; output: string; url: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKER_PROCESSES: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const done = new Promise<{ output: string; url: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start banner:\n${output}`)), 40_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (url && output.includes('Trinetra is running.') && /Demo tenant[^\n]*\n/.test(output)) {
        clearTimeout(timer);
        resolve({ output, url });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  try {
    return { child, ...(await done) };
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function demoUsers(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM "User" WHERE email = $1', [DEMO_EMAIL]);
    return (rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}

describe('demo tenant seeding (attack: read the demo admin password and a live API key from the logs)', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'trinetra-seed-'));
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  });

  it.each<{ mode: string; extra: Record<string, string> }>([
    { mode: 'test', extra: {} },
    { mode: 'production', extra: { JWT_SECRET: 'seed-test-secret-seed-test-secret-0123456789', IDENTITY_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') } },
  ])(
    'seeds no demo tenant in $mode mode unless SEED_DEMO is set',
    async ({ mode, extra }) => {
      const { child, output } = await runUntilBanner({ NODE_ENV: mode, DATABASE_URL: db.url, DATA_DIR: path.join(dataDir, mode), ...extra });
      try {
        expect(await demoUsers(db.url)).toBe(0);
        expect(output).toContain('not seeded');
      } finally {
        await stop(child);
      }
    },
    60_000,
  );

  it('with SEED_DEMO=true, keeps the password and key out of the output and in a 0600 file', async () => {
    const dir = path.join(dataDir, 'seeded');
    const { child, output, url } = await runUntilBanner({ NODE_ENV: 'test', SEED_DEMO: 'true', DEMO_PASSWORD, DATABASE_URL: db.url, DATA_DIR: dir });
    try {
      expect(await demoUsers(db.url)).toBe(1);
      const file = path.join(dir, 'demo-credentials.txt');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = readFileSync(file, 'utf8');
      const apiKey = /^api_key=(trk_\S+)$/m.exec(text)?.[1];
      expect(apiKey).toBeDefined();
      expect(text).toContain(`password=${DEMO_PASSWORD}`);
      expect(output).toContain(file);
      expect(output).not.toContain(DEMO_PASSWORD);
      expect(output).not.toContain(apiKey!);
      expect(output).not.toMatch(/trk_[A-Za-z0-9]+_/);
      const me = await gql(url, `{ me { kind tenant { name } } }`, {}, apiKey);
      expect(me.data?.['me']).toEqual({ kind: 'apiKey', tenant: { name: 'Demo Store' } });
    } finally {
      await stop(child);
    }
  }, 60_000);
});
