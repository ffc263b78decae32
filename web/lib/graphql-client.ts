/**
 * The urql client: HTTP with the session's bearer token (refreshed before expiry, and once
 * more when the server answers UNAUTHENTICATED) and the httpOnly refresh cookie, subscriptions
 * over graphql-ws on the same path with the token in `connection_init` and re-authentication
 * before expiry, reconnecting forever with capped backoff and a ping/pong watchdog that reports
 * into the {@link ConnectionStore}.
 */
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { SESSION_MODE_HEADERS } from '@/features/auth/auth-api';
import type { SessionStore } from '@/features/auth/session-store';
import type { ConnectionStore } from '@/features/connection/connection-store';
import { apiEndpoints } from './api-config';

/** Close codes after which a fresh token may help (graphql-ws: 4401 Unauthorized, 4403 Forbidden). */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);
/** How long to wait for a pong before declaring the socket dead. */
const PONG_TIMEOUT_MS = 4_000;
/** Ping interval while idle. */
const KEEP_ALIVE_MS = 5_000;

async function saysUnauthenticated(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  try {
    const body: unknown = await response.clone().json();
    if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return false;
    return body.errors.some(
      (e: unknown) => typeof e === 'object' && e !== null && 'extensions' in e &&
        typeof e.extensions === 'object' && e.extensions !== null && 'code' in e.extensions &&
        e.extensions.code === 'UNAUTHENTICATED',
    );
  } catch {
    return false;
  }
}

function authorizedFetch(session: SessionStore): typeof fetch {
  return async (input, init) => {
    const send = (token: string | null) => {
      const headers = new Headers(init?.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      // signIn / signUp set the refresh token as an httpOnly cookie instead of answering it.
      for (const [name, value] of Object.entries(SESSION_MODE_HEADERS)) headers.set(name, value);
      return fetch(input, { ...init, headers, credentials: 'include' });
    };
    const token = await session.getValidAccessToken();
    const response = await send(token);
    if (token && (await saysUnauthenticated(response))) {
      const fresh = await session.refreshNow();
      if (fresh && fresh !== token) return send(fresh);
    }
    return response;
  };
}

/**
 * The live socket, kept authenticated: the server closes a graphql-ws connection when its access
 * token expires (4403), so shortly before expiry the session is refreshed and the new token is
 * sent on the open socket as a graphql-ws `ping` with payload `{ authorization }` (the server's
 * re-authentication message). Should that fail, the socket closes and reconnects with a fresh token.
 */
function createLiveSocket(session: SessionStore, connection: ConnectionStore): { socket: WsClient; dispose(): void } {
  let activeSocket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  /** The token the server holds for the open socket. */
  let socketToken: string | null = null;
  const scheduleRenewal = () => {
    clearTimeout(renewTimer);
    const due = session.renewalDueAt();
    if (due === null || !activeSocket) return;
    renewTimer = setTimeout(() => void session.refreshNow(), Math.max(0, due - Date.now()));
  };
  const reauthenticate = () => {
    const snapshot = session.getSnapshot();
    const token = snapshot.status === 'signedIn' ? snapshot.accessToken : null;
    if (token && token !== socketToken && activeSocket?.readyState === WebSocket.OPEN) {
      activeSocket.send(JSON.stringify({ type: 'ping', payload: { authorization: `Bearer ${token}` } }));
      socketToken = token;
    }
    scheduleRenewal();
  };
  const unsubscribe = session.subscribe(reauthenticate);
  const socket = createWsClient({
    url: apiEndpoints().wsUrl,
    lazy: false,
    keepAlive: KEEP_ALIVE_MS,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (closeEvent) => {
      if (typeof closeEvent === 'object' && closeEvent !== null && 'code' in closeEvent &&
        typeof closeEvent.code === 'number' && AUTH_CLOSE_CODES.has(closeEvent.code)) {
        void session.refreshNow();
      }
      return session.getSnapshot().status === 'signedIn';
    },
    retryWait: async (retries) => {
      const delay = Math.min(5_000, 300 * 2 ** retries) + Math.random() * 300;
      await new Promise((resolve) => setTimeout(resolve, delay));
    },
    connectionParams: async () => {
      const token = await session.getValidAccessToken();
      socketToken = token;
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: (opened) => {
        activeSocket = opened as WebSocket;
        connection.markConnected();
        // The session may have moved on while the socket was connecting.
        reauthenticate();
      },
      closed: () => {
        activeSocket = null;
        clearTimeout(pongTimer);
        clearTimeout(renewTimer);
        connection.markClosed();
      },
      message: () => connection.markMessage(),
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => {
          if (activeSocket?.readyState === WebSocket.OPEN) activeSocket.close(4408, 'Pong timeout');
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });
  return {
    socket,
    dispose: () => {
      unsubscribe();
      clearTimeout(renewTimer);
      void socket.dispose();
    },
  };
}

/** A client and the means to close its live socket. */
export interface ApiClient {
  readonly client: Client;
  dispose(): void;
}

/**
 * Creates the client for the current session state. With `live` (signed in) it opens the
 * graphql-ws socket at once so the connection banner means something on every page.
 */
export function createApiClient(session: SessionStore, connection: ConnectionStore, live: boolean): ApiClient {
  const liveSocket = live ? createLiveSocket(session, connection) : null;
  const socket = liveSocket?.socket ?? null;
  const client = new Client({
    url: apiEndpoints().httpUrl,
    fetch: authorizedFetch(session),
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange,
      fetchExchange,
      ...(socket
        ? [subscriptionExchange({
            forwardSubscription(request) {
              const input = { ...request, query: request.query ?? '' };
              return {
                subscribe(sink) {
                  const unsubscribe = socket.subscribe(input, sink);
                  return { unsubscribe };
                },
              };
            },
          })]
        : []),
    ],
  });
  return {
    client,
    dispose: () => {
      liveSocket?.dispose();
      connection.reset();
    },
  };
}
