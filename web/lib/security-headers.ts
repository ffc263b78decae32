/**
 * The dashboard's security headers. Pure functions of the API URL so they can be tested and
 * so the CSP follows `API_URL` when it is set at start rather than at build (web/proxy.ts
 * applies the CSP per request; next.config.ts the static headers).
 */

/** Headers that never depend on the deployment: set for every route in next.config.ts. */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  // For browsers without CSP frame-ancestors (the CSP from web/proxy.ts says the same).
  { key: 'X-Frame-Options', value: 'DENY' },
  // The webcam page streams this browser's camera; nothing else is asked for.
  { key: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()' },
];

/** The API's HTTP origin and its WebSocket form, or none when the URL is relative (same origin). */
export function apiOrigins(apiUrl: string): string[] {
  if (!/^https?:\/\//i.test(apiUrl)) return [];
  const http = new URL(apiUrl);
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  return [http.origin, ws.origin];
}

/**
 * The dashboard's Content-Security-Policy. Scripts only from the dashboard ('unsafe-inline'
 * because Next.js bootstraps with inline scripts and nonces would need every page rendered
 * per request with one; 'unsafe-eval' only in development, for React refresh), data only to
 * the dashboard and the API over http and ws (GraphQL, graphql-ws, /ingest), preview images
 * from data: and blob: URLs, and no framing.
 */
export function dashboardCsp(apiUrl: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${options.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    ['connect-src', "'self'", ...apiOrigins(apiUrl)].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
