import type { ServerResponse } from 'node:http';

/** The API answers JSON only: nothing in a response may load, run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers on every response of the API server. `csp` is the API's strict policy except for
 * the IDE page, which passes its own (server/http/graphql-ide.ts, IDE_CSP).
 */
export function applySecurityHeaders(res: ServerResponse, csp: string = API_CSP): void {
  res.setHeader('content-security-policy', csp);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  // For browsers without CSP frame-ancestors.
  res.setHeader('x-frame-options', 'DENY');
}
