import { randomBytes } from 'node:crypto';
import { decodeIdentityMasterKey } from '../../../server/config/dev-identity-master-key';
import { readRotationKeys, runRotateMasterKey } from '../cli/rotate-master-key.command';
import { MasterKeyErrorCode } from '../domain/master-key.error';
import { dataKeyAad, seal } from './embedding-cipher';
import { masterKey, masterKeyFingerprint, unwrapDataKey } from './master-key';
import { assertRotatable, rotationStep } from './master-key-rotation';

const tenant = '6f1c1f8e-0b5e-4f55-9d43-3f7a3c1b2a10';
const k1 = masterKey(randomBytes(32), 'IDENTITY_MASTER_KEY');
const k2 = masterKey(randomBytes(32), 'IDENTITY_MASTER_KEY_NEW');
const k3 = masterKey(randomBytes(32), 'IDENTITY_MASTER_KEY_PREVIOUS');
const dataKey = randomBytes(32);
const wrapped = (by: { key: Uint8Array; id: string } | null, key = by) => ({
  wrappedKey: seal(key!.key, dataKey, dataKeyAad(tenant)),
  masterKeyId: by ? by.id : null,
});

describe('master key fingerprint', () => {
  it('is 16 hex characters, the same for the same key, different for another', () => {
    expect(k1.id).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKeyFingerprint(Buffer.from(k1.key))).toBe(k1.id);
    expect(k2.id).not.toBe(k1.id);
  });

  it('holds no run of the key (one-way, keyed)', () => {
    const hex = Buffer.from(k1.key).toString('hex');
    for (let i = 0; i + 8 <= hex.length; i += 2) expect(k1.id).not.toContain(hex.slice(i, i + 8));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => masterKeyFingerprint(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('unwrapDataKey', () => {
  it('opens a row with the key its fingerprint names, whichever position it holds', () => {
    expect(unwrapDataKey(tenant, wrapped(k2), [k1, k2]).dataKey).toEqual(dataKey);
    expect(unwrapDataKey(tenant, wrapped(k2), [k1, k2]).by).toBe(k2);
  });

  it('opens a legacy row (no fingerprint) by trying each key', () => {
    expect(unwrapDataKey(tenant, wrapped(null, k2), [k1, k2]).by).toBe(k2);
  });

  it('refuses a row wrapped by a key it does not hold, naming that fingerprint and its own, never key bytes', () => {
    const run = () => unwrapDataKey(tenant, wrapped(k2), [k1]);
    expect(run).toThrow(expect.objectContaining({ code: MasterKeyErrorCode.UNKNOWN_MASTER_KEY }));
    expect(run).toThrow(new RegExp(`wrapped by master key ${k2.id}.*IDENTITY_MASTER_KEY ${k1.id}`));
    try {
      run();
    } catch (error) {
      const text = `${(error as Error).message} ${JSON.stringify((error as { details: unknown }).details)}`;
      for (const k of [k1, k2]) {
        expect(text).not.toContain(Buffer.from(k.key).toString('base64'));
        expect(text).not.toContain(Buffer.from(k.key).toString('hex'));
      }
    }
  });

  it('refuses a legacy row no key opens', () => {
    expect(() => unwrapDataKey(tenant, wrapped(null, k3), [k1, k2])).toThrow(expect.objectContaining({ code: MasterKeyErrorCode.UNKNOWN_MASTER_KEY }));
  });

  it('a row whose fingerprint names a key it does not open under is unreadable, not guessed', () => {
    const forged = { wrappedKey: seal(k2.key, dataKey, dataKeyAad(tenant)), masterKeyId: k1.id };
    expect(() => unwrapDataKey(tenant, forged, [k1, k2])).toThrow(expect.objectContaining({ code: MasterKeyErrorCode.DATA_KEY_UNREADABLE }));
  });

  it('a data key moved to another tenant does not open (AAD)', () => {
    expect(() => unwrapDataKey('00000000-0000-4000-8000-000000000000', wrapped(k1), [k1])).toThrow(
      expect.objectContaining({ code: MasterKeyErrorCode.DATA_KEY_UNREADABLE }),
    );
  });
});

describe('rotationStep', () => {
  it('re-wraps an old row, leaves a new one, records a legacy row even when it already opens with the new key', () => {
    expect(rotationStep(tenant, wrapped(k1), k1, k2)).toMatchObject({ kind: 'rewrap', from: k1, dataKey });
    expect(rotationStep(tenant, wrapped(k2), k1, k2)).toEqual({ kind: 'current' });
    expect(rotationStep(tenant, wrapped(null, k1), k1, k2)).toMatchObject({ kind: 'rewrap', from: k1 });
    expect(rotationStep(tenant, wrapped(null, k2), k1, k2)).toMatchObject({ kind: 'rewrap', from: k2 });
  });

  it('refuses a row wrapped by a third key', () => {
    expect(() => rotationStep(tenant, wrapped(k3), k1, k2)).toThrow(new RegExp(`wrapped by master key ${k3.id}`));
  });

  it('refuses equal keys', () => {
    expect(() => assertRotatable(k1, masterKey(Buffer.from(k1.key), 'IDENTITY_MASTER_KEY_NEW'))).toThrow(/IDENTITY_MASTER_KEY_NEW equals IDENTITY_MASTER_KEY/);
  });
});

describe('readRotationKeys (the server key rule)', () => {
  const b64 = (k: { key: Uint8Array }) => Buffer.from(k.key).toString('base64');
  const env = { IDENTITY_MASTER_KEY: b64(k1), IDENTITY_MASTER_KEY_NEW: b64(k2) };

  it('reads both keys, base64 or base64url', () => {
    const keys = readRotationKeys({ ...env, IDENTITY_MASTER_KEY_NEW: Buffer.from(k2.key).toString('base64url') }, decodeIdentityMasterKey);
    expect(keys.oldKey.id).toBe(k1.id);
    expect(keys.newKey.id).toBe(k2.id);
  });

  it.each([
    [{ IDENTITY_MASTER_KEY_NEW: env.IDENTITY_MASTER_KEY_NEW }, /IDENTITY_MASTER_KEY is not set/],
    [{ IDENTITY_MASTER_KEY: env.IDENTITY_MASTER_KEY }, /IDENTITY_MASTER_KEY_NEW is not set/],
    [{ ...env, IDENTITY_MASTER_KEY_NEW: '  ' }, /IDENTITY_MASTER_KEY_NEW is not set/],
    [{ ...env, IDENTITY_MASTER_KEY_NEW: randomBytes(16).toString('base64') }, /IDENTITY_MASTER_KEY_NEW must be 32 bytes in base64.*got 16 bytes/],
    [{ ...env, IDENTITY_MASTER_KEY: 'not a key' }, /IDENTITY_MASTER_KEY must be 32 bytes/],
    [{ ...env, IDENTITY_MASTER_KEY_NEW: env.IDENTITY_MASTER_KEY }, /IDENTITY_MASTER_KEY_NEW equals IDENTITY_MASTER_KEY/],
    [{ ...env, IDENTITY_MASTER_KEY_NEW: Buffer.from(k1.key).toString('base64url') }, /equals/],
  ])('refuses %# with a message naming the variable', (bad, message) => {
    expect(() => readRotationKeys(bad, decodeIdentityMasterKey)).toThrow(
      expect.objectContaining({ code: MasterKeyErrorCode.KEY_INVALID, message: expect.stringMatching(message) }),
    );
  });

  it('the command exits 2 on a key problem or stray argument without opening the database, and never prints a key', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
    const deps = {
      decodeKey: decodeIdentityMasterKey,
      openDb: () => {
        throw new Error('must not open the database');
      },
    };
    const badNew = randomBytes(31).toString('base64');
    expect(await runRotateMasterKey([], io, deps, { ...env, IDENTITY_MASTER_KEY_NEW: badNew })).toBe(2);
    expect(await runRotateMasterKey([], io, deps, { ...env, IDENTITY_MASTER_KEY_NEW: env.IDENTITY_MASTER_KEY })).toBe(2);
    expect(await runRotateMasterKey(['--force'], io, deps, env)).toBe(2);
    const text = out.join('');
    expect(text).toMatch(/IDENTITY_MASTER_KEY_NEW must be 32 bytes/);
    expect(text).toMatch(/usage: npm run cli -- identity rotate-master-key/);
    for (const secret of [env.IDENTITY_MASTER_KEY, env.IDENTITY_MASTER_KEY_NEW, badNew]) expect(text).not.toContain(secret);
  });
});
