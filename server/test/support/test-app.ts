import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { SHARED_DATA_DIR } from '@trinetra/shared/testing';
import { loadConfig, type AppConfig } from '../../config/config';
import { seedPlans } from '../../app/seed';
import { startTrinetraApp, type TrinetraApp } from '../../app/trinetra-app';
import { createLogger, type Logger } from '../../observability/logger';
import { subscriptionChannel, untilSubscribed } from './subscription-ready';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: TrinetraApp;
  db: TestDatabase;
  config: AppConfig;
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
}


/** Starts the real server on a free port against a fresh database and the test Redis. */
export async function startTestApp(overrides: Record<string, string> = {}, db?: TestDatabase, options: { logger?: Logger } = {}): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'silent',
    DB_POOL_SIZE: '4',
    // A queue of its own, so workers of other test files never take this app's frames.
    FRAME_QUEUE_NAME: `frames-test-${database.name}`,
    // Every test signs up from 127.0.0.1, sharing these Redis counters across test files;
    // server/test/rate-limits.int.test.ts lowers them (from addresses of its own) to test them.
    SIGN_UP_PER_ADDRESS_PER_HOUR: '100000',
    SIGN_IN_FAILURES_PER_ADDRESS: '100000',
    // FILE cameras and manifests of every test tenant may read the shared test videos.
    MEDIA_ROOTS: `*=${SHARED_DATA_DIR}`,
    ...overrides,
  });
  const app = await startTrinetraApp(config, { logger: options.logger ?? createLogger('silent') });
  await seedPlans(app.db);
  const url = app.http.url;
  redisUrlOfWsUrl.set(url.replace(/^http/, 'ws'), config.REDIS_URL);
  return {
    app,
    db: database,
    config,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    stop: async () => {
      await app.stop();
      if (!db) await database.drop();
    },
  };
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[];
}

/** POSTs one operation; returns the HTTP status with the parsed body. */
export async function gql<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: res.status, ...body };
}

/** The Redis of each started test app by its WebSocket URL, and the token of each client: what `ready` watches. */
const redisUrlOfWsUrl = new Map<string, string>();
const socketOfClient = new WeakMap<WsClient, { httpUrl: string; redisUrl: string; token: string | undefined }>();

export function wsClient(wsUrl: string, token?: string): WsClient {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  socketOfClient.set(client, { httpUrl: wsUrl.replace(/^ws/, 'http'), redisUrl: redisUrlOfWsUrl.get(wsUrl) ?? process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379', token });
  return client;
}

/**
 * Resolves once the server behind `client` holds the Redis channel of the subscription `query`
 * (server/test/support/subscription-ready.ts); at once for a query or mutation.
 */
export async function subscribed(client: WsClient, query: string): Promise<void> {
  const socket = socketOfClient.get(client);
  if (!socket) throw new Error('subscribed() needs a client made by wsClient()');
  const me = await gql<{ me: { tenant: { id: string } } }>(socket.httpUrl, `{ me { tenant { id } } }`, {}, socket.token);
  if (!me.data?.me) throw new Error(`cannot tell which tenant the subscription belongs to: ${JSON.stringify(me.errors)}`);
  const channel = subscriptionChannel(query, me.data.me.tenant.id);
  if (channel) await untilSubscribed(socket.redisUrl, channel);
}

/**
 * Collects the next `count` results of a subscription. `ready` resolves once the server holds
 * the subscription's Redis channel (server/test/support/subscription-ready.ts); it is computed
 * only when read. `atLeast(n)` resolves once n results have arrived.
 */
export function nextResults<T>(
  client: WsClient,
  query: string,
  variables: Record<string, unknown>,
  count: number,
): { promise: Promise<T[]>; readonly ready: Promise<void>; atLeast(n: number): Promise<T[]>; dispose(): void } {
  const results: T[] = [];
  const waiters: { n: number; resolve: (r: T[]) => void; reject: (e: Error) => void }[] = [];
  const settleWaiters = (error?: Error): void => {
    for (const w of waiters.splice(0)) {
      if (results.length >= w.n) w.resolve(results);
      else if (error) w.reject(error);
      else waiters.push(w);
    }
  };
  let dispose = (): void => undefined;
  const promise = new Promise<T[]>((resolve, reject) => {
    dispose = client.subscribe<T>({ query, variables }, {
      next: (value) => {
        results.push(value as T);
        settleWaiters();
        // A copy: results that arrive before the caller disposes must not grow what was resolved.
        if (results.length === count) resolve(results.slice());
      },
      error: (e) => {
        const error = e instanceof Error ? e : new Error(Array.isArray(e) ? JSON.stringify(e) : JSON.stringify(e, Object.getOwnPropertyNames(e as object)));
        settleWaiters(error);
        reject(error);
      },
      complete: () => {
        settleWaiters(new Error(`the subscription completed after ${results.length} results`));
        resolve(results.slice());
      },
    });
  });
  let ready: Promise<void> | undefined;
  return {
    promise,
    get ready() {
      return (ready ??= subscribed(client, query));
    },
    atLeast: (n) => (results.length >= n ? Promise.resolve(results) : new Promise<T[]>((resolve, reject) => waiters.push({ n, resolve, reject }))),
    dispose: () => dispose(),
  };
}

export const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken } }`;

let counter = 0;
/** Signs up a new tenant; returns its admin's tokens. */
export async function signUpTenant(url: string, name = 'Tenant'): Promise<{ accessToken: string; refreshToken: string; email: string }> {
  const email = `admin${Date.now()}${counter++}@${name.toLowerCase().replace(/\W/g, '')}.test`;
  const res = await gql<{ signUp: { accessToken: string; refreshToken: string } }>(url, SIGN_UP, { input: { tenantName: name, email, password: 'correct horse battery' } });
  if (!res.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(res.errors)}`);
  return { ...res.data.signUp, email };
}
