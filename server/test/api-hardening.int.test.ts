import { gql, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { runOverWs } from './support/client-address';

// Real servers on a shared, busy machine: generous timeouts, no wall-clock assertions.
jest.setTimeout(120_000);

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const ME = `{ me { tenant { id } } }`;
const SERVER_INTERNALS = /\/work\/|node_modules|\.ts:\d+|at [A-Za-z.<>]+ \(|prisma|postgres|invalid input syntax|PrismaClient/i;

/** A cursor as the server makes them (base64url JSON), with a payload of the attacker's choosing. */
function forgedCursor(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('API hardening: errors, input, introspection, metrics and headers (issue 10, rows 8, 9, 11, 12, 13)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    // The default mode of `npm start` is development: that is where details used to leak.
    t = await startTestApp({
      NODE_ENV: 'development',
      QUERY_MAX_COST: '500',
      RATE_LIMIT_ANON_PER_MIN: '100000',
      METRICS_TOKEN: 'metrics-token-for-tests-0123456789',
    });
    token = (await signUpTenant(t.url, 'Hardening')).accessToken;
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('bad input is BAD_USER_INPUT, never INTERNAL, and never leaks server details', () => {
    it.each([
      [
        'a NUL byte in a string',
        `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
        { input: { name: 'door\u0000', sourceKind: 'SIMULATOR' } },
      ],
      ['a NUL byte in a literal', `mutation { createCamera(input: { name: "door\\u0000", sourceKind: SIMULATOR }) { id } }`, {}],
      [
        'a lone surrogate',
        `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
        { input: { name: 'door\ud800', sourceKind: 'SIMULATOR' } },
      ],
      [
        'a forged cursor with a non-uuid id',
        `query($after: String) { cameras(first: 1, after: $after) { pageInfo { hasNextPage } } }`,
        { after: forgedCursor(['2024-01-01T00:00:00.000Z', "x' OR 1=1"]) },
      ],
      [
        'a forged cursor with an absurd date',
        `query($after: String) { cameras(first: 1, after: $after) { pageInfo { hasNextPage } } }`,
        { after: forgedCursor(['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']) },
      ],
      ['an overlong id', `query($id: ID!) { camera(id: $id) { id } }`, { id: 'x'.repeat(200_000) }],
    ])('%s', async (_name, query, variables) => {
      const res = await gql(t.url, query, variables, token);
      expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      const text = JSON.stringify(res);
      expect(text).not.toMatch(SERVER_INTERNALS);
      expect(text).not.toContain('stacktrace');
      expect(text.length).toBeLessThan(2_000);
    });

    it('does not echo a 200 KB id back over graphql-ws either', async () => {
      const client = wsClient(t.wsUrl, token);
      const outcome = await runOverWs(client, `query($id: ID!) { camera(id: $id) { id } }`, { id: 'y'.repeat(200_000) });
      await client.dispose();
      expect(outcome.kind).not.toBe('closed');
      expect(JSON.stringify(outcome).length).toBeLessThan(2_000);
      expect(JSON.stringify(outcome)).toContain('BAD_USER_INPUT');
    });

    it('shows no stack trace on client mistakes in development mode', async () => {
      const res = await gql(t.url, `{ cameras(first: 1) { nope } }`, {}, token);
      expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res)).not.toContain('stacktrace');
    });
  });

  describe('introspection is inside the limits', () => {
    it('still answers the IDE introspection query', async () => {
      const { getIntrospectionQuery } = await import('graphql');
      const res = await gql(t.url, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), {}, token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.['__schema']).toBeDefined();
    });

    it.each([
      // Shapes that graphql-js's own MaxIntrospectionDepthRule (it counts only fields, inputFields, interfaces, possibleTypes) lets through.
      ['a deep __schema walk', `{ __schema { types { fields { args { type { ofType { ofType { ofType { fields { args { name } } } } } } } } } } }`],
      [
        'nested introspection lists that multiply the response',
        `{ __schema { types { fields { args { type { fields { args { type { enumValues { name } } } } } } } } } }`,
      ],
      ['40,000 aliased __typename', `{ ${Array.from({ length: 40_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`],
      ['many aliased __schema', `{ ${Array.from({ length: 60 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ')} }`],
    ])('refuses %s with a limit error', async (_name, query) => {
      const res = await fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const text = await res.text();
      expect(text.length).toBeLessThan(5_000);
      const body = JSON.parse(text) as { errors?: { extensions: Record<string, unknown> }[] };
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      // A document too big to parse is refused while parsing (GRAPHQL_PARSE_FAILED), before validation.
      expect(String(body.errors?.[0]?.extensions['reason'])).toMatch(/^QUERY_TOO_|^TOO_MANY_|^GRAPHQL_PARSE_FAILED$/);
    });

    it('counts a variable default value in the cost', async () => {
      const res = await gql(t.url, `query($n: Int = 100) { cameras(first: $n) { edges { node { id name tier status purpose } } } }`, {}, token);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' });
    });

    it('refuses introspection and hides the IDE when GRAPHQL_INTROSPECTION=false', async () => {
      const closed = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' }, t.db);
      try {
        const res = await gql(closed.url, `{ __schema { queryType { name } } }`, {}, token);
        expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
        expect(res.data ?? null).toBeNull();
        const client = wsClient(closed.wsUrl, token);
        const overWs = await runOverWs(client, `{ __type(name: "Query") { name } }`);
        await client.dispose();
        expect(overWs.kind).toBe('errors');
        expect((await fetch(closed.url, { headers: { accept: 'text/html' } })).status).toBe(404);
        expect((await fetch(new URL('/ide/graphiql.js', closed.url))).status).toBe(404);
      } finally {
        await closed.stop();
      }
    });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('answers /ide/%s with 404', async (name) => {
    const res = await fetch(new URL(`/ide/${name}`, t.url));
    expect(res.status).toBe(404);
  });

  it('keeps tenant and camera ids out of /metrics and asks for the token', async () => {
    const me = await gql(t.url, ME, {}, token);
    const tenantId = me.data!['me'].tenant.id as string;
    const cameraId = (await gql(t.url, CREATE, { input: { name: 'Metered', sourceKind: 'SIMULATOR' } }, token)).data!['createCamera'].id as string;
    await gql(t.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: cameraId }, token);
    await waitFor(() => t.app.controlPlane.health().cameras.some((c) => c.cameraId.includes(cameraId) && c.admitted > 0), 20_000, 'the camera to admit frames');

    expect((await fetch(new URL('/metrics', t.url))).status).toBe(401);
    expect((await fetch(new URL('/metrics', t.url), { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const res = await fetch(new URL('/metrics', t.url), { headers: { authorization: 'Bearer metrics-token-for-tests-0123456789' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('trinetra_pipeline_frames_admitted_total');
    expect(text).not.toContain(cameraId);
    expect(text).not.toContain(tenantId);
    expect(text).not.toContain('camera_id');
    await gql(t.url, `mutation($id: ID!) { stopCamera(id: $id) { id } }`, { id: cameraId }, token);
  });

  it('sends CSP, nosniff, referrer and frame headers on API responses and a CSP that lets the IDE load', async () => {
    const api = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
    expect(api.headers.get('x-frame-options')).toBe('DENY');
    for (const path of ['/healthz', '/nope']) {
      const res = await fetch(new URL(path, t.url));
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const ide = await fetch(t.url, { headers: { accept: 'text/html' } });
    const csp = ide.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(ide.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
