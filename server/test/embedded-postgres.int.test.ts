import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MAIN = path.resolve(__dirname, '..', 'dist', 'main.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('npm start without a reachable Postgres', () => {
  it('comes up on embedded Postgres, migrated and seeded, and stops it on SIGTERM', async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'trinetra-embedded-'));
    // As root, Postgres runs as the `postgres` user, which must be able to enter the folder.
    chmodSync(dataDir, 0o755);
    const pgPort = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        SEED_DEMO: 'true',
        DATABASE_URL: `postgresql://postgres@127.0.0.1:${pgPort}/trinetra`,
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start banner within 120 s:\n${out}`)), 120_000);
        const onData = (chunk: Buffer): void => {
          out += chunk.toString();
          if (out.includes('Demo tenant       :')) {
            clearTimeout(timer);
            resolve(out);
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
      });
      expect(banner).toContain('embedded (started by npm start)');
      expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
      const base = /GraphQL API \+ IDE : (http:\/\/\S+)\/graphql/.exec(banner)![1]!;
      const ready = await fetch(`${base}/readyz`);
      expect(await ready.json()).toMatchObject({ status: 'ready', checks: { postgres: true, redis: true } });
      // The banner names the demo login and the 0600 file holding its password (never the secret itself).
      expect(banner).toMatch(/Demo tenant\s+: sign in as \S+; password and API key in \S+ \(mode 0600\)/);
      const credentials = Object.fromEntries(
        readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      expect(banner).not.toContain(credentials['password']!);
      const email = [banner, credentials['email']!, credentials['password']!] as const;
      const signIn = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
          variables: { i: { email: email[1], password: email[2] } },
        }),
      });
      expect(((await signIn.json()) as { data: { signIn: { accessToken: string } } }).data.signIn.accessToken).toBeTruthy();
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Embedded Postgres stopped with the process: its port is free again.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(pgPort, '127.0.0.1', () => probe.close(() => resolve())));
  }, 180_000);
});
