import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from './config';

describe('IDENTITY_MASTER_KEY', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'identity-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const jwt = 'x'.repeat(40);

  it('is required in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: jwt, DATA_DIR: dir })).toThrow(/IDENTITY_MASTER_KEY must be set in production/);
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: jwt, DATA_DIR: dir, IDENTITY_MASTER_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /32 bytes/,
    );
  });

  it('accepts a 32-byte base64 key as given', () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: jwt, DATA_DIR: dir, IDENTITY_MASTER_KEY: key }).IDENTITY_MASTER_KEY).toBe(key);
  });

  it('in development is generated once into DATA_DIR (mode 0600) and reused', () => {
    const dev = path.join(dir, 'dev');
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dev }).IDENTITY_MASTER_KEY;
    expect(Buffer.from(first, 'base64')).toHaveLength(32);
    expect(statSync(path.join(dev, 'identity-master-key')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: dev }).IDENTITY_MASTER_KEY).toBe(first);
  });
});
