import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock } from '@trinetra/shared';
import type { FrameSink } from './frame-sink';
import { IngestCloseCode } from './ingest-close-code';
import { INGEST_MAX_HEADER_BYTES } from './ingest-frame.codec';
import { authorizeUploadConnection, BEARER_SUBPROTOCOL_PREFIX, credentialOf, INGEST_SUBPROTOCOL, type UploadAuthDeps } from './upload-connection.authorizer';
import { UPLOAD_SESSION_DEFAULTS, UploadSession, type UploadSessionHooks, type UploadSessionOptions } from './upload-session';

/** Path of the upload socket. */
export const INGEST_PATH = '/ingest';

/** The log calls the adapter makes (pino's shape). */
export interface IngestSocketLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** An open connection's credential, watched after the handshake (see {@link UploadCredentialLifetime}). */
export interface UploadLiveCredential {
  /** Expiry of the current credential, epoch ms; null when it does not expire (API keys). */
  readonly expiresAt: number | null;
  /** Re-authentication with a fresh `Bearer <token>` of the same principal; rejects when refused. */
  renew(authorization: string): Promise<{ expiresAt: number | null }>;
  /** Stops watching (the connection closed). */
  dispose(): void;
}

/**
 * Ends connections whose credential stops being valid after the handshake: `open` watches the
 * credential and calls `onEnd` when it is revoked or expires (the adapter closes with 4401).
 * The server binds it to its live-session registry; absent, a connection lives as long as it stays open.
 */
export interface UploadCredentialLifetime {
  open(authorization: string, onEnd: (reason: string) => void): Promise<UploadLiveCredential>;
}

/** The text message that re-authenticates an open connection (docs/ingest-protocol.md). */
interface ReauthenticateMessage {
  type: 'reauthenticate';
  token: string;
}

function reauthenticationOf(data: Buffer): ReauthenticateMessage | null {
  if (data.length > 16_384) return null;
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    if (typeof value === 'object' && value !== null && 'type' in value && value.type === 'reauthenticate' && 'token' in value && typeof value.token === 'string') {
      return { type: 'reauthenticate', token: value.token };
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return null;
}

/** Dependencies of {@link createIngestUpgradeHandler}. */
export interface IngestUpgradeDeps {
  auth: UploadAuthDeps;
  sink: FrameSink;
  clock?: Clock;
  /** Per-connection limits (rate, burst, frame size, malformed and abuse tolerance). */
  session?: Omit<UploadSessionOptions, 'clock'>;
  hooks?: UploadSessionHooks;
  logger?: IngestSocketLogger;
  /** Closes connections whose credential is revoked or expires, and takes re-authentication. */
  credentials?: UploadCredentialLifetime;
  /**
   * Ping interval, ms; a connection that missed the previous pong is terminated. Default
   * 30000: frees dead phone connections within a minute without chatter on live ones.
   */
  heartbeatMs?: number;
}

/** An HTTP upgrade handler for `/ingest`, plus what the server calls at shutdown. */
export interface IngestUpgradeHandler {
  (req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open connections. */
  readonly connections: number;
  /** Closes every connection with 1001 and stops the heartbeat. */
  close(): Promise<void>;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The `ws` adapter of the upload protocol: authorizes the upgrade request before the handshake
 * completes (so no frame is read from an unauthorized client), then completes it and closes at
 * once with the authorizer's code when refused, or runs an {@link UploadSession} per connection.
 */
export function createIngestUpgradeHandler(deps: IngestUpgradeDeps): IngestUpgradeHandler {
  const clock = deps.clock ?? systemClock;
  const maxFrameBytes = deps.session?.maxFrameBytes ?? UPLOAD_SESSION_DEFAULTS.maxFrameBytes;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: INGEST_MAX_HEADER_BYTES + maxFrameBytes,
    perMessageDeflate: false,
    // Browsers fail the handshake unless one offered subprotocol is echoed back.
    handleProtocols: (offered) => (offered.has(INGEST_SUBPROTOCOL) ? INGEST_SUBPROTOCOL : ([...offered].find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX)) ?? false)),
  });
  const alive = new WeakMap<WebSocket, boolean>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, deps.heartbeatMs ?? 30_000);
  heartbeat.unref();

  const accept = (ws: WebSocket, req: IncomingMessage, authorization: Awaited<ReturnType<typeof authorizeUploadConnection>>, live: LiveBinding | null): void => {
    if (!authorization.ok) {
      deps.logger?.info({ code: authorization.code, reason: authorization.reason, remote: req.socket.remoteAddress }, 'ingest connection refused');
      ws.close(authorization.code, authorization.reason.slice(0, 120));
      return;
    }
    const { principal, camera } = authorization;
    const session = new UploadSession(
      { send: (text) => ws.send(text), close: (code, reason) => ws.close(code, reason) },
      { tenantId: principal.tenantId, cameraId: camera.id, tier: camera.tier, targetFps: camera.targetFps },
      deps.sink,
      { ...deps.session, clock },
      {
        ...deps.hooks,
        onSinkError: (error) => {
          deps.logger?.warn({ err: error instanceof Error ? error.message : String(error), cameraId: camera.id }, 'ingest sink failed');
          deps.hooks?.onSinkError?.(error);
        },
      },
    );
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    const reauthenticate = (message: ReauthenticateMessage, credential: UploadLiveCredential): void => {
      credential.renew(`Bearer ${message.token}`).then(
        ({ expiresAt }) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'reauthenticated', expiresAt }));
        },
        (error: unknown) => {
          credential.dispose();
          ws.close(IngestCloseCode.Unauthorized, `re-authentication refused: ${error instanceof Error ? error.message : 'invalid credential'}`.slice(0, 120));
        },
      );
    };
    ws.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      const renewal = !isBinary && live?.credential ? reauthenticationOf(bytes) : null;
      if (renewal && live?.credential) reauthenticate(renewal, live.credential);
      else void session.receive(bytes, isBinary);
    });
    ws.on('close', () => {
      live?.credential?.dispose();
      session.dispose();
    });
    ws.on('error', () => session.dispose());
    if (live) live.bind((reason) => ws.close(IngestCloseCode.Unauthorized, reason.slice(0, 120)));
    session.ready();
  };

  const handler = ((req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const onEarlyError = (): void => {
      socket.destroy();
    };
    socket.on('error', onEarlyError);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const protocols = (headerValue(req.headers['sec-websocket-protocol']) ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const request = { query: url.searchParams, authorizationHeader: headerValue(req.headers.authorization), protocols };
    authorizeUploadConnection(request, deps.auth)
      .catch((error: unknown) => {
        deps.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'ingest authorization failed');
        return { ok: false as const, code: IngestCloseCode.InternalError, reason: 'authorization failed' };
      })
      .then(async (authorization) => {
        const live = authorization.ok && deps.credentials ? await watchCredential(deps.credentials, credentialOf(request)) : null;
        socket.off('error', onEarlyError);
        if (socket.destroyed) {
          live?.credential?.dispose();
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, live?.refused ?? authorization, live));
      });
  }) as IngestUpgradeHandler;

  Object.defineProperty(handler, 'connections', { get: () => wss.clients.size });
  handler.close = async () => {
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.close(IngestCloseCode.GoingAway, 'server shutting down');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    for (const ws of wss.clients) ws.terminate();
  };
  return handler;
}

/**
 * A watched credential and the late binding of its end to the socket: the credential is watched
 * before the handshake completes (so a revocation in between is not missed) and can end before
 * the socket exists; `bind` then closes it at once.
 */
interface LiveBinding {
  credential: UploadLiveCredential | null;
  /** Set when watching failed (the credential was revoked in between): refuse the connection. */
  refused: { ok: false; code: IngestCloseCode; reason: string } | null;
  bind(close: (reason: string) => void): void;
}

async function watchCredential(lifetime: UploadCredentialLifetime, authorization: string | null): Promise<LiveBinding> {
  let close: ((reason: string) => void) | null = null;
  let endedWith: string | null = null;
  const binding: LiveBinding = {
    credential: null,
    refused: null,
    bind: (closeSocket) => {
      close = closeSocket;
      if (endedWith !== null) closeSocket(endedWith);
    },
  };
  if (authorization === null) return binding;
  try {
    binding.credential = await lifetime.open(authorization, (reason) => {
      endedWith = reason;
      close?.(reason);
    });
  } catch (error) {
    binding.refused = { ok: false, code: IngestCloseCode.Unauthorized, reason: error instanceof Error ? error.message : 'invalid credential' };
  }
  return binding;
}
