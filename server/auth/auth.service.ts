import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { InvalidInputError, NotFoundError, type Principal, type Scope, SCOPES } from '@trinetra/shared';
import type { SystemDb, TenantDbFactory } from '@trinetra/db';
import { AccessTokenService } from './access-token';
import { ApiKeyCache } from './api-key-cache';
import { AuthError, AuthErrorCode } from './auth.errors';
import { randomToken, safeEqualHex, sha256 } from './secrets';
import { type Role, ROLE_SCOPES } from './roles';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AuthServiceOptions {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Plan given to tenants created by sign-up. */
  defaultPlanCode: string;
}

/**
 * A credential that stopped being valid before its natural end: an API key revoked, or a
 * sign-in (refresh-token family) ended by sign-out or by reuse detection. Carried to every
 * server process, which drops cached keys and closes the sockets the credential opened.
 */
export type CredentialRevocation = { kind: 'apiKey'; id: string; prefix: string } | { kind: 'session'; familyId: string };

/** Tells every server process that a credential was revoked (Redis pub/sub in production). */
export interface CredentialRevocationBroadcast {
  publish(revocation: CredentialRevocation): void;
}

/** What a long-lived connection needs to know about its credential. */
export interface LiveAuthentication {
  principal: Principal;
  /** The revocable thing behind the credential: the API key, or the sign-in's refresh family. */
  credential: { kind: 'apiKey'; id: string } | { kind: 'session'; userId: string; familyId: string | null };
  /** When the credential expires, epoch ms; null when it does not (API keys). */
  expiresAt: number | null;
}

/** An API key's `lastUsedAt` is written at most this often (per process and, by the guarded update, overall). */
const LAST_USED_RESOLUTION_MS = 60_000;

const API_KEY_PREFIX = 'trk_';

/**
 * Sign-up, sign-in, refresh-token rotation with reuse detection, API keys, and turning a
 * bearer credential into a Principal: the single auth path for HTTP and WebSocket.
 */
export class AuthService {
  private readonly apiKeys = new ApiKeyCache();
  private revocations: CredentialRevocationBroadcast | null = null;
  private readonly revocationListeners = new Set<(revocation: CredentialRevocation) => void>();
  /**
   * Signed-out sign-ins (refresh families), until their last access token expires: access
   * tokens are stateless, so without this a signed-out token would work until its `exp`.
   */
  private readonly endedSessions = new Map<string, number>();
  /** When this process last wrote each API key's `lastUsedAt`. */
  private readonly lastUseWritten = new Map<string, number>();

  /** A real hash verified when the e-mail is unknown, so timing does not reveal accounts. */
  private readonly dummyHash = argon2.hash(randomToken(16), { type: argon2.argon2id });

  /** Lifetime of refresh tokens, seconds (the session cookie's Max-Age). */
  get refreshTokenTtlSeconds(): number {
    return this.options.refreshTokenTtlSeconds;
  }

  constructor(
    private readonly db: SystemDb,
    private readonly tenantDb: TenantDbFactory,
    private readonly accessTokens: AccessTokenService,
    private readonly options: AuthServiceOptions,
  ) {}

  /**
   * Creates a tenant and its admin, and signs them in; never reveals whether the e-mail is
   * registered (docs: SECURITY.md, "Sign-up"). Every call costs one argon2 hash and one argon2
   * verification, and answers with a session:
   *
   * - a new e-mail: a new tenant whose admin signs in with it from now on;
   * - a registered e-mail with that account's password: the owner signed up twice, so they are
   *   signed in to their existing account;
   * - a registered e-mail with another password: a new tenant as for a new e-mail, whose admin
   *   is *unclaimed*: stored under a unique placeholder login, shown with the e-mail asked for,
   *   usable through this session only (no password sign-in). The caller cannot tell it apart
   *   from a new account, and the registered account is untouched.
   */
  async signUp(input: { tenantName: string; email: string; password: string }): Promise<TokenPair> {
    const email = normalizeEmail(input.email);
    const plan = await this.db.plan.findUnique({ where: { code: this.options.defaultPlanCode } });
    if (!plan) throw new Error(`plan ${this.options.defaultPlanCode} missing: seed the database`);
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    const existing = await this.db.user.findUnique({ where: { email } });
    const owner = await argon2.verify(existing?.passwordHash ?? (await this.dummyHash), input.password).catch(() => false);
    if (existing && owner) return this.issue(existing.id, existing.tenantId, [...ROLE_SCOPES[existing.role]], randomUUID());
    const create = (login: string) =>
      this.db.$transaction(async (tx) => {
        const tenant = await tx.tenant.create({ data: { id: randomUUID(), name: input.tenantName.trim(), planId: plan.id } });
        return tx.user.create({ data: { id: randomUUID(), tenantId: tenant.id, email: login, passwordHash, role: 'OWNER' } });
      });
    let user;
    try {
      user = await create(existing ? unclaimedLogin(email) : email);
    } catch (error) {
      // Registered between the lookup and the insert: the same answer as when it was found.
      if (!isUniqueViolation(error)) throw error;
      user = await create(unclaimedLogin(email));
    }
    return this.issue(user.id, user.tenantId, [...ROLE_SCOPES[user.role]], randomUUID());
  }

  async signIn(input: { email: string; password: string }): Promise<TokenPair> {
    const user = await this.db.user.findUnique({ where: { email: normalizeEmail(input.email) } });
    const ok = await argon2.verify(user?.passwordHash ?? (await this.dummyHash), input.password).catch(() => false);
    if (!user || !ok) throw new AuthError(AuthErrorCode.INVALID_CREDENTIALS, 'wrong e-mail or password');
    return this.issue(user.id, user.tenantId, [...ROLE_SCOPES[user.role]], randomUUID());
  }

  /**
   * Rotates a refresh token: the presented one is marked used and a new one of the same
   * family is issued. Presenting an already-used token means it leaked: the whole family is
   * revoked, so both the thief and the victim must sign in again.
   */
  async refresh(refreshToken: string, now = new Date()): Promise<TokenPair> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: sha256(refreshToken) }, include: { user: true } });
    if (!row || row.revokedAt) throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'refresh token is invalid');
    if (row.expiresAt <= now) throw new AuthError(AuthErrorCode.TOKEN_EXPIRED, 'refresh token expired; sign in again');
    const claimed = await this.db.refreshToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0) {
      await this.endSession(row.familyId, now);
      throw new AuthError(AuthErrorCode.REFRESH_TOKEN_REUSED, 'refresh token was already used; all sessions of this sign-in are revoked');
    }
    return this.issue(row.userId, row.tenantId, [...ROLE_SCOPES[row.user.role]], row.familyId);
  }

  /** Signs in a user who just proved who they are another way (an accepted invite). */
  signInUser(user: { id: string; tenantId: string; role: Role }): Promise<TokenPair> {
    return this.issue(user.id, user.tenantId, [...ROLE_SCOPES[user.role]], randomUUID());
  }

  /**
   * Ends every sign-in of a user (their role changed or they were removed): refresh tokens
   * revoked, access tokens refused and sockets closed on every process, so the old role's
   * scopes stop working now and not at access-token expiry.
   */
  async endSessionsOfUser(userId: string, now = new Date()): Promise<void> {
    const families = await this.db.refreshToken.findMany({ where: { userId }, select: { familyId: true }, distinct: ['familyId'] });
    await this.endSessions(
      families.map((f) => f.familyId),
      now,
    );
  }

  /** Ends the given sign-ins (refresh families), e.g. of a user whose rows were just deleted. */
  async endSessions(familyIds: readonly string[], now = new Date()): Promise<void> {
    for (const familyId of familyIds) await this.endSession(familyId, now);
  }

  /**
   * Ends the sign-in a refresh token belongs to: its family is revoked, its access tokens stop
   * working and its sockets close, on every server process. Answers the same whether or not the
   * token was valid, so it cannot be used to test tokens.
   */
  async signOut(refreshToken: string, now = new Date()): Promise<void> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: sha256(refreshToken) } });
    if (row) await this.endSession(row.familyId, now);
  }

  async createApiKey(principal: Principal, name: string, scopes: readonly string[]): Promise<{ apiKey: ApiKeyView; secret: string }> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 100) throw new InvalidInputError('name must be 1 to 100 characters', { field: 'name' });
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0 || scopes.length === 0) {
      throw new InvalidInputError(`scopes must be a non-empty subset of ${SCOPES.join(', ')}`, { field: 'scopes', unknown });
    }
    // A key can never hold more than its creator.
    const beyond = scopes.filter((s) => !principal.scopes.has('admin') && !principal.scopes.has(s as Scope));
    if (beyond.length > 0) throw new AuthError(AuthErrorCode.MISSING_SCOPE, `cannot grant scopes you do not hold: ${beyond.join(', ')}`);
    const prefix = API_KEY_PREFIX + randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const secret = `${prefix}_${randomToken(32)}`;
    const row = await this.tenantDb(principal.tenantId).apiKey.create({
      data: { id: randomUUID(), tenantId: principal.tenantId, name: trimmed, prefix, secretHash: sha256(secret), scopes: [...new Set(scopes)] },
    });
    return { apiKey: toApiKeyView(row), secret };
  }

  async revokeApiKey(principal: Principal, id: string): Promise<ApiKeyView> {
    const db = this.tenantDb(principal.tenantId);
    const found = await db.apiKey.findUnique({ where: { id } });
    if (!found) throw new NotFoundError('ApiKey', id);
    const revoked = await db.apiKey.update({ where: { id }, data: { revokedAt: found.revokedAt ?? new Date() } });
    this.revoke({ kind: 'apiKey', id: found.id, prefix: found.prefix });
    return toApiKeyView(revoked);
  }

  async listApiKeys(principal: Principal): Promise<ApiKeyView[]> {
    const rows = await this.tenantDb(principal.tenantId).apiKey.findMany({ orderBy: { createdAt: 'desc' } });
    return rows.map(toApiKeyView);
  }

  /** The single auth path: `Bearer <access token | API key>` to a Principal, or a typed error. */
  async authenticate(authorization: string | undefined | null): Promise<Principal | null> {
    if (!authorization) return null;
    return (await this.authenticateLive(bearerCredentialOf(authorization))).principal;
  }

  /**
   * The single auth path for a connection that stays open: the principal, the revocable
   * credential behind it and its expiry. Takes the credential without the `Bearer ` prefix.
   */
  async authenticateLive(credential: string): Promise<LiveAuthentication> {
    if (credential.startsWith(API_KEY_PREFIX)) {
      const principal = await this.authenticateApiKey(credential);
      return { principal, credential: { kind: 'apiKey', id: principal.id }, expiresAt: null };
    }
    const token = await this.accessTokens.verifyDetailed(credential);
    if (token.sessionId !== null && this.sessionEnded(token.sessionId)) {
      throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'this sign-in was ended (signed out, or its refresh token was reused); sign in again');
    }
    return { principal: token.principal, credential: { kind: 'session', userId: token.principal.id, familyId: token.sessionId }, expiresAt: token.expiresAt };
  }

  /** Wires the broadcast that carries revocations to the other server processes. */
  useRevocationBroadcast(broadcast: CredentialRevocationBroadcast): void {
    this.revocations = broadcast;
  }

  /** Calls `listener` for every revocation, made here or announced by another process. */
  onRevocation(listener: (revocation: CredentialRevocation) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /**
   * Applies a revocation in this process: drops the cached key or remembers the ended sign-in,
   * and tells the listeners (which close sockets). Idempotent: a process applies its own
   * revocations at once and again when the broadcast comes back.
   */
  applyRevocation(revocation: CredentialRevocation, now = Date.now()): void {
    if (revocation.kind === 'apiKey') {
      this.apiKeys.forget(revocation.prefix);
    } else {
      this.endedSessions.set(revocation.familyId, now + this.options.accessTokenTtlSeconds * 1000);
      for (const [familyId, until] of this.endedSessions) {
        if (until > now && this.endedSessions.size <= 100_000) break;
        this.endedSessions.delete(familyId);
      }
    }
    for (const listener of this.revocationListeners) listener(revocation);
  }

  /** Where failures of background writes go (the composition root passes the logger). */
  reportBackgroundErrorsTo(handler: (error: unknown) => void): void {
    this.reportBackgroundError = handler;
  }

  private reportBackgroundError: (error: unknown) => void = (error) => process.emitWarning(`auth background write failed: ${error instanceof Error ? error.message : String(error)}`);

  private revoke(revocation: CredentialRevocation): void {
    this.applyRevocation(revocation);
    this.revocations?.publish(revocation);
  }

  private async endSession(familyId: string, now: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
    this.revoke({ kind: 'session', familyId });
  }

  private sessionEnded(familyId: string, now = Date.now()): boolean {
    const until = this.endedSessions.get(familyId);
    return until !== undefined && until > now;
  }

  /**
   * Records that a key was used, at most once a minute per key: one guarded UPDATE (it only
   * matches when the stored time is older), never awaited by the request.
   */
  private noteApiKeyUse(id: string, now = Date.now()): void {
    const last = this.lastUseWritten.get(id);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) return;
    if (this.lastUseWritten.size >= 10_000) this.lastUseWritten.clear();
    this.lastUseWritten.set(id, now);
    const at = new Date(now);
    this.db.apiKey
      .updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - LAST_USED_RESOLUTION_MS) } }] }, data: { lastUsedAt: at } })
      .catch((error: unknown) => this.reportBackgroundError(error));
  }

  private async authenticateApiKey(secret: string): Promise<Principal> {
    const prefix = secret.slice(0, secret.indexOf('_', API_KEY_PREFIX.length));
    const hash = sha256(secret);
    const cached = prefix ? this.apiKeys.get(prefix) : undefined;
    if (cached && safeEqualHex(cached.secretHash, hash)) {
      this.noteApiKeyUse(cached.principal.id);
      return cached.principal;
    }
    const row = prefix ? await this.db.apiKey.findUnique({ where: { prefix } }) : null;
    if (!row || !safeEqualHex(row.secretHash, hash)) throw new AuthError(AuthErrorCode.API_KEY_INVALID, 'API key is invalid');
    if (row.revokedAt) throw new AuthError(AuthErrorCode.API_KEY_REVOKED, 'API key was revoked');
    const principal: Principal = { kind: 'apiKey', id: row.id, tenantId: row.tenantId, scopes: new Set(row.scopes as Scope[]) };
    this.apiKeys.set(prefix, row.secretHash, principal);
    this.noteApiKeyUse(row.id);
    return principal;
  }

  private async issue(userId: string, tenantId: string, scopes: Scope[], familyId: string): Promise<TokenPair> {
    const refreshToken = randomToken(32);
    await this.db.refreshToken.create({
      data: {
        id: randomUUID(),
        tenantId,
        userId,
        familyId,
        tokenHash: sha256(refreshToken),
        expiresAt: new Date(Date.now() + this.options.refreshTokenTtlSeconds * 1000),
      },
    });
    const accessToken = await this.accessTokens.sign(userId, tenantId, scopes, familyId);
    return { accessToken, refreshToken, accessTokenExpiresAt: new Date(Date.now() + this.options.accessTokenTtlSeconds * 1000) };
  }
}

/** Separates the e-mail from the random tag of an unclaimed sign-up's login (no valid address contains it). */
const UNCLAIMED_SEPARATOR = '#unclaimed-';

/** A unique login for a sign-up whose e-mail is registered: the e-mail, for display, and a random tag. */
function unclaimedLogin(email: string): string {
  return `${email}${UNCLAIMED_SEPARATOR}${randomToken(12)}`;
}

/** The e-mail a user signed up with, as shown to them (an unclaimed login without its tag). */
export function displayEmail(login: string): string {
  const at = login.indexOf(UNCLAIMED_SEPARATOR);
  return at === -1 ? login : login.slice(0, at);
}

/** The credential of an `Authorization: Bearer <token | API key>` value; TOKEN_INVALID otherwise. */
export function bearerCredentialOf(authorization: string): string {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'Authorization must be "Bearer <token or API key>"');
  return match[1];
}

export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002';
}

function toApiKeyView(row: { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiKeyView {
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes as Scope[], createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}
