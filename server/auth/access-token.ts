import { errors, jwtVerify, SignJWT } from 'jose';
import { isScope, type Principal, type Scope } from '@trinetra/shared';
import { AuthError, AuthErrorCode } from './auth.errors';

export interface AccessTokenOptions {
  secret: string;
  /** Lifetime in seconds. Short (default 15 min) because access tokens are not revocable. */
  ttlSeconds: number;
}

/** A verified access token: who, and which sign-in (refresh family) it belongs to, until when. */
export interface VerifiedAccessToken {
  principal: Principal;
  /** Refresh-token family of the sign-in that issued it (`sid`); null for tokens issued before it was recorded. */
  sessionId: string | null;
  /** Expiry, epoch ms. */
  expiresAt: number;
}

const ISSUER = 'trinetra';
const AUDIENCE = 'trinetra-api';

/** Signs and verifies short-lived HS256 access tokens carrying the tenant and scopes. */
export class AccessTokenService {
  private readonly key: Uint8Array;

  constructor(private readonly options: AccessTokenOptions) {
    this.key = new TextEncoder().encode(options.secret);
  }

  /** `sessionId` is the refresh-token family: revoking the family closes the token's sockets. */
  async sign(userId: string, tenantId: string, scopes: readonly Scope[], sessionId: string, now = Date.now()): Promise<string> {
    const iat = Math.floor(now / 1000);
    return new SignJWT({ tid: tenantId, scp: scopes, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.options.ttlSeconds)
      .sign(this.key);
  }

  async verify(token: string): Promise<Principal> {
    return (await this.verifyDetailed(token)).principal;
  }

  async verifyDetailed(token: string): Promise<VerifiedAccessToken> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const scopes = Array.isArray(payload['scp']) ? payload['scp'].filter((s): s is Scope => typeof s === 'string' && isScope(s)) : [];
      if (typeof payload.sub !== 'string' || typeof payload['tid'] !== 'string') {
        throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'access token is missing its subject or tenant');
      }
      return {
        principal: { kind: 'user', id: payload.sub, tenantId: payload['tid'], scopes: new Set(scopes) },
        sessionId: typeof payload['sid'] === 'string' ? payload['sid'] : null,
        expiresAt: (payload.exp ?? 0) * 1000,
      };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof errors.JWTExpired) throw new AuthError(AuthErrorCode.TOKEN_EXPIRED, 'access token expired; refresh it');
      throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'access token is invalid');
    }
  }
}
