import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { IngestCliConfig } from './cli-config';
import { IngestCliError, IngestCliErrorCode } from './ingest-cli.error';

/** One GraphQL error as the API sends it. */
interface WireError {
  message: string;
  extensions?: { code?: string; reason?: string; required?: unknown };
}

/** Options of {@link TrinetraApiClient}. */
export interface TrinetraApiClientOptions {
  /** Give up on a request after this long, ms. Default 120000: an import hashes every video before it answers. */
  requestTimeoutMs?: number;
}

/** Handlers of a subscription; `error` gets the typed failure, `complete` a server-side end. */
export interface SubscriptionSink<T> {
  next(value: T): void;
  error(error: IngestCliError): void;
  complete(): void;
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * The CLI's view of the Trinetra API: queries and mutations over HTTP, subscriptions over
 * graphql-ws, both with the API key. Every failure becomes an {@link IngestCliError} whose
 * message tells the user what to do (start the server, fix the URL, use a key with the scope).
 */
export class TrinetraApiClient {
  private ws: Client | null = null;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly config: IngestCliConfig,
    options: TrinetraApiClientOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  }

  /** Runs a query or mutation; returns `data` or throws the first error, typed. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.config.httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.config.apiKey}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      throw new IngestCliError(
        IngestCliErrorCode.SERVER_UNREACHABLE,
        `cannot reach the Trinetra API at ${this.config.httpUrl} (${describeCause(error)}): is the server running? Set TRINETRA_API_URL to its address.`,
        {},
        { cause: error },
      );
    }
    if (response.status === 413) throw new IngestCliError(IngestCliErrorCode.REQUEST_REFUSED, 'the request is larger than the server accepts (HTTP 413): split the manifest or raise the server\'s BODY_LIMIT_BYTES');
    let body: { data?: T | null; errors?: WireError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new IngestCliError(IngestCliErrorCode.SERVER_UNREACHABLE, `${this.config.httpUrl} is not a Trinetra GraphQL endpoint (HTTP ${response.status}): check TRINETRA_API_URL`);
    }
    const [first] = body.errors ?? [];
    if (first) throw this.toError(first);
    if (body.data === undefined || body.data === null) throw new IngestCliError(IngestCliErrorCode.SERVER_FAILED, `the API answered HTTP ${response.status} without data`);
    return body.data;
  }

  /** Subscribes over graphql-ws; returns the function that unsubscribes. */
  subscribe<T>(query: string, variables: Record<string, unknown>, sink: SubscriptionSink<T>): () => void {
    this.ws ??= createClient({
      url: this.config.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.config.apiKey}` },
      retryAttempts: 0,
      lazy: true,
    });
    return this.ws.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          const [first] = (result.errors ?? []) as WireError[];
          if (first) sink.error(this.toError(first));
          else if (result.data) sink.next(result.data as T);
        },
        error: (error) => sink.error(this.toSocketError(error)),
        complete: () => sink.complete(),
      },
    );
  }

  /** An absolute URL for a path on the API server (`VideoJob.outputUrl` is a path). */
  resolve(path: string): string {
    return new URL(path, this.config.httpUrl).toString();
  }

  /**
   * `GET /outputs/<jobId>` with the API key: the response of a finished job's output, to be
   * streamed by the caller; refusals become typed errors.
   */
  async fetchOutput(jobId: string): Promise<{ body: ReadableStream<Uint8Array>; filename: string | null; sha256: string | null }> {
    const url = this.resolve(`/outputs/${encodeURIComponent(jobId)}`);
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${this.config.apiKey}` }, signal: AbortSignal.timeout(this.requestTimeoutMs) });
    } catch (error) {
      throw new IngestCliError(IngestCliErrorCode.SERVER_UNREACHABLE, `cannot reach the Trinetra API at ${url} (${describeCause(error)}): is the server running? Set TRINETRA_API_URL to its address.`, {}, { cause: error });
    }
    if (response.ok && response.body) {
      const disposition = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
      return { body: response.body, filename: disposition?.[1] ?? null, sha256: response.headers.get('x-content-sha256') };
    }
    const message = await response
      .json()
      .then((b: unknown) => (b as { error?: string }).error ?? '')
      .catch(() => '');
    if (response.status === 401) throw new IngestCliError(IngestCliErrorCode.UNAUTHENTICATED, `the API refused TRINETRA_API_KEY: ${message}`);
    if (response.status === 403) throw new IngestCliError(IngestCliErrorCode.MISSING_SCOPE, `TRINETRA_API_KEY cannot read outputs: ${message}`);
    if (response.status === 404) throw new IngestCliError(IngestCliErrorCode.REQUEST_REFUSED, `job ${jobId} has no output to download: it does not exist, is not yours, or is not done (\`jobs\` lists them)`);
    throw new IngestCliError(IngestCliErrorCode.SERVER_FAILED, `the server answered HTTP ${response.status}: ${message}`);
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
    this.ws = null;
  }

  private toError(error: WireError): IngestCliError {
    const code = error.extensions?.code;
    if (code === 'UNAUTHENTICATED') {
      return new IngestCliError(IngestCliErrorCode.UNAUTHENTICATED, `the API refused TRINETRA_API_KEY: ${error.message}`, { reason: error.extensions?.reason });
    }
    if (code === 'FORBIDDEN') {
      const scopes = Array.isArray(error.extensions?.required) ? (error.extensions.required as unknown[]).join(' or ') : 'ingest';
      return new IngestCliError(IngestCliErrorCode.MISSING_SCOPE, `TRINETRA_API_KEY lacks the scope this needs (${scopes}): use a key with the ingest scope (${error.message})`);
    }
    if (code === 'BAD_USER_INPUT' || code === 'NOT_FOUND' || code === 'RATE_LIMITED') return new IngestCliError(IngestCliErrorCode.REQUEST_REFUSED, error.message, { code });
    return new IngestCliError(IngestCliErrorCode.SERVER_FAILED, `the server failed: ${error.message}`, { code });
  }

  private toSocketError(error: unknown): IngestCliError {
    if (Array.isArray(error) && error.length > 0) return this.toError(error[0] as WireError);
    const close = error as { code?: number; reason?: string };
    if (typeof close.code === 'number') {
      if (close.code === 4401 || close.code === 4403) return new IngestCliError(IngestCliErrorCode.UNAUTHENTICATED, `the API refused TRINETRA_API_KEY on the subscription socket (${close.code} ${close.reason ?? ''})`.trim());
      return new IngestCliError(IngestCliErrorCode.SERVER_FAILED, `lost the connection to ${this.config.wsUrl} (close ${close.code}${close.reason ? ` ${close.reason}` : ''})`);
    }
    return new IngestCliError(IngestCliErrorCode.SERVER_UNREACHABLE, `cannot reach ${this.config.wsUrl} (${describeCause(error)})`, {}, { cause: error });
  }
}
