/**
 * The load tool's view of Trinetra: GraphQL over HTTP and subscriptions over `graphql-ws`,
 * exactly as any external client uses them (README "Using the API"). WebSockets are Node's
 * built-in client (load/main.ts makes sure it is enabled), so the tool needs no dependency.
 */

export class ApiError extends Error {
  override name = 'ApiError';
}

export interface Endpoints {
  /** `http(s)://host[:port]` of the API (GraphQL at /graphql, uploads at /ingest). */
  apiUrl: string;
  /** Bearer credential: an access token or an API key (`trk_…`). */
  token: string;
}

export async function gql<T>(endpoints: Pick<Endpoints, 'apiUrl'> & { token?: string }, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(new URL('/graphql', endpoints.apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(endpoints.token ? { authorization: `Bearer ${endpoints.token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length || !body.data) {
    const first = body.errors?.[0];
    throw new ApiError(`GraphQL ${res.status}: ${first ? `${first.extensions?.code ?? ''} ${first.message}` : 'no data'}`);
  }
  return body.data;
}

export function wsUrlOf(apiUrl: string, pathname: string): URL {
  const url = new URL(pathname, apiUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/** Waits for a WebSocket to open, or fails with the close reason. */
export function opened(socket: WebSocket, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new ApiError(`${what}: connection failed`)), { once: true });
    socket.addEventListener('close', (e) => reject(new ApiError(`${what}: closed ${e.code} ${e.reason}`)), { once: true });
  });
}

/**
 * One graphql-ws connection carrying any number of subscriptions (the `graphql-transport-ws`
 * subprotocol: connection_init with the credential, subscribe, next, complete).
 */
export class SubscriptionClient {
  private readonly handlers = new Map<string, (data: unknown) => void>();
  private nextId = 1;

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const msg = JSON.parse(String(event.data)) as { type: string; id?: string; payload?: unknown };
      if (msg.type === 'next' && msg.id) this.handlers.get(msg.id)?.((msg.payload as { data?: unknown }).data);
      else if (msg.type === 'error') process.stderr.write(`load: subscription ${msg.id} error: ${JSON.stringify(msg.payload)}\n`);
      else if (msg.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    });
  }

  static async connect(endpoints: Endpoints): Promise<SubscriptionClient> {
    const socket = new WebSocket(wsUrlOf(endpoints.apiUrl, '/graphql'), 'graphql-transport-ws');
    await opened(socket, 'graphql-ws');
    const acked = new Promise<void>((resolve, reject) => {
      socket.addEventListener('message', (e) => (JSON.parse(String(e.data)) as { type: string }).type === 'connection_ack' && resolve());
      socket.addEventListener('close', (e) => reject(new ApiError(`graphql-ws closed before ack: ${e.code} ${e.reason}`)), { once: true });
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${endpoints.token}` } }));
    await acked;
    return new SubscriptionClient(socket);
  }

  subscribe(query: string, variables: Record<string, unknown>, onData: (data: unknown) => void): void {
    const id = String(this.nextId++);
    this.handlers.set(id, onData);
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  close(): void {
    this.socket.close(1000);
  }
}
