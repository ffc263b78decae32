import type { Principal } from '@trinetra/shared';
import { AuthError, AuthErrorCode } from './auth.errors';
import { bearerCredentialOf, type AuthService, type CredentialRevocation, type LiveAuthentication } from './auth.service';

/** Why a live connection's credential stopped: revoked (key, sign-out, reuse) or past its expiry. */
export type LiveSessionEnd = 'revoked' | 'expired';

/** One open connection's credential, watched until the connection closes. */
export interface LiveSession {
  readonly principal: Principal;
  /** Expiry of the current credential, epoch ms; null for API keys. */
  readonly expiresAt: number | null;
  /**
   * Re-authentication: replaces the credential by a fresh one (`Bearer <token>`) of the same
   * principal (same tenant, same user or key), moving the expiry. Throws an AuthError when the
   * credential is invalid or belongs to someone else; the caller closes the connection then.
   */
  renew(authorization: string): Promise<LiveAuthentication>;
  /** Stops watching; call when the connection closes. */
  dispose(): void;
}

/** setTimeout's upper bound (about 24.8 days); longer expiries are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The credentials behind open sockets (graphql-ws and `/ingest`). A socket authenticates once,
 * at connect; this registry ends it when that credential stops being valid: at once when it is
 * revoked in any server process (revocations reach every process through AuthService's
 * broadcast), and at the access token's expiry unless the client re-authenticated in time.
 * Transports map the end to their close code (graphql-ws 4403, `/ingest` 4401).
 */
export class LiveSessionRegistry {
  /** Open sessions by revocable credential: `apiKey:<id>` or `session:<family id>`. */
  private readonly byCredential = new Map<string, Set<Watch>>();

  constructor(
    private readonly auth: Pick<AuthService, 'authenticateLive' | 'onRevocation'>,
    private readonly now: () => number = Date.now,
  ) {
    auth.onRevocation((revocation) => this.revoked(revocation));
  }

  /** Number of watched connections. */
  get size(): number {
    let n = 0;
    for (const set of this.byCredential.values()) n += set.size;
    return n;
  }

  /**
   * Authenticates `authorization` (`Bearer <token | key>`) and watches it; `onEnd` is called
   * once, when the credential is revoked or expires. Throws an AuthError for a bad credential.
   */
  async open(authorization: string, onEnd: (end: LiveSessionEnd, reason: string) => void): Promise<LiveSession> {
    const authentication = await this.auth.authenticateLive(bearerCredentialOf(authorization));
    const watch = new Watch(
      authentication,
      onEnd,
      this.now,
      (w, previousKey) => this.index(w, previousKey),
      (renewal) => this.auth.authenticateLive(bearerCredentialOf(renewal)),
    );
    this.index(watch, null);
    watch.arm();
    return watch;
  }

  private index(watch: Watch, previousKey: string | null): void {
    if (previousKey !== null) {
      const set = this.byCredential.get(previousKey);
      set?.delete(watch);
      if (set?.size === 0) this.byCredential.delete(previousKey);
    }
    const key = watch.disposed ? null : keyOf(watch.authentication);
    if (key === null) return;
    let set = this.byCredential.get(key);
    if (!set) this.byCredential.set(key, (set = new Set()));
    set.add(watch);
  }

  private revoked(revocation: CredentialRevocation): void {
    const key = revocation.kind === 'apiKey' ? `apiKey:${revocation.id}` : `session:${revocation.familyId}`;
    const watches = this.byCredential.get(key);
    if (!watches) return;
    const reason = revocation.kind === 'apiKey' ? 'the API key was revoked' : 'the sign-in was ended (signed out, or its refresh token was reused)';
    for (const watch of [...watches]) watch.end('revoked', reason);
  }
}

function keyOf(authentication: LiveAuthentication): string | null {
  const { credential } = authentication;
  if (credential.kind === 'apiKey') return `apiKey:${credential.id}`;
  return credential.familyId === null ? null : `session:${credential.familyId}`;
}

class Watch implements LiveSession {
  disposed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    public authentication: LiveAuthentication,
    private readonly onEnd: (end: LiveSessionEnd, reason: string) => void,
    private readonly now: () => number,
    private readonly reindex: (watch: Watch, previousKey: string | null) => void,
    private readonly authenticate: (authorization: string) => Promise<LiveAuthentication>,
  ) {}

  get principal(): Principal {
    return this.authentication.principal;
  }

  get expiresAt(): number | null {
    return this.authentication.expiresAt;
  }

  async renew(authorization: string): Promise<LiveAuthentication> {
    const fresh = await this.authenticate(authorization);
    const current = this.authentication.principal;
    if (fresh.principal.kind !== current.kind || fresh.principal.id !== current.id || fresh.principal.tenantId !== current.tenantId) {
      throw new AuthError(AuthErrorCode.TOKEN_INVALID, 're-authentication must use a credential of the same user or key');
    }
    if (this.disposed) return fresh;
    const previousKey = keyOf(this.authentication);
    this.authentication = fresh;
    this.reindex(this, previousKey);
    this.arm();
    return fresh;
  }

  arm(): void {
    clearTimeout(this.timer);
    const expiresAt = this.authentication.expiresAt;
    if (expiresAt === null || this.disposed) return;
    const delay = expiresAt - this.now();
    if (delay <= 0) {
      this.end('expired', 'the access token expired; re-authenticate before expiry or reconnect with a fresh token');
      return;
    }
    this.timer = setTimeout(() => this.arm(), Math.min(delay, MAX_TIMER_MS));
    this.timer.unref();
  }

  end(end: LiveSessionEnd, reason: string): void {
    if (this.disposed) return;
    this.dispose();
    this.onEnd(end, reason);
  }

  dispose(): void {
    if (this.disposed) return;
    const key = keyOf(this.authentication);
    this.disposed = true;
    clearTimeout(this.timer);
    this.reindex(this, key);
  }
}
