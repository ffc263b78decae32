/**
 * The browser session: a token pair persisted in localStorage so it survives a reload, with
 * access-token refresh that is single-flight (one refresh at a time per browser, across tabs
 * through the Web Locks API where present) because refresh tokens rotate and a reused one
 * revokes the whole family on the server.
 *
 * Framework-free: React binds to it through `subscribe` / `getSnapshot`.
 */
import type { TokenPair } from './graphql';

/** What the UI sees of the session. */
export type SessionSnapshot =
  | { readonly status: 'loading' }
  /** `explicit`: the user signed out (as opposed to never signed in, or a session that ended). */
  | { readonly status: 'signedOut'; readonly explicit: boolean }
  | { readonly status: 'signedIn'; readonly tokens: TokenPair };

/** The outcome of asking the server for a new token pair. */
export type RefreshOutcome =
  | { readonly kind: 'refreshed'; readonly tokens: TokenPair }
  /** The server refused the refresh token: the session is over. */
  | { readonly kind: 'rejected' }
  /** The server could not be reached: keep the session, try again later. */
  | { readonly kind: 'unreachable' };

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Exchanges a refresh token for a new pair. */
  readonly refresh: (refreshToken: string) => Promise<RefreshOutcome>;
  /** Where the pair is kept. Default: `window.localStorage` (absent on the server). */
  readonly storage?: Storage | null;
  /** localStorage key. Default `trinetra.session`. */
  readonly storageKey?: string;
  /**
   * Refresh this long before the access token's `exp`. Default 30 s: large enough to cover
   * clock skew and a slow request, small enough not to refresh needlessly.
   */
  readonly refreshSkewMs?: number;
  /** Wall clock in ms. Default `Date.now`. */
  readonly now?: () => number;
}

const SIGNED_OUT: SessionSnapshot = { status: 'signedOut', explicit: false };
const SIGNED_OUT_EXPLICITLY: SessionSnapshot = { status: 'signedOut', explicit: true };
const LOADING: SessionSnapshot = { status: 'loading' };

/** Reads `exp` (seconds) from a JWT without verifying it; null for opaque tokens (API keys). */
export function accessTokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(json);
    if (typeof claims === 'object' && claims !== null && 'exp' in claims && typeof claims.exp === 'number') {
      return claims.exp * 1000;
    }
  } catch {
    return null;
  }
  return null;
}

function parseStored(raw: string | null): TokenPair | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' && value !== null &&
      'accessToken' in value && typeof value.accessToken === 'string' &&
      'refreshToken' in value && typeof value.refreshToken === 'string'
    ) {
      return { accessToken: value.accessToken, refreshToken: value.refreshToken };
    }
  } catch {
    return null;
  }
  return null;
}

export class SessionStore {
  private snapshot: SessionSnapshot = LOADING;
  private readonly listeners = new Set<() => void>();
  private inFlightRefresh: Promise<string | null> | null = null;
  private readonly storage: Storage | null;
  private readonly storageKey: string;
  private readonly refreshSkewMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.storage = options.storage !== undefined
      ? options.storage
      : typeof window === 'undefined' ? null : window.localStorage;
    this.storageKey = options.storageKey ?? 'trinetra.session';
    this.refreshSkewMs = options.refreshSkewMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Loads the persisted pair; call once in the browser. */
  load(): void {
    this.setTokens(parseStored(this.storage?.getItem(this.storageKey) ?? null), false);
  }

  /** Another tab changed the stored session: follow it. */
  handleStorageEvent(key: string | null): void {
    if (key === null || key === this.storageKey) this.load();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Starts a session with a pair from signUp / signIn. */
  signIn(tokens: TokenPair): void {
    this.setTokens(tokens, true);
  }

  /** Ends the session at the user's request. */
  signOut(): void {
    this.setTokens(null, true, true);
  }

  /** The current access token, refreshed first when it is (nearly) expired; null when signed out. */
  async getValidAccessToken(): Promise<string | null> {
    const tokens = this.tokens();
    if (!tokens) return null;
    const exp = accessTokenExpiry(tokens.accessToken);
    if (exp === null || exp - this.refreshSkewMs > this.now()) return tokens.accessToken;
    return this.refreshNow();
  }

  /**
   * Refreshes now (the server said the access token is no longer good). Returns the new access
   * token, the old one when the server is unreachable, or null when the session ended.
   */
  refreshNow(): Promise<string | null> {
    this.inFlightRefresh ??= this.refreshExclusively().finally(() => {
      this.inFlightRefresh = null;
    });
    return this.inFlightRefresh;
  }

  private async refreshExclusively(): Promise<string | null> {
    const staleRefreshToken = this.tokens()?.refreshToken;
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const run = () => this.refreshOnce(staleRefreshToken);
    return locks ? locks.request('trinetra.session.refresh', run) : run();
  }

  private async refreshOnce(staleRefreshToken: string | undefined): Promise<string | null> {
    // Another tab may have rotated the pair while we waited for the lock.
    const stored = parseStored(this.storage?.getItem(this.storageKey) ?? null);
    if (stored && stored.refreshToken !== staleRefreshToken) {
      this.setTokens(stored, false);
      return stored.accessToken;
    }
    const current = this.tokens();
    if (!current) return null;
    const outcome = await this.options.refresh(current.refreshToken);
    switch (outcome.kind) {
      case 'refreshed':
        this.setTokens(outcome.tokens, true);
        return outcome.tokens.accessToken;
      case 'rejected':
        this.setTokens(null, true);
        return null;
      case 'unreachable':
        return current.accessToken;
    }
  }

  private tokens(): TokenPair | null {
    return this.snapshot.status === 'signedIn' ? this.snapshot.tokens : null;
  }

  private setTokens(tokens: TokenPair | null, persist: boolean, explicit = false): void {
    if (persist && this.storage) {
      if (tokens) this.storage.setItem(this.storageKey, JSON.stringify(tokens));
      else this.storage.removeItem(this.storageKey);
    }
    const current = this.tokens();
    if (tokens && current && tokens.accessToken === current.accessToken && tokens.refreshToken === current.refreshToken) return;
    if (!tokens && this.snapshot.status === 'signedOut' && this.snapshot.explicit === explicit) return;
    this.snapshot = tokens ? { status: 'signedIn', tokens } : explicit ? SIGNED_OUT_EXPLICITLY : SIGNED_OUT;
    for (const listener of this.listeners) listener();
  }
}
