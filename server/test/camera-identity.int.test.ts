/**
 * The camera's identity switch (issue 12/13): consent to face embeddings. Turning it on needs
 * identity:write besides cameras:write and records who and when; turning it off clears both;
 * another tenant cannot touch it; a malformed value is BAD_USER_INPUT naming the field.
 */
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id identity identityConsentBy identityConsentAt } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCameraInput!) { updateCamera(id: $id, input: $input) { id identity identityConsentBy identityConsentAt } }`;
const KEY = `mutation($s: [String!]!) { createApiKey(input: { name: "cams", scopes: $s }) { apiKey { id } secret } }`;
const ME = `{ me { user { id } } }`;

describe('Camera.identity (consent to face embeddings)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = (await signUpTenant(t.url, 'Identity consent')).accessToken;
  }, 60_000);
  afterAll(() => t?.stop());

  it('is off by default; turning it on records who consented and when, turning it off clears both', async () => {
    const created = await gql(t.url, CREATE, { input: { name: 'Door', sourceKind: 'UPLOAD' } }, admin);
    expect(created.data!['createCamera']).toMatchObject({ identity: false, identityConsentBy: null, identityConsentAt: null });
    const id = created.data!['createCamera'].id as string;
    const me = await gql(t.url, ME, {}, admin);
    const before = Date.now();
    const on = await gql(t.url, UPDATE, { id, input: { identity: true } }, admin);
    expect(on.errors).toBeUndefined();
    expect(on.data!['updateCamera'].identityConsentBy).toBe(`user:${me.data!['me'].user.id}`);
    expect(Date.parse(on.data!['updateCamera'].identityConsentAt)).toBeGreaterThanOrEqual(before - 1_000);
    // Saying it again keeps the first consent.
    const again = await gql(t.url, UPDATE, { id, input: { identity: true, name: 'Front door' } }, admin);
    expect(again.data!['updateCamera'].identityConsentAt).toBe(on.data!['updateCamera'].identityConsentAt);
    const off = await gql(t.url, UPDATE, { id, input: { identity: false } }, admin);
    expect(off.data!['updateCamera']).toMatchObject({ identity: false, identityConsentBy: null, identityConsentAt: null });
  });

  it('refuses identity to a caller with cameras:write but without identity:write (FORBIDDEN), and lets it edit the rest', async () => {
    const key = await gql(t.url, KEY, { s: ['cameras:read', 'cameras:write'] }, admin);
    const secret = key.data!['createApiKey'].secret as string;
    const refused = await gql(t.url, CREATE, { input: { name: 'Sneaky', sourceKind: 'UPLOAD', identity: true } }, secret);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toMatch(/identity:write/);
    const plain = await gql(t.url, CREATE, { input: { name: 'Plain', sourceKind: 'UPLOAD' } }, secret);
    expect(plain.data!['createCamera'].identity).toBe(false);
    const off = await gql(t.url, UPDATE, { id: plain.data!['createCamera'].id, input: { identity: false } }, secret);
    expect(off.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await gql(t.url, UPDATE, { id: plain.data!['createCamera'].id, input: { name: 'Renamed' } }, secret)).errors).toBeUndefined();
  });

  it("another tenant cannot switch a camera's identity (NOT_FOUND, like a missing camera)", async () => {
    const created = await gql(t.url, CREATE, { input: { name: 'Mine', sourceKind: 'UPLOAD' } }, admin);
    const id = created.data!['createCamera'].id as string;
    const other = (await signUpTenant(t.url, 'Other tenant')).accessToken;
    const attempt = await gql(t.url, UPDATE, { id, input: { identity: true } }, other);
    expect(attempt.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const mine = await gql(t.url, `query($id: ID!) { camera(id: $id) { identity identityConsentBy } }`, { id }, admin);
    expect(mine.data!['camera']).toEqual({ identity: false, identityConsentBy: null });
  });

  it('rejects a non-boolean identity as BAD_USER_INPUT', async () => {
    const bad = await gql(t.url, `mutation { createCamera(input: { name: "x", sourceKind: UPLOAD, identity: "yes" }) { id } }`, {}, admin);
    expect(bad.errors?.[0]?.extensions?.['code']).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });
});
