import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may scrape /metrics. With a token, only `Authorization: Bearer <token>`. Without one,
 * anyone in development and test (a local Prometheus needs no setup), and nobody in
 * production: /metrics is then not served at all (404), so a forgotten setting never
 * exposes it. A bearer token rather than a second localhost port: one listener to run and
 * proxy, and scrapers in other pods or hosts keep working.
 */
export type MetricsAccess = { kind: 'token'; token: string } | { kind: 'open' } | { kind: 'disabled' };

export function metricsAccessOf(config: { NODE_ENV: string; METRICS_TOKEN?: string | undefined }): MetricsAccess {
  if (config.METRICS_TOKEN) return { kind: 'token', token: config.METRICS_TOKEN };
  return config.NODE_ENV === 'production' ? { kind: 'disabled' } : { kind: 'open' };
}

/** 200: scrape; 401: a token is needed or wrong; 404: not served. */
export function metricsStatusFor(access: MetricsAccess, req: IncomingMessage): 200 | 401 | 404 {
  if (access.kind === 'open') return 200;
  if (access.kind === 'disabled') return 404;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(access.token);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 200 : 401;
}
