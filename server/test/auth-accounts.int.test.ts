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
      me: { kind: 'user', scopes: ['admin'], tenant: { name: 'Probe' }, user: { email: victim.email, role: 'OWNER' } },
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

describe('browser session cookie (refresh token out of reach of page scripts)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGN_UP_PER_ADDRESS_PER_HOUR: '100000' });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function post(
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<{ body: { data?: Record<string, any> | null; errors?: { extensions?: Record<string, unknown> }[] }; setCookie: string[] }> {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return { body: (await res.json()) as never, setCookie: res.headers.getSetCookie() };
  }
  const cookieOf = (setCookie: string[]): string => setCookie[0]!.split(';')[0]!;

  it('sets the refresh token as an httpOnly SameSite=Strict cookie on the GraphQL path, rotates and clears it', async () => {
    const { email } = await signUpTenant(t.url, 'Cookie');
    const signIn = await post(
      SIGN_IN.replace('accessToken', 'accessToken refreshToken'),
      { input: { email, password: 'correct horse battery' } },
      { 'x-trinetra-session': 'cookie' },
    );
    expect(signIn.body.data!['signIn']).toEqual({ accessToken: expect.any(String), refreshToken: null });
    expect(signIn.setCookie).toHaveLength(1);
    expect(signIn.setCookie[0]).toMatch(/^trinetra_refresh=[\w-]{20,}; Path=\/graphql; Max-Age=\d+; HttpOnly; SameSite=Strict$/);

    const refresh = `mutation { refreshToken { accessToken refreshToken } }`;
    const rotated = await post(refresh, {}, { 'x-trinetra-session': 'cookie', cookie: cookieOf(signIn.setCookie) });
    expect(rotated.body.data!['refreshToken']).toEqual({ accessToken: expect.any(String), refreshToken: null });
    expect(cookieOf(rotated.setCookie)).not.toBe(cookieOf(signIn.setCookie));

    const out = await post(`mutation { signOut }`, {}, { 'x-trinetra-session': 'cookie', cookie: cookieOf(rotated.setCookie) });
    expect(out.body.data!['signOut']).toBe(true);
    expect(out.setCookie[0]).toMatch(/^trinetra_refresh=; Path=\/graphql; Max-Age=0; HttpOnly; SameSite=Strict$/);
    const after = await post(refresh, {}, { 'x-trinetra-session': 'cookie', cookie: cookieOf(rotated.setCookie) });
    expect(after.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('marks the cookie Secure behind https', async () => {
    const { email } = await signUpTenant(t.url, 'Secure');
    const signIn = await post(
      SIGN_IN,
      { input: { email, password: 'correct horse battery' } },
      { 'x-trinetra-session': 'cookie', 'x-forwarded-proto': 'https' },
    );
    expect(signIn.setCookie[0]).toMatch(/; Secure$/);
  });
});
