import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock } from '@trinetra/shared';
import type { FrameSink } from './frame-sink';
import { IngestCloseCode } from './ingest-close-code';
import { INGEST_MAX_HEADER_BYTES } from './ingest-frame.codec';
import { authorizeUploadConnection, BEARER_SUBPROTOCOL_PREFIX, INGEST_SUBPROTOCOL, type UploadAuthDeps } from './upload-connection.authorizer';
import { UPLOAD_SESSION_DEFAULTS, UploadSession, type UploadSessionHooks, type UploadSessionOptions } from './upload-session';

/** Path of the upload socket. */
export const INGEST_PATH = '/ingest';

/** The log calls the adapter makes (pino's shape). */
export interface IngestSocketLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
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

  const accept = (ws: WebSocket, req: IncomingMessage, authorization: Awaited<ReturnType<typeof authorizeUploadConnection>>): void => {
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
    ws.on('message', (data, isBinary) => void session.receive(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data), isBinary));
    ws.on('close', () => session.dispose());
    ws.on('error', () => session.dispose());
    session.ready();
  };

  const handler = ((req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const onEarlyError = (): void => {
      socket.destroy();
    };
    socket.on('error', onEarlyError);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const protocols = (headerValue(req.headers['sec-websocket-protocol']) ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    authorizeUploadConnection({ query: url.searchParams, authorizationHeader: headerValue(req.headers.authorization), protocols }, deps.auth)
      .catch((error: unknown) => {
        deps.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'ingest authorization failed');
        return { ok: false as const, code: IngestCloseCode.InternalError, reason: 'authorization failed' };
      })
      .then((authorization) => {
        socket.off('error', onEarlyError);
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, authorization));
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
