import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ApiErrorCode } from '@trinetra/shared';
import type { RateDecision } from './rate-limiter';

/**
 * The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) headers of a
 * decision, the binding limit's when several were checked (draft-ietf-httpapi-ratelimit-headers).
 */
export function rateLimitHeaders(decision: RateDecision): [string, string][] {
  return [
    ['ratelimit-limit', String(decision.limit)],
    ['ratelimit-remaining', String(decision.remaining)],
    ['ratelimit-reset', String(Math.max(1, Math.ceil((decision.allowed ? decision.resetMs : decision.retryAfterMs) / 1000)))],
  ];
}

/**
 * The one shape of a rate-limit refusal on both transports: `extensions.retryAfter` (whole
 * seconds) and `retryAfterMs` for clients, HTTP 429 with a `Retry-After` header over HTTP
 * (Apollo reads `extensions.http` and strips it; the error formatter strips it over WS), plus
 * the `RateLimit-*` headers when the refusal comes from a request limit (`decision`).
 */
export function rateLimitedError(message: string, retryAfterMs: number, decision?: RateDecision): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const headers = new HeaderMap([['retry-after', String(retryAfter)], ...(decision ? rateLimitHeaders(decision) : [])]);
  return new GraphQLError(`${message}; retry in ${retryAfter} s`, {
    extensions: {
      code: ApiErrorCode.RATE_LIMITED,
      retryAfter,
      retryAfterMs,
      http: { status: 429, headers },
    },
  });
}
