import { accessTokenExpiry, SessionStore, type RefreshOutcome } from './session-store';

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number { return this.items.size; }
  clear(): void { this.items.clear(); }
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  key(index: number): string | null { return [...this.items.keys()][index] ?? null; }
  removeItem(key: string): void { this.items.delete(key); }
  setItem(key: string, value: string): void { this.items.set(key, value); }
}

function jwt(expSeconds: number): string {
  const payload = Buffer.from(JSON.stringify({ sub: 'u', exp: expSeconds })).toString('base64url');
  return `h.${payload}.s`;
}

function storeWith(options: { now: number; refresh?: (token: string) => Promise<RefreshOutcome>; storage?: MemoryStorage }) {
  const storage = options.storage ?? new MemoryStorage();
  const refresh = jest.fn(options.refresh ?? (async () => ({ kind: 'rejected' as const })));
  const store = new SessionStore({ storage, refresh, now: () => options.now, refreshSkewMs: 30_000 });
  store.load();
  return { store, storage, refresh };
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
  it('persists a session across a reload', () => {
    const { store, storage } = storeWith({ now: 0 });
    store.signIn({ accessToken: jwt(1000), refreshToken: 'r1' });
    const reloaded = storeWith({ now: 0, storage }).store;
    expect(reloaded.getSnapshot()).toEqual({ status: 'signedIn', tokens: { accessToken: jwt(1000), refreshToken: 'r1' } });
  });

  it.each([
    { name: 'a fresh token is used as is', exp: 1000, outcome: null, expected: 'old', calls: 0, status: 'signedIn' },
    { name: 'a nearly expired token is refreshed', exp: 20, outcome: { kind: 'refreshed', tokens: { accessToken: 'new', refreshToken: 'r2' } }, expected: 'new', calls: 1, status: 'signedIn' },
    { name: 'a rejected refresh ends the session', exp: 20, outcome: { kind: 'rejected' }, expected: null, calls: 1, status: 'signedOut' },
    { name: 'an unreachable server keeps the session', exp: 20, outcome: { kind: 'unreachable' }, expected: 'old', calls: 1, status: 'signedIn' },
  ] as const)('$name', async ({ exp, outcome, expected, calls, status }) => {
    const access = jwt(exp);
    const { store, refresh } = storeWith({ now: 0, refresh: async () => outcome ?? { kind: 'rejected' } });
    store.signIn({ accessToken: access, refreshToken: 'r1' });
    const token = await store.getValidAccessToken();
    expect(token === access ? 'old' : token).toBe(expected);
    expect(refresh).toHaveBeenCalledTimes(calls);
    expect(store.getSnapshot().status).toBe(status);
  });

  it('refreshes once for concurrent callers (refresh tokens rotate)', async () => {
    let release: (o: RefreshOutcome) => void = () => undefined;
    const { store, refresh } = storeWith({ now: 0, refresh: () => new Promise((resolve) => { release = resolve; }) });
    store.signIn({ accessToken: jwt(1), refreshToken: 'r1' });
    const all = Promise.all([store.getValidAccessToken(), store.getValidAccessToken(), store.refreshNow()]);
    await Promise.resolve();
    release({ kind: 'refreshed', tokens: { accessToken: 'new', refreshToken: 'r2' } });
    expect(await all).toEqual(['new', 'new', 'new']);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('adopts a pair another tab already rotated instead of reusing the old refresh token', async () => {
    const { store, storage, refresh } = storeWith({ now: 0 });
    store.signIn({ accessToken: jwt(1), refreshToken: 'r1' });
    storage.setItem('trinetra.session', JSON.stringify({ accessToken: 'tab2', refreshToken: 'r2' }));
    expect(await store.refreshNow()).toBe('tab2');
    expect(refresh).not.toHaveBeenCalled();
  });

  it('notifies listeners on sign-in and sign-out and clears storage', () => {
    const { store, storage } = storeWith({ now: 0 });
    const listener = jest.fn();
    store.subscribe(listener);
    store.signIn({ accessToken: 'a', refreshToken: 'r' });
    store.signOut();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(storage.getItem('trinetra.session')).toBeNull();
  });
});
