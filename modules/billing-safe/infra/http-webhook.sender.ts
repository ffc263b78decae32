import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Clock } from '@trinetra/shared';
import { systemClock } from '@trinetra/shared';
import { BillingError } from '../domain/billing.error';
import { assertWebhookUrlAllowedOrThrow, type WebhookUrlGuard } from '../application/webhook-url';

/** One POST to a receiver. */
export interface WebhookRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  /** The tenant's network allowlist (CIDRs, hosts) for the SSRF guard. */
  allowlist: readonly string[];
}

/** What came of one attempt. Success is a 2xx answer; anything else (3xx included) is a failure. */
export interface WebhookAttemptOutcome {
  succeeded: boolean;
  /** The HTTP status, or null when no answer came (refused, timed out, connection error). */
  responseCode: number | null;
  /** Why it failed, for the delivery record; never the receiver's body. */
  error: string | null;
  durationMs: number;
}

/** Sends webhook requests; the delivery service depends on this, tests may give their own. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookAttemptOutcome>;
}

/** Options of {@link HttpWebhookSender}. */
export interface HttpWebhookSenderOptions {
  guard: WebhookUrlGuard;
  /** Whole attempt, connect to last byte. Default 10 000 ms: long enough for a slow receiver, short enough that one that hangs does not hold a worker slot. */
  timeoutMs?: number;
  clock?: Clock;
}

/** Response bytes read before the answer counts (receivers need send nothing; the rest is discarded). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs webhooks over node:http(s) with the SSRF guard on every attempt: the host is resolved
 * and checked first, and the socket connects to a checked address (a `lookup` that answers
 * with it), so a DNS answer that changes after the check (rebinding) is never used. Redirects
 * are not followed (node's client never does; a 3xx is a failure). TLS still verifies the
 * certificate against the URL's host name.
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: HttpWebhookSenderOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
  }

  async send(request: WebhookRequest): Promise<WebhookAttemptOutcome> {
    const started = this.clock.now();
    const elapsed = (): number => Math.max(0, Math.round(this.clock.now() - started));
    let addresses: string[];
    let url: URL;
    try {
      ({ addresses, url } = await assertWebhookUrlAllowedOrThrow(request.url, request.allowlist, this.options.guard));
    } catch (error) {
      if (error instanceof BillingError)
        return { succeeded: false, responseCode: null, error: `refused before sending: ${error.message}`, durationMs: elapsed() };
      throw error;
    }
    const address = addresses[0]!;
    const pinned: LookupFunction = (_hostname, options, callback) => {
      const family = isIP(address);
      if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    return new Promise<WebhookAttemptOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<WebhookAttemptOutcome, 'durationMs'>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...outcome, durationMs: elapsed() });
      };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: 'POST',
          lookup: pinned,
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(request.body)),
            'user-agent': 'Trinetra-Webhooks/1',
            ...request.headers,
          },
        },
        (res: IncomingMessage) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) res.destroy();
          });
          const status = res.statusCode ?? 0;
          const done = (): void =>
            finish({ succeeded: status >= 200 && status < 300, responseCode: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      const timer = setTimeout(() => {
        finish({ succeeded: false, responseCode: null, error: `timed out after ${this.timeoutMs} ms` });
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (error: Error) => finish({ succeeded: false, responseCode: null, error: `connection failed: ${error.message}` }));
      req.end(request.body);
    });
  }
}
