import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS for the dashboard and tenant front-ends: only configured origins (`*` allows any).
 * Credentials (the dashboard's httpOnly refresh cookie, server/auth/session-cookie.ts) only for
 * origins listed by name: `*` never lets an arbitrary site send or read them.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[]): void {
  const origin = req.headers.origin;
  if (!origin) return;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'origin');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, apollo-require-preflight, x-request-id, x-trinetra-session');
    // Rate-limit standing is for clients to read (back off before a 429), so a page may see it.
    res.setHeader('access-control-expose-headers', 'ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after, x-request-id');
    if (allowedOrigins.includes(origin)) res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-max-age', '600');
  }
}
