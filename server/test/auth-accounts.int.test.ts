import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken accessTokenExpiresAt } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }`;
const ME = `{ me { kind scopes tenant { name } user { email role } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`;

jest.setTimeout(60_000);

/** What a caller can observe of a signUp answer: status, error codes and fields, the payload's shape, and `me` with its token. */
async function observe(t: TestApp, email: string, password: string, tenantName: string): Promise<unknown> {
  const res = await gql(t.url, SIGN_UP, { input: { tenantName, email, password } });
  const payload = res.data?.['signUp'] as { accessToken: string; refreshToken: string } | undefined;
  const me = payload ? await gql(t.url, ME, {}, payload.accessToken) : null;
  const refreshed = payload ? await gql(t.url, REFRESH, { t: payload.refreshToken }) : null;
  return {
    status: res.status,
    errors: res.errors?.map((e) => e.extensions),
    shape: payload ? Object.keys(payload).sort() : null,
    me: me?.data?.['me'],
    refreshes: refreshed ? refreshed.errors === undefined : null,
  };
}

describe('accounts (attack: learn which e-mails are registered through signUp)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGN_UP_PER_ADDRESS_PER_HOUR: '100000' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers signUp with a registered e-mail exactly as with a new one', async () => {
    const victim = await signUpTenant(t.url, 'Victim');
    const fresh = `new${Date.now()}@example.test`;
    const forNew = await observe(t, fresh, 'attacker password 1', 'Probe');
    const forRegistered = await observe(t, victim.email, 'attacker password 1', 'Probe');
    expect(forRegistered).toEqual({
      ...(forNew as object),
      me: { kind: 'user', scopes: ['admin'], tenant: { name: 'Probe' }, user: { email: victim.email, role: 'ADMIN' } },
    });
    expect(forNew).toMatchObject({ me: { user: { email: fresh } } });
  });

  it('leaves the registered account untouched, and lets its owner in when they sign up again', async () => {
    const victim = await signUpTenant(t.url, 'Owner');
    await gql(t.url, SIGN_UP, { input: { tenantName: 'Intruder', email: victim.email, password: 'attacker password 2' } });
    const signIn = await gql(t.url, SIGN_IN, { input: { email: victim.email, password: 'correct horse battery' } });
    expect((await gql(t.url, ME, {}, signIn.data!['signIn'].accessToken)).data!['me'].tenant).toEqual({ name: 'Owner' });
    expect((await gql(t.url, SIGN_IN, { input: { email: victim.email, password: 'attacker password 2' } })).errors?.[0]?.extensions?.['code']).toBe(
      'UNAUTHENTICATED',
    );
    const again = await gql(t.url, SIGN_UP, { input: { tenantName: 'Twice', email: victim.email, password: 'correct horse battery' } });
    expect((await gql(t.url, ME, {}, again.data!['signUp'].accessToken)).data!['me'].tenant).toEqual({ name: 'Owner' });
  });
});

describe('API key lastUsedAt', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGN_UP_PER_ADDRESS_PER_HOUR: '100000' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('is set when a key is used, and not rewritten on every request', async () => {
    const admin = await signUpTenant(t.url, 'Keys');
    const created = await gql(
      t.url,
      `mutation { createApiKey(input: { name: "k", scopes: ["cameras:read"] }) { apiKey { id lastUsedAt } secret } }`,
      {},
      admin.accessToken,
    );
    const { apiKey, secret } = created.data!['createApiKey'];
    expect(apiKey.lastUsedAt).toBeNull();
    const lastUsed = async (): Promise<string | null> => {
      const keys = await gql(t.url, `{ apiKeys { id lastUsedAt } }`, {}, admin.accessToken);
      return (keys.data!['apiKeys'] as { id: string; lastUsedAt: string | null }[]).find((k) => k.id === apiKey.id)!.lastUsedAt;
    };
    expect((await gql(t.url, `{ me { kind } }`, {}, secret)).errors).toBeUndefined();
    let first = await lastUsed();
    for (let i = 0; i < 50 && first === null; i++) {
      await new Promise((r) => setTimeout(r, 20));
      first = await lastUsed();
    }
    expect(first).not.toBeNull();
    for (let i = 0; i < 5; i++) await gql(t.url, `{ me { kind } }`, {}, secret);
    expect(await lastUsed()).toBe(first);
  });
});
