import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ApiErrorCode } from '@trinetra/shared';

/**
 * The one shape of a rate-limit refusal on both transports: `extensions.retryAfter` (whole
 * seconds) and `retryAfterMs` for clients, HTTP 429 with a `Retry-After` header over HTTP
 * (Apollo reads `extensions.http` and strips it; the error formatter strips it over WS).
 */
export function rateLimitedError(message: string, retryAfterMs: number): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`${message}; retry in ${retryAfter} s`, {
    extensions: {
      code: ApiErrorCode.RATE_LIMITED,
      retryAfter,
      retryAfterMs,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
    },
  });
}
