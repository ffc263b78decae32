import type { IncomingMessage } from 'node:http';
import type { GraphQLContext } from '@trinetra/shared';

/** Cookie that carries a browser's refresh token (httpOnly: page scripts never see it). */
export const REFRESH_COOKIE = 'trinetra_refresh';
/** Request header by which a browser client asks for its refresh token in {@link REFRESH_COOKIE}. */
export const SESSION_MODE_HEADER = 'x-trinetra-session';

const EXCHANGE = Symbol('sessionCookieExchange');

/**
 * The refresh-token cookie of one HTTP GraphQL request. A client that sends
 * `x-trinetra-session: cookie` (the dashboard) gets its refresh token as an httpOnly,
 * SameSite=Strict cookie limited to the GraphQL path (Secure over https) instead of in the
 * response body, and `refreshToken` / `signOut` read it from there. Other clients (mobile,
 * integrations) keep receiving and sending it in the body.
 */
export class SessionCookieExchange {
  /** `Set-Cookie` values the response must carry. */
  readonly setCookies: string[] = [];

  constructor(
    /** The client asked for the cookie. */
    readonly cookieMode: boolean,
    /** The refresh token the request's cookie carries, if any. */
    readonly refreshToken: string | null,
    private readonly path: string,
    private readonly secure: boolean,
  ) {}

  /** Reads the request: mode header, cookie, and whether it came over https (directly or through a proxy). */
  static of(req: IncomingMessage, path: string): SessionCookieExchange {
    const mode = req.headers[SESSION_MODE_HEADER];
    const forwardedProto = req.headers['x-forwarded-proto'];
    const secure =
      ('encrypted' in req.socket && req.socket.encrypted === true) || (typeof forwardedProto === 'string' && forwardedProto.split(',')[0]?.trim() === 'https');
    return new SessionCookieExchange(mode === 'cookie', cookieValue(req.headers.cookie, REFRESH_COOKIE), path, secure);
  }

  set(refreshToken: string, maxAgeSeconds: number): void {
    this.setCookies.push(this.cookie(refreshToken, maxAgeSeconds));
  }

  clear(): void {
    this.setCookies.push(this.cookie('', 0));
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return [
      `${REFRESH_COOKIE}=${value}`,
      `Path=${this.path}`,
      `Max-Age=${maxAgeSeconds}`,
      'HttpOnly',
      'SameSite=Strict',
      ...(this.secure ? ['Secure'] : []),
    ].join('; ');
  }
}

/** Attaches the exchange to a request's context (HTTP only; graphql-ws contexts have none). */
export function withSessionCookies<C extends GraphQLContext>(ctx: C, exchange: SessionCookieExchange): C {
  (ctx as C & { [EXCHANGE]?: SessionCookieExchange })[EXCHANGE] = exchange;
  return ctx;
}

/** The request's cookie exchange, or null (graphql-ws, or a context built elsewhere). */
export function sessionCookiesOf(ctx: GraphQLContext): SessionCookieExchange | null {
  return (ctx as GraphQLContext & { [EXCHANGE]?: SessionCookieExchange })[EXCHANGE] ?? null;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value.length > 0 ? value : null;
    }
  }
  return null;
}
