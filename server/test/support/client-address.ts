import { request } from 'node:http';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

let next = 0;

/**
 * A loopback address of its own (127.0.0.0/8 all reaches this machine on Linux), so a test's
 * per-address rate limits never share Redis counters with other tests or other test files.
 */
export function freshLoopbackAddress(): string {
  const n = (process.pid * 7919 + next++ * 104729 + Date.now()) % 16_000_000;
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${Math.max(2, n & 255)}`;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GraphQL POST sent from `localAddress`; the raw status, headers and body. */
export function postFrom(localAddress: string, url: string, payload: unknown, token?: string): Promise<RawResponse> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A graphql-ws client whose socket connects from `localAddress`; one socket for all its operations until disposed. */
export function wsClientFrom(localAddress: string, wsUrl: string, token?: string): WsClient {
  class BoundWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { localAddress });
    }
  }
  return createClient({
    url: wsUrl,
    webSocketImpl: BoundWebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    lazyCloseTimeout: 60_000,
  });
}

export type WsOutcome =
  | { kind: 'result'; data: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }
  | { kind: 'errors'; errors: { message: string; extensions?: Record<string, unknown> }[] }
  | { kind: 'closed'; code: number; reason: string };

/** Runs one operation over graphql-ws and says how it ended: a result, operation errors, or a closed socket. */
export function runOverWs(client: WsClient, query: string, variables: Record<string, unknown> = {}): Promise<WsOutcome> {
  return new Promise((resolve) => {
    let outcome: WsOutcome | null = null;
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          outcome = {
            kind: 'result',
            data: value.data,
            ...(value.errors ? { errors: value.errors as { message: string; extensions?: Record<string, unknown> }[] } : {}),
          };
        },
        error: (e: unknown) => {
          if (Array.isArray(e)) resolve({ kind: 'errors', errors: e as { message: string; extensions?: Record<string, unknown> }[] });
          else {
            const event = e as { code?: number; reason?: string };
            resolve({ kind: 'closed', code: event.code ?? 0, reason: event.reason ?? String(e) });
          }
        },
        complete: () => resolve(outcome ?? { kind: 'result', data: null }),
      },
    );
  });
}
