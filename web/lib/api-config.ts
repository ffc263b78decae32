/**
 * Where the dashboard finds the API. Read once, here only (STYLE.md rule 5).
 *
 * `NEXT_PUBLIC_API_URL` is inlined at build time. It may be absolute
 * (`http://localhost:4000/graphql`, the default) or a path (`/graphql`), which resolves
 * against the page's own origin: that is the mode for the TLS proxy in
 * `scripts/https-server.mjs`, where a phone on the LAN reaches dashboard and API through one
 * https origin.
 */
const DEFAULT_API_URL = 'http://localhost:4000/graphql';

const configuredApiUrl: string = process.env.NEXT_PUBLIC_API_URL ?? DEFAULT_API_URL;

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
