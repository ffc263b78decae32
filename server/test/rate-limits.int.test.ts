import { freshLoopbackAddress, postFrom, runOverWs, wsClientFrom, type WsOutcome } from './support/client-address';
import { SIGN_UP, startTestApp, type TestApp } from './support/test-app';

// Real servers on a shared, busy machine: generous timeouts, no wall-clock assertions.
jest.setTimeout(120_000);

const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }`;
const PING = `{ __typename }`;

type GraphQLBody = { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };

function codeOf(outcome: WsOutcome): string | undefined {
  if (outcome.kind === 'closed') return `close:${outcome.code}`;
  return outcome.errors?.[0]?.extensions?.['code'] as string | undefined;
}

describe('rate limits hold on HTTP and graphql-ws alike (the attacks of issue 10, row 6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_ANON_PER_MIN: '5',
      SIGN_IN_FAILURES_PER_ADDRESS: '3',
      SIGN_IN_FAILURES_PER_EMAIL: '3',
      SIGN_UP_PER_ADDRESS_PER_HOUR: '2',
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses an anonymous graphql-ws socket that sends query after query, with a retry-after', async () => {
    const client = wsClientFrom(freshLoopbackAddress(), t.wsUrl);
    const outcomes: WsOutcome[] = [];
    for (let i = 0; i < 12; i += 1) outcomes.push(await runOverWs(client, PING));
    await client.dispose();
    expect(outcomes[0]).toMatchObject({ kind: 'result', data: { __typename: 'Query' } });
    const refused = outcomes.find((o) => codeOf(o) === 'RATE_LIMITED');
    expect(refused).toBeDefined();
    const extensions = (refused as { errors: { extensions: Record<string, unknown> }[] }).errors[0]!.extensions;
    expect(extensions['retryAfter']).toEqual(expect.any(Number));
    expect(extensions['retryAfter']).toBeGreaterThan(0);
    expect(extensions['retryAfterMs']).toEqual(expect.any(Number));
    expect(extensions['retryAfterMs']).toBeGreaterThan(0);
  });

  it('refuses over graphql-ws an address already refused over HTTP', async () => {
    const address = freshLoopbackAddress();
    let refusedOverHttp = null;
    for (let i = 0; i < 10 && !refusedOverHttp; i += 1) {
      const res = await postFrom(address, t.url, { query: PING });
      if (res.status === 429) refusedOverHttp = res;
    }
    expect(refusedOverHttp).not.toBeNull();
    expect(Number(refusedOverHttp!.headers['retry-after'])).toBeGreaterThan(0);
    const client = wsClientFrom(address, t.wsUrl);
    const outcome = await runOverWs(client, PING);
    await client.dispose();
    expect(['close:4429', 'RATE_LIMITED']).toContain(codeOf(outcome));
  });

  it('limits failed signIn attempts per address and per e-mail, over HTTP (Retry-After) and graphql-ws', async () => {
    const email = `victim${Date.now()}@limits.test`;
    const signUp = await postFrom(freshLoopbackAddress(), t.url, {
      query: SIGN_UP,
      variables: { input: { tenantName: 'Victim', email, password: 'correct horse battery' } },
    });
    expect((JSON.parse(signUp.body) as GraphQLBody).errors).toBeUndefined();

    // Guessing one account's password from one address: refused after 3 failures, with Retry-After.
    const attacker = freshLoopbackAddress();
    const codes: (string | undefined)[] = [];
    let refusal = null;
    for (let i = 0; i < 5; i += 1) {
      const res = await postFrom(attacker, t.url, { query: SIGN_IN, variables: { input: { email, password: `guess number ${i}` } } });
      const code = (JSON.parse(res.body) as GraphQLBody).errors?.[0]?.extensions?.['code'] as string | undefined;
      codes.push(code);
      if (code === 'RATE_LIMITED') refusal ??= res;
    }
    expect(codes.slice(0, 3)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(codes.slice(3)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(refusal!.status).toBe(429);
    expect(Number(refusal!.headers['retry-after'])).toBeGreaterThan(0);

    // The same account from another address, over graphql-ws: the e-mail is locked too.
    const elsewhere = wsClientFrom(freshLoopbackAddress(), t.wsUrl);
    const overWs = await runOverWs(elsewhere, SIGN_IN, { input: { email, password: 'yet another guess' } });
    await elsewhere.dispose();
    expect(codeOf(overWs)).toBe('RATE_LIMITED');
    expect((overWs as { errors: { extensions: Record<string, unknown> }[] }).errors[0]!.extensions['retryAfter']).toBeGreaterThan(0);

    // Spraying many accounts from one socket: refused per address.
    const sprayer = wsClientFrom(freshLoopbackAddress(), t.wsUrl);
    const sprayed: (string | undefined)[] = [];
    for (let i = 0; i < 4; i += 1)
      sprayed.push(codeOf(await runOverWs(sprayer, SIGN_IN, { input: { email: `nobody${i}-${Date.now()}@limits.test`, password: 'whatever whatever' } })));
    await sprayer.dispose();
    expect(sprayed).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);

    // Several signIn fields in one operation cannot multiply the attempts.
    const aliased = await postFrom(freshLoopbackAddress(), t.url, {
      query: `mutation { a: signIn(input: { email: "x@limits.test", password: "p1p1p1p1p1" }) { accessToken } b: signIn(input: { email: "y@limits.test", password: "p2p2p2p2p2" }) { accessToken } }`,
    });
    expect((JSON.parse(aliased.body) as GraphQLBody).errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('limits sign-ups per address', async () => {
    const address = freshLoopbackAddress();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await postFrom(address, t.url, {
        query: SIGN_UP,
        variables: { input: { tenantName: `Spam ${i}`, email: `spam${i}-${Date.now()}@limits.test`, password: 'correct horse battery' } },
      });
      codes.push((JSON.parse(res.body) as GraphQLBody).errors?.[0]?.extensions?.['code'] as string | undefined);
    }
    expect(codes).toEqual([undefined, undefined, 'RATE_LIMITED']);
  });
});
