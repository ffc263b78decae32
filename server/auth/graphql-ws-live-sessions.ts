import type { Principal } from '@trinetra/shared';
import type { LiveSession, LiveSessionRegistry } from './live-session-registry';

/** graphql-ws close code when a connection's credential is revoked or expires (Forbidden: the client may retry with a fresh token). */
export const GRAPHQL_WS_CREDENTIAL_ENDED = 4403;

/** The part of a graphql-ws server context these hooks use. */
interface WsContext {
  extra: { socket: { close(code: number, reason: string): void } };
}

/**
 * Binds graphql-ws connections to the {@link LiveSessionRegistry}. Protocol (also in
 * docs/SECURITY.md):
 *
 * - a connection authenticated in `connection_init` (`{ authorization: "Bearer …" }`) is closed
 *   with 4403 as soon as its API key or sign-in is revoked, or when its access token expires;
 * - to stay open past expiry the client re-authenticates on the same socket with a graphql-ws
 *   `ping` whose payload is `{ "authorization": "Bearer <fresh access token>" }`, for the same
 *   user (or key); the server answers with the usual `pong` only after the new token was
 *   accepted (operations from then on run with its scopes), and closes with 4403 when it is not.
 *   A `ping` without `authorization` is a plain keep-alive.
 */
export class GraphqlWsLiveSessions {
  private readonly sessions = new WeakMap<object, LiveSession>();

  constructor(private readonly registry: LiveSessionRegistry) {}

  /** After `onConnect` authenticated the connection: watch its credential. Throws an AuthError when it is no longer valid. */
  async watch(ctx: WsContext, authorization: string): Promise<void> {
    const session = await this.registry.open(authorization, (_end, reason) => close(ctx, reason));
    this.sessions.set(ctx, session);
  }

  /** `onPing`: re-authentication when the payload carries `authorization`; returns the principal to use from now on. */
  async onPing(ctx: WsContext, payload: Record<string, unknown> | undefined): Promise<Principal | null> {
    const authorization = payload?.['authorization'];
    const session = this.sessions.get(ctx);
    if (typeof authorization !== 'string' || !session) return null;
    try {
      return (await session.renew(authorization)).principal;
    } catch (error) {
      session.dispose();
      close(ctx, `re-authentication refused: ${error instanceof Error ? error.message : 'invalid credential'}`);
      return null;
    }
  }

  /** `onClose`: stop watching. */
  onClose(ctx: object): void {
    this.sessions.get(ctx)?.dispose();
    this.sessions.delete(ctx);
  }
}

function close(ctx: WsContext, reason: string): void {
  ctx.extra.socket.close(GRAPHQL_WS_CREDENTIAL_ENDED, `Forbidden: ${reason}`.slice(0, 120));
}
