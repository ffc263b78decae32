import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { loadConfig } from '../config/config';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { gql, signUpTenant, startTestApp } from './support/test-app';

/** The constant older builds signed with when JWT_SECRET was unset (it is public: it was in the source). */
const OLD_CONSTANT_SECRET = 'trinetra-dev-secret-change-me-in-production-0123456789';
const MAIN = path.resolve(__dirname, '..', 'dist', 'main.js');
const ME = `{ me { tenant { id } } }`;

function forge(secret: string, tenantId: string, userId: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: tenantId, scp: ['admin'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer('trinetra')
    .setAudience('trinetra-api')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600)
    .sign(new TextEncoder().encode(secret));
}

function claimsOf(token: string): { sub: string; tid: string } {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; tid: string };
}

jest.setTimeout(60_000);

describe('access-token secret (attack: forge a token with the secret that used to be in the source)', () => {
  let dataDir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'trinetra-secret-'));
    db = await createTestDatabase();
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  });

  it.each(['development', 'test'])('refuses a token signed with the old constant when JWT_SECRET is unset (%s)', async (mode) => {
    const t = await startTestApp({ NODE_ENV: mode, DATA_DIR: path.join(dataDir, mode) }, db);
    try {
      const victim = await signUpTenant(t.url, 'Victim');
      const { sub, tid } = claimsOf(victim.accessToken);
      const forged = await forge(OLD_CONSTANT_SECRET, tid, sub);
      const res = await gql(t.url, ME, {}, forged);
      expect(res.data?.['me']).toBeFalsy();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
      const keys = await gql(t.url, `mutation { createApiKey(input: { name: "x", scopes: ["admin"] }) { secret } }`, {}, forged);
      expect(keys.data?.['createApiKey']).toBeFalsy();
    } finally {
      await t.stop();
    }
  });

  it('generates a secret in DATA_DIR (mode 0600) that survives a restart', async () => {
    const dir = path.join(dataDir, 'restart');
    const first = await startTestApp({ NODE_ENV: 'development', DATA_DIR: dir }, db);
    let token: string;
    try {
      token = (await signUpTenant(first.url, 'Restart')).accessToken;
      expect(first.config.JWT_SECRET).not.toBe(OLD_CONSTANT_SECRET);
    } finally {
      await first.stop();
    }
    const file = path.join(dir, 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await startTestApp({ NODE_ENV: 'development', DATA_DIR: dir }, db);
    try {
      expect(second.config.JWT_SECRET).toBe(first.config.JWT_SECRET);
      const me = await gql(second.url, ME, {}, token);
      expect(me.errors).toBeUndefined();
      expect(me.data?.['me']).toBeTruthy();
    } finally {
      await second.stop();
    }
  });

  it('gives separate DATA_DIRs (machines) separate secrets', () => {
    const a = loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(dataDir, 'a') });
    const b = loadConfig({ NODE_ENV: 'development', DATA_DIR: path.join(dataDir, 'b') });
    expect(a.JWT_SECRET).not.toBe(b.JWT_SECRET);
    expect(a.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a secret file others can read', () => {
    const dir = path.join(dataDir, 'loose');
    loadConfig({ NODE_ENV: 'development', DATA_DIR: dir });
    chmodSync(path.join(dir, 'jwt-secret'), 0o644);
    expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR: dir })).toThrow(/jwt-secret.*readable/);
  });

  it('refuses to start in production without JWT_SECRET', async () => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      DATA_DIR: path.join(dataDir, 'prod'),
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
    };
    delete env['JWT_SECRET'];
    const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(out).toMatch(/JWT_SECRET must be set in production/);
    expect(out).not.toMatch(/listening/);
  });
});
