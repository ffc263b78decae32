import { SignJWT } from 'jose';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { accessToken refreshToken } }`;
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`;
const ME = `{ me { kind scopes tenant { id name } user { email } } }`;
const CAMERAS = `{ cameras(first: 5) { edges { node { id } } } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id prefix scopes } secret } }`;
const REVOKE_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const CREATE_CAMERA = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id name } }`;

describe('authentication and API keys (real Postgres and Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ACCESS_TOKEN_TTL_S: '2' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('signs up, signs in and answers me', async () => {
    const { email } = await signUpTenant(t.url, 'Acme Stores');
    const signIn = await gql(t.url, SIGN_IN, { input: { email: email.toUpperCase(), password: 'correct horse battery' } });
    expect(signIn.errors).toBeUndefined();
    const me = await gql(t.url, ME, {}, signIn.data!['signIn'].accessToken);
    expect(me.data!['me']).toMatchObject({ kind: 'user', scopes: ['admin'], tenant: { name: 'Acme Stores' }, user: { email } });
  });

  it('rejects a wrong password with a typed error', async () => {
    const { email } = await signUpTenant(t.url, 'Dup');
    const wrong = await gql(t.url, SIGN_IN, { input: { email, password: 'nope nope nope' } });
    expect(wrong.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('validates sign-up input at the edge', async () => {
    const res = await gql(t.url, `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }`, { input: { tenantName: 'X', email: 'not-an-email', password: 'short' } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
    const first = await signUpTenant(t.url, 'Rotate');
    const second = await gql(t.url, REFRESH, { t: first.refreshToken });
    expect(second.errors).toBeUndefined();
    const next = second.data!['refreshToken'].refreshToken as string;
    expect(next).not.toBe(first.refreshToken);

    const reuse = await gql(t.url, REFRESH, { t: first.refreshToken });
    expect(reuse.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'REFRESH_TOKEN_REUSED' });
    // The thief's reuse also killed the legitimate successor.
    const afterReuse = await gql(t.url, REFRESH, { t: next });
    expect(afterReuse.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('rejects expired and forged access tokens', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Expiry');
    const forged = await new SignJWT({ tid: '00000000-0000-0000-0000-000000000000', scp: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('trinetra')
      .setAudience('trinetra-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('an attacker guessing the secret wrongly!!'));
    const forgedRes = await gql(t.url, ME, {}, forged);
    expect(forgedRes.status).toBe(401);
    expect(forgedRes.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });

    const tampered = await gql(t.url, ME, {}, accessToken.slice(0, -3) + 'AAA');
    expect(tampered.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    await new Promise((r) => setTimeout(r, 3_100));
    const expired = await gql(t.url, ME, {}, accessToken);
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
  });

  it('enforces API key scopes per operation and rejects a revoked key at once', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Keys');
    const created = await gql(t.url, CREATE_KEY, { input: { name: 'reader', scopes: ['cameras:read'] } }, accessToken);
    expect(created.errors).toBeUndefined();
    const { apiKey, secret } = created.data!['createApiKey'];
    expect(secret.startsWith(apiKey.prefix)).toBe(true);

    expect((await gql(t.url, CAMERAS, {}, secret)).errors).toBeUndefined();
    const write = await gql(t.url, CREATE_CAMERA, { input: { name: 'door', sourceKind: 'SIMULATOR' } }, secret);
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', required: ['cameras:write'] });
    const keyAdmin = await gql(t.url, CREATE_KEY, { input: { name: 'escalate', scopes: ['admin'] } }, secret);
    expect(keyAdmin.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const revoked = await gql(t.url, REVOKE_KEY, { id: apiKey.id }, accessToken);
    expect(revoked.data!['revokeApiKey'].revokedAt).not.toBeNull();
    const after = await gql(t.url, CAMERAS, {}, secret);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'API_KEY_REVOKED' });
  });

  it('rejects unknown scopes and anonymous calls with typed errors', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Scopes');
    const bad = await gql(t.url, CREATE_KEY, { input: { name: 'x', scopes: ['cameras:destroy'] } }, accessToken);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopes' });
    const anon = await gql(t.url, CAMERAS);
    expect(anon.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const garbage = await gql(t.url, CAMERAS, {}, 'trk_nothere_xxxxxxxx');
    expect(garbage.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'API_KEY_INVALID' });
  });
});
