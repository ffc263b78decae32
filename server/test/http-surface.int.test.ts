import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';

/** Depth 4: cameras > edges > node > id. */
const DEPTH_4 = `{ cameras(first: 1) { edges { node { id } } } }`;

describe('HTTP surface: limits, malformed input, IDE, health and metrics', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ QUERY_MAX_COST: '500', BODY_LIMIT_BYTES: '20000' });
    token = (await signUpTenant(t.url, 'Limits')).accessToken;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('runs queries within the limits, fragments counted, and a type-reference chain in introspection', async () => {
    const res = await gql(t.url, `{ me { tenant { id } } cameras(first: 1) { edges { node { id } } } }`, {}, token);
    expect(res.errors).toBeUndefined();
    // Depth counts fragments, nesting and introspection; only `ofType` chains of a type reference are free.
    const deep = await gql(t.url, `{ me { ...A } } fragment A on Me { tenant { id } user { id } }`, {}, token);
    expect(deep.errors).toBeUndefined();
    const tooDeep = await gql(t.url, `{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`, {}, token);
    expect(tooDeep.errors).toBeUndefined();
  });

  it('asks which operation to run when several are sent', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `query A { me { kind } } query B { me { kind } }` }),
    });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers QUERY_TOO_DEEP and QUERY_TOO_COMPLEX with BAD_USER_INPUT', async () => {
    const shallow = await startTestApp({ QUERY_MAX_DEPTH: '3' }, t.db);
    try {
      expect((await gql(shallow.url, `{ me { tenant { id } } }`, {}, token)).errors).toBeUndefined();
      const tooDeep = await gql(shallow.url, DEPTH_4, {}, token);
      expect(tooDeep.status).toBe(400);
      expect(tooDeep.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP', depth: 4, limit: 3 });
      const ws = wsClient(shallow.wsUrl, token);
      const sub = nextResults(ws, DEPTH_4, {}, 1);
      await expect(sub.promise).rejects.toThrow(/QUERY_TOO_DEEP/);
      await ws.dispose();
    } finally {
      await shallow.stop();
    }
    const costly = await gql(t.url, `{ cameras(first: 100) { edges { node { id name tier status purpose } } } }`, {}, token);
    expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX' });
  });

  it.each([
    ['a syntax error', '{ cameras(first: 1) { edges { node { id } }', 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{ cameras(first: 1) { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
  ])('answers %s with BAD_USER_INPUT', async (_name, query, reason) => {
    const res = await gql(t.url, query, {}, token);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
    expect(res.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
  });

  it('answers a bad variable type, non-JSON and an oversized body with typed errors', async () => {
    const badVar = await gql(t.url, `query($n: Int!) { cameras(first: $n) { edges { node { id } } } }`, { n: 'ten' }, token);
    expect(badVar.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const pageTooBig = await gql(t.url, `{ cameras(first: 101) { pageInfo { hasNextPage } } }`, {}, token);
    expect(pageTooBig.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await gql(t.url, `{ cameras(first: 1, after: "garbage") { pageInfo { hasNextPage } } }`, {}, token);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const notJson = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(notJson.status).toBe(400);
    const huge = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ me { kind } }`, pad: 'x'.repeat(30_000) }) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a WebSocket connection with a bad token with close code 4401', async () => {
    const client = wsClient(t.wsUrl, 'not-a-token');
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    const sub = nextResults(client, `subscription { cameraStatusChanged { cameraId } }`, {}, 1);
    await expect(sub.promise).rejects.toBeDefined();
    expect(await closed).toBe(4401);
    await client.dispose();
  });

  it('serves a local GraphQL IDE with its assets (no CDN)', async () => {
    const page = await fetch(t.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i);
    for (const asset of ['graphiql.js', 'graphiql.css', 'react.js', 'react-dom.js', 'graphql-ws.js']) {
      const res = await fetch(new URL(`/ide/${asset}`, t.url));
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it('reports health, readiness and Prometheus metrics', async () => {
    expect((await fetch(new URL('/healthz', t.url))).status).toBe(200);
    const ready = await fetch(new URL('/readyz', t.url));
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } });
    const metrics = await (await fetch(new URL('/metrics', t.url))).text();
    expect(metrics).toContain('trinetra_http_request_duration_seconds');
    expect(metrics).toContain('trinetra_graphql_errors_total');
  });

  it('allows configured CORS origins only', async () => {
    const ok = await fetch(t.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const evil = await fetch(t.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('fails to start on a port that is taken, with the cause', async () => {
    await expect(startTestApp({ PORT: String(t.app.http.port) }, t.db)).rejects.toThrow(/EADDRINUSE/);
  });
});
