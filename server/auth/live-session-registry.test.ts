import type { Principal } from '@trinetra/shared';
import { AuthError, AuthErrorCode } from './auth.errors';
import type { CredentialRevocation, LiveAuthentication } from './auth.service';
import { LiveSessionRegistry, type LiveSessionEnd } from './live-session-registry';

const user = (id: string, tenantId = 't1'): Principal => ({ kind: 'user', id, tenantId, scopes: new Set(['admin']) });

/** Credentials the fake auth knows: `Bearer <name>`. */
const CREDENTIALS: Record<string, LiveAuthentication> = {
  alice: { principal: user('alice'), credential: { kind: 'session', userId: 'alice', familyId: 'f1' }, expiresAt: 10_000 },
  aliceLater: { principal: user('alice'), credential: { kind: 'session', userId: 'alice', familyId: 'f1' }, expiresAt: 20_000 },
  aliceOtherSignIn: { principal: user('alice'), credential: { kind: 'session', userId: 'alice', familyId: 'f2' }, expiresAt: 20_000 },
  bob: { principal: user('bob'), credential: { kind: 'session', userId: 'bob', familyId: 'f3' }, expiresAt: 20_000 },
  key: { principal: { kind: 'apiKey', id: 'k1', tenantId: 't1', scopes: new Set(['ingest']) }, credential: { kind: 'apiKey', id: 'k1' }, expiresAt: null },
};

function setup() {
  jest.useFakeTimers({ now: 0 });
  let listener: (r: CredentialRevocation) => void = () => undefined;
  const registry = new LiveSessionRegistry({
    authenticateLive: async (credential) => {
      const found = CREDENTIALS[credential];
      if (!found) throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'unknown');
      return found;
    },
    onRevocation: (l) => {
      listener = l;
      return () => undefined;
    },
  });
  const ends: { who: string; end: LiveSessionEnd }[] = [];
  const open = (name: string) => registry.open(`Bearer ${name}`, (end) => ends.push({ who: name, end }));
  return { registry, ends, open, revoke: (r: CredentialRevocation) => listener(r) };
}

afterEach(() => jest.useRealTimers());

describe('LiveSessionRegistry', () => {
  it.each([
    { name: 'a revoked key ends its sessions only', revocation: { kind: 'apiKey', id: 'k1', prefix: 'trk_x' }, ended: ['key'] },
    { name: 'an ended sign-in ends its sessions only', revocation: { kind: 'session', familyId: 'f1' }, ended: ['alice'] },
    { name: 'an unrelated revocation ends nothing', revocation: { kind: 'session', familyId: 'nope' }, ended: [] },
  ] as const)('$name', async ({ revocation, ended }) => {
    const { ends, open, revoke, registry } = setup();
    await Promise.all([open('key'), open('alice'), open('bob')]);
    revoke(revocation);
    expect(ends).toEqual(ended.map((who) => ({ who, end: 'revoked' })));
    expect(registry.size).toBe(3 - ended.length);
  });

  it('ends a session at its expiry, once', async () => {
    const { ends, open } = setup();
    await open('alice');
    jest.advanceTimersByTime(9_999);
    expect(ends).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ends).toEqual([{ who: 'alice', end: 'expired' }]);
    jest.advanceTimersByTime(100_000);
    expect(ends).toHaveLength(1);
  });

  it('moves the expiry on renewal, and follows a renewal to another sign-in of the same user', async () => {
    const { ends, open, revoke } = setup();
    const session = await open('alice');
    await session.renew('Bearer aliceLater');
    jest.advanceTimersByTime(15_000);
    expect(ends).toEqual([]);
    await session.renew('Bearer aliceOtherSignIn');
    revoke({ kind: 'session', familyId: 'f1' });
    expect(ends).toEqual([]);
    revoke({ kind: 'session', familyId: 'f2' });
    expect(ends).toEqual([{ who: 'alice', end: 'revoked' }]);
  });

  it.each(['Bearer bob', 'Bearer key', 'Bearer unknown', 'nonsense'])('refuses renewal with %s', async (renewal) => {
    const { open } = setup();
    const session = await open('alice');
    await expect(session.renew(renewal)).rejects.toBeInstanceOf(AuthError);
  });

  it('forgets a disposed session: no end after close', async () => {
    const { ends, open, revoke, registry } = setup();
    const session = await open('alice');
    session.dispose();
    revoke({ kind: 'session', familyId: 'f1' });
    jest.advanceTimersByTime(100_000);
    expect(ends).toEqual([]);
    expect(registry.size).toBe(0);
  });
});
