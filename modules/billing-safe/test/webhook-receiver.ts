import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a test receiver got. */
export interface ReceivedWebhook {
  headers: IncomingMessage['headers'];
  body: string;
  /** The status the receiver answered with, or 'hung'. */
  answered: number | 'hung';
}

/** What the receiver does with the n-th request (0-based): a status, or hang without answering. */
export type ReceiverBehaviour = (n: number) => number | 'hang';

/**
 * A real HTTP server on a free loopback port standing in for an integrator's receiver. It keeps
 * every request and lets a test wait for the n-th one.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly hung: ServerResponse[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private server: Server | null = null;

  constructor(private behaviour: ReceiverBehaviour = () => 204) {}

  behave(behaviour: ReceiverBehaviour): void {
    this.behaviour = behaviour;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const n = this.received.length;
        const action = this.behaviour(n);
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: action === 'hang' ? 'hung' : action });
        if (action === 'hang') this.hung.push(res);
        else res.writeHead(action).end();
        const ready = this.waiters.filter((w) => this.received.length >= w.n);
        this.waiters = this.waiters.filter((w) => this.received.length < w.n);
        for (const w of ready) w.resolve();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Resolves once `n` requests have arrived. */
  untilReceived(n: number): Promise<ReceivedWebhook[]> {
    if (this.received.length >= n) return Promise.resolve(this.received);
    return new Promise((resolve) => this.waiters.push({ n, resolve: () => resolve(this.received) }));
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
