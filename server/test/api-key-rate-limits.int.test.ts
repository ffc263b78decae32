import { randomUUID } from 'node:crypto';
import { freshLoopbackAddress, postFrom, runOverWs, wsClientFrom, type RawResponse, type WsOutcome } from './support/client-address';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

// Real server, Postgres and Redis on a shared, busy machine: generous timeouts, no wall-clock assertions.
jest.setTimeout(120_000);

const ME = `{ me { kind } }`;
type GraphQLBody = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

function errorOf(outcome: WsOutcome): { code: unknown; retryAfterMs: unknown } | null {
  if (outcome.kind === 'closed') return { code: `close:${outcome.code}`, retryAfterMs: undefined };
  const e = outcome.errors?.[0];
  return e ? { code: e.extensions?.['code'], retryAfterMs: e.extensions?.['retryAfterMs'] } : null;
}

function rateHeaders(res: RawResponse): { limit: number; remaining: number; reset: number } {
  return { limit: Number(res.headers['ratelimit-limit']), remaining: Number(res.headers['ratelimit-remaining']), reset: Number(res.headers['ratelimit-reset']) };
}

/**
 * A plan allowing 4 API requests per minute per key and a tenant multiplier of 3 (12 for the
 * tenant): each key is stopped at 4 over HTTP and graphql-ws alike, other keys of the tenant go
 * on until the tenant's 12, and every HTTP answer carries the RateLimit-* headers.
 */
describe('rate limits per API key and per tenant, over HTTP and graphql-ws', () => {
  let t: TestApp;
  let userToken: string;
  let keyA: string;
  let keyB: string;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_TENANT_MULTIPLIER: '3' });
    const admin = await signUpTenant(t.url, 'Limited');
    userToken = admin.accessToken;
    // The plan is set before the tenant's first authenticated request: the server caches it a minute.
    const user = await t.app.db.user.findFirstOrThrow({ where: { email: admin.email } });
    const plan = await t.app.db.plan.create({
      data: { code: `rpm4-${randomUUID()}`, name: 'Four a minute', maxCameras: 1, monthlyFrameQuota: 1000n, requestsPerMinute: 4 },
    });
    await t.app.db.tenant.update({ where: { id: user.tenantId }, data: { planId: plan.id } });
    const createKey = async (name: string): Promise<string> => {
      const res = await gql(t.url, `mutation($n: String!) { createApiKey(input: { name: $n, scopes: ["cameras:read"] }) { secret } }`, { n: name }, userToken);
      if (!res.data?.['createApiKey']) throw new Error(JSON.stringify(res.errors));
      return res.data['createApiKey'].secret as string;
    };
    // Two tenant requests so far (one per key created).
    keyA = await createKey('a');
    keyB = await createKey('b');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('stops each key at its plan limit and the tenant at its own, with headers, Retry-After and retryAfterMs', async () => {
    const address = freshLoopbackAddress();

    // Key A over HTTP: 4 answered, each with its standing against the key's limit (the tighter one).
    const answered: RawResponse[] = [];
    for (let i = 0; i < 4; i += 1) answered.push(await postFrom(address, t.url, { query: ME }, keyA));
    for (const res of answered) {
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as GraphQLBody).errors).toBeUndefined();
    }
    expect(answered.map((r) => rateHeaders(r).limit)).toEqual([4, 4, 4, 4]);
    expect(answered.map((r) => rateHeaders(r).remaining)).toEqual([3, 2, 1, 0]);
    for (const res of answered) expect(rateHeaders(res).reset).toBeGreaterThan(0);

    const refused = await postFrom(address, t.url, { query: ME }, keyA);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(rateHeaders(refused)).toMatchObject({ limit: 4, remaining: 0 });
    expect(rateHeaders(refused).reset).toBe(Number(refused.headers['retry-after']));
    const refusal = (JSON.parse(refused.body) as GraphQLBody).errors![0]!;
    expect(refusal.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
    expect(refusal.extensions!['retryAfterMs'] as number).toBeGreaterThan(0);
    expect(refusal.message).toMatch(/API key rate limit of 4/);

    // Key A over graphql-ws from another address: the same key counter refuses the socket.
    const socketA = wsClientFrom(freshLoopbackAddress(), t.wsUrl, keyA);
    const overWsA = await runOverWs(socketA, ME);
    await socketA.dispose();
    expect(['close:4429', 'RATE_LIMITED']).toContain(errorOf(overWsA)?.code);

    // Key B over graphql-ws: the connection and every operation count; 1 + 3 fit in 4, the next is refused.
    const socketB = wsClientFrom(freshLoopbackAddress(), t.wsUrl, keyB);
    const outcomes: WsOutcome[] = [];
    for (let i = 0; i < 4; i += 1) outcomes.push(await runOverWs(socketB, ME));
    await socketB.dispose();
    expect(outcomes.slice(0, 3).map((o) => o.kind)).toEqual(['result', 'result', 'result']);
    expect(outcomes.slice(0, 3).every((o) => errorOf(o) === null)).toBe(true);
    const wsRefusal = errorOf(outcomes[3]!);
    expect(wsRefusal?.code).toBe('RATE_LIMITED');
    expect(wsRefusal?.retryAfterMs).toEqual(expect.any(Number));
    expect(wsRefusal?.retryAfterMs as number).toBeGreaterThan(0);

    // The tenant: 2 (key creation) + 4 (A) + 4 (B) = 10 of 12; a user has 2 more, then the tenant's limit refuses.
    const user1 = await postFrom(address, t.url, { query: ME }, userToken);
    expect(user1.status).toBe(200);
    expect(rateHeaders(user1)).toMatchObject({ limit: 12, remaining: 1 });
    expect((await postFrom(address, t.url, { query: ME }, userToken)).status).toBe(200);
    const tenantRefused = await postFrom(address, t.url, { query: ME }, userToken);
    expect(tenantRefused.status).toBe(429);
    expect(rateHeaders(tenantRefused)).toMatchObject({ limit: 12, remaining: 0 });
    expect((JSON.parse(tenantRefused.body) as GraphQLBody).errors![0]!.message).toMatch(/^rate limit of 12/);
  });

  it('sends the RateLimit-* headers on anonymous answers too (per-address limit)', async () => {
    const res = await postFrom(freshLoopbackAddress(), t.url, { query: `{ __typename }` });
    expect(res.status).toBe(200);
    expect(rateHeaders(res)).toMatchObject({ limit: t.config.RATE_LIMIT_ANON_PER_MIN, remaining: t.config.RATE_LIMIT_ANON_PER_MIN - 1 });
  });

  it('lets a dashboard page (an allowed origin) read the rate-limit headers', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: `{ __typename }` }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim());
    expect(exposed).toEqual(expect.arrayContaining(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']));
    expect(Number(res.headers.get('ratelimit-limit'))).toBe(t.config.RATE_LIMIT_ANON_PER_MIN);
  });
});
