import { accessTokenExpiry, SessionStore, type RefreshOutcome } from './session-store';

function jwt(expSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ sub: 'u', exp: expSeconds })).toString('base64url');
  return `h.${payload}.s`;
}

function storeWith(options: { now: number; refresh?: () => Promise<RefreshOutcome> }) {
  const refresh = jest.fn(options.refresh ?? (async () => ({ kind: 'rejected' as const })));
  const endSession = jest.fn(async () => undefined);
  const store = new SessionStore({ refresh, endSession, now: () => options.now, refreshSkewMs: 30_000 });
  return { store, refresh, endSession };
}

describe('accessTokenExpiry', () => {
  it.each([
    { token: jwt(100), expected: 100_000 },
    { token: 'trk_opaque_api_key', expected: null },
    { token: 'a.!!!.b', expected: null },
  ])('reads $token', ({ token, expected }) => {
    expect(accessTokenExpiry(token)).toBe(expected);
  });
});

describe('SessionStore', () => {
  it.each([
    { name: 'a valid refresh cookie restores the session', outcome: { kind: 'refreshed', accessToken: 'a1' }, expected: { status: 'signedIn', accessToken: 'a1' } },
    { name: 'no or a refused cookie: signed out', outcome: { kind: 'rejected' }, expected: { status: 'signedOut', explicit: false } },
    { name: 'an unreachable server: signed out (nothing to keep)', outcome: { kind: 'unreachable' }, expected: { status: 'signedOut', explicit: false } },
  ] as const)('load: $name', async ({ outcome, expected }) => {
    const { store } = storeWith({ now: 0, refresh: async () => outcome });
    await store.load();
    expect(store.getSnapshot()).toEqual(expected);
  });

  it.each([
    { name: 'a fresh token is used as is', exp: 1000, outcome: null, expected: 'old', calls: 0, status: 'signedIn' },
    { name: 'a nearly expired token is refreshed', exp: 20, outcome: { kind: 'refreshed', accessToken: 'new' }, expected: 'new', calls: 1, status: 'signedIn' },
    { name: 'a rejected refresh ends the session', exp: 20, outcome: { kind: 'rejected' }, expected: null, calls: 1, status: 'signedOut' },
    { name: 'an unreachable server keeps the session', exp: 20, outcome: { kind: 'unreachable' }, expected: 'old', calls: 1, status: 'signedIn' },
  ] as const)('$name', async ({ exp, outcome, expected, calls, status }) => {
    const access = jwt(exp);
    const { store, refresh } = storeWith({ now: 0, refresh: async () => outcome ?? { kind: 'rejected' } });
    store.signIn({ accessToken: access });
    const token = await store.getValidAccessToken();
    expect(token === access ? 'old' : token).toBe(expected);
    expect(refresh).toHaveBeenCalledTimes(calls);
    expect(store.getSnapshot().status).toBe(status);
  });

  it('refreshes once for concurrent callers (refresh cookies rotate)', async () => {
    let release: (o: RefreshOutcome) => void = () => undefined;
    const { store, refresh } = storeWith({ now: 0, refresh: () => new Promise((resolve) => { release = resolve; }) });
    store.signIn({ accessToken: jwt(1) });
    const all = Promise.all([store.getValidAccessToken(), store.getValidAccessToken(), store.refreshNow(), store.load()]);
    await Promise.resolve();
    release({ kind: 'refreshed', accessToken: 'new' });
    expect(await all).toEqual(['new', 'new', 'new', undefined]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('says when the access token is due for renewal', () => {
    const { store } = storeWith({ now: 0 });
    expect(store.renewalDueAt()).toBeNull();
    store.signIn({ accessToken: jwt(100) });
    expect(store.renewalDueAt()).toBe(70_000);
  });

  it('signs out here and on the server, notifies listeners, and ignores a refresh that lands afterwards', async () => {
    let release: (o: RefreshOutcome) => void = () => undefined;
    const { store, endSession } = storeWith({ now: 0, refresh: () => new Promise((resolve) => { release = resolve; }) });
    const listener = jest.fn();
    store.subscribe(listener);
    store.signIn({ accessToken: 'a' });
    const refreshing = store.refreshNow();
    store.signOut();
    release({ kind: 'refreshed', accessToken: 'late' });
    expect(await refreshing).toBeNull();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(endSession).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toEqual({ status: 'signedOut', explicit: true });
  });
});
