/**
 * The browser session. The access token lives in memory only; the refresh token is an httpOnly
 * SameSite=Strict cookie the API sets (server/auth/session-cookie.ts), so no page script, and
 * no injected one, can read either from storage. A reload restores the session by asking the
 * API for a fresh access token with that cookie.
 *
 * Refresh is single-flight (one at a time per browser, across tabs through the Web Locks API
 * where present) because refresh tokens rotate and a reused one revokes the whole sign-in.
 *
 * Framework-free: React binds to it through `subscribe` / `getSnapshot`.
 */

/** What the UI sees of the session. */
export type SessionSnapshot =
  | { readonly status: 'loading' }
  /** `explicit`: the user signed out (as opposed to never signed in, or a session that ended). */
  | { readonly status: 'signedOut'; readonly explicit: boolean }
  | { readonly status: 'signedIn'; readonly accessToken: string };

/** The outcome of asking the server for a new access token (with the refresh cookie). */
export type RefreshOutcome =
  | { readonly kind: 'refreshed'; readonly accessToken: string }
  /** The server refused the refresh cookie (or there is none): the session is over. */
  | { readonly kind: 'rejected' }
  /** The server could not be reached: keep the session, try again later. */
  | { readonly kind: 'unreachable' };

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Exchanges the refresh cookie for a new access token (the cookie rotates). */
  readonly refresh: () => Promise<RefreshOutcome>;
  /** Ends the sign-in on the server (revokes the refresh cookie's family, clears the cookie). */
  readonly endSession?: () => Promise<void>;
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

export class SessionStore {
  private snapshot: SessionSnapshot = LOADING;
  private readonly listeners = new Set<() => void>();
  private inFlightRefresh: Promise<string | null> | null = null;
  private readonly refreshSkewMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.refreshSkewMs = options.refreshSkewMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Restores the session from the refresh cookie; call once in the browser. */
  async load(): Promise<void> {
    const token = await this.refreshNow();
    if (token === null && this.snapshot.status === 'loading') this.set(SIGNED_OUT);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Starts a session with the access token from signUp / signIn (the refresh token came as a cookie). */
  signIn(tokens: { readonly accessToken: string }): void {
    this.set({ status: 'signedIn', accessToken: tokens.accessToken });
  }

  /** Ends the session at the user's request, here and on the server (its sockets close too). */
  signOut(): void {
    this.set(SIGNED_OUT_EXPLICITLY);
    void this.options.endSession?.();
  }

  /** The current access token, refreshed first when it is (nearly) expired; null when signed out. */
  async getValidAccessToken(): Promise<string | null> {
    const token = this.accessToken();
    if (!token) return null;
    const exp = accessTokenExpiry(token);
    if (exp === null || exp - this.refreshSkewMs > this.now()) return token;
    return this.refreshNow();
  }

  /** When the current access token should be renewed (epoch ms), or null without one. */
  renewalDueAt(): number | null {
    const token = this.accessToken();
    const exp = token ? accessTokenExpiry(token) : null;
    return exp === null ? null : exp - this.refreshSkewMs;
  }

  /**
   * Refreshes now (the server said the access token is no longer good, or it is due). Returns
   * the new access token, the old one when the server is unreachable, or null when the session ended.
   */
  refreshNow(): Promise<string | null> {
    this.inFlightRefresh ??= this.refreshExclusively().finally(() => {
      this.inFlightRefresh = null;
    });
    return this.inFlightRefresh;
  }

  private async refreshExclusively(): Promise<string | null> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const run = () => this.refreshOnce();
    return locks ? locks.request('trinetra.session.refresh', run) : run();
  }

  private async refreshOnce(): Promise<string | null> {
    if (this.snapshot.status === 'signedOut' && this.snapshot.explicit) return null;
    const outcome = await this.options.refresh();
    switch (outcome.kind) {
      case 'refreshed':
        // A sign-out while the request was in flight wins.
        if (this.snapshot.status === 'signedOut' && this.snapshot.explicit) return null;
        this.set({ status: 'signedIn', accessToken: outcome.accessToken });
        return outcome.accessToken;
      case 'rejected':
        if (this.snapshot.status !== 'signedOut') this.set(SIGNED_OUT);
        return null;
      case 'unreachable':
        if (this.snapshot.status === 'loading') this.set(SIGNED_OUT);
        return this.accessToken();
    }
  }

  private accessToken(): string | null {
    return this.snapshot.status === 'signedIn' ? this.snapshot.accessToken : null;
  }

  private set(next: SessionSnapshot): void {
    const current = this.snapshot;
    if (current.status === next.status) {
      if (current.status === 'signedIn' && next.status === 'signedIn' && current.accessToken === next.accessToken) return;
      if (current.status === 'signedOut' && next.status === 'signedOut' && current.explicit === next.explicit) return;
      if (current.status === 'loading') return;
    }
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}
