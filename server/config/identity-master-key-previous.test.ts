import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, serviceEnv } from './config';

describe('IDENTITY_MASTER_KEY_PREVIOUS (master key rotation rollout)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'identity-key-previous-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DATA_DIR: dir, IDENTITY_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') };

  it('is optional, and passed on to child processes when set', () => {
    expect(loadConfig(base).IDENTITY_MASTER_KEY_PREVIOUS).toBeUndefined();
    expect(serviceEnv(loadConfig(base))).not.toHaveProperty('IDENTITY_MASTER_KEY_PREVIOUS');
    const previous = Buffer.alloc(32, 2).toString('base64url');
    const cfg = loadConfig({ ...base, IDENTITY_MASTER_KEY_PREVIOUS: previous });
    expect(cfg.IDENTITY_MASTER_KEY_PREVIOUS).toBe(previous);
    expect(serviceEnv(cfg).IDENTITY_MASTER_KEY_PREVIOUS).toBe(previous);
  });

  it('follows the key rule, naming itself', () => {
    expect(() => loadConfig({ ...base, IDENTITY_MASTER_KEY_PREVIOUS: Buffer.alloc(24).toString('base64') })).toThrow(
      /IDENTITY_MASTER_KEY_PREVIOUS must be 32 bytes in base64.*got 24 bytes/,
    );
  });

  it('equal to the current key is refused', () => {
    expect(() => loadConfig({ ...base, IDENTITY_MASTER_KEY_PREVIOUS: Buffer.alloc(32, 1).toString('base64url') })).toThrow(
      /IDENTITY_MASTER_KEY_PREVIOUS equals IDENTITY_MASTER_KEY/,
    );
  });
});
