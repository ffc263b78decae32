/**
 * The urql client: HTTP with the session's bearer token (refreshed before expiry, and once
 * more when the server answers UNAUTHENTICATED), subscriptions over graphql-ws on the same
 * path with the token in `connection_init`, reconnecting forever with capped backoff and a
 * ping/pong watchdog that reports into the {@link ConnectionStore}.
 */
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
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
      return fetch(input, { ...init, headers });
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

function createLiveSocket(session: SessionStore, connection: ConnectionStore): WsClient {
  let activeSocket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  return createWsClient({
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
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: (socket) => {
        activeSocket = socket as WebSocket;
        connection.markConnected();
      },
      closed: () => {
        activeSocket = null;
        clearTimeout(pongTimer);
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
  const socket = live ? createLiveSocket(session, connection) : null;
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
      void socket?.dispose();
      connection.reset();
    },
  };
}
