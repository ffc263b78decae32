/**
 * Where the dashboard finds the API (STYLE.md rule 5: the environment is read here and in
 * the root layout only).
 *
 * - `API_URL` (runtime, read by the server on each page request) overrides
 * - `NEXT_PUBLIC_API_URL` (inlined at build time), which overrides
 * - the default `http://localhost:4000/graphql`.
 *
 * The URL may be absolute or a path (`/graphql`), which resolves against the page's own
 * origin: that is the mode for the TLS proxy in `scripts/https-server.mjs`, where a phone on
 * the LAN reaches dashboard and API through one https origin.
 */
export const DEFAULT_API_URL = 'http://localhost:4000/graphql';

let configuredApiUrl: string = process.env.NEXT_PUBLIC_API_URL || DEFAULT_API_URL;

/** The API URL for this deployment, as the server sees it at request time. */
export function runtimeApiUrl(): string {
  return process.env.API_URL || process.env.NEXT_PUBLIC_API_URL || DEFAULT_API_URL;
}

/** Sets the API URL the page was rendered with (called once by the root providers). */
export function configureApiUrl(apiUrl: string): void {
  configuredApiUrl = apiUrl;
}

/** The resolved endpoints of the API for this page. */
export interface ApiEndpoints {
  /** GraphQL over HTTP, e.g. `http://localhost:4000/graphql`. */
  readonly httpUrl: string;
  /** GraphQL over graphql-ws on the same path, e.g. `ws://localhost:4000/graphql`. */
  readonly wsUrl: string;
  /** The frame-upload socket of the same server, e.g. `ws://localhost:4000/ingest`. */
  readonly ingestUrl: string;
}

function pageOrigin(): string {
  return typeof window === 'undefined' ? 'http://localhost:3000' : window.location.origin;
}

/** Resolves the configured API URL (absolute or relative) into HTTP, WS and ingest URLs. */
export function apiEndpoints(apiUrl: string = configuredApiUrl): ApiEndpoints {
  const http = new URL(apiUrl, pageOrigin());
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  const ingest = new URL('/ingest', ws);
  return { httpUrl: http.href, wsUrl: ws.href, ingestUrl: ingest.href };
}
