/** The one auth call made outside urql: token refresh, which urql's own requests depend on. */
import { REFRESH_TOKEN_MUTATION, type RefreshTokenResult } from './graphql';
import type { RefreshOutcome } from './session-store';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}

/** Exchanges a refresh token at `httpUrl`; distinguishes "refused" from "server unreachable". */
export async function refreshTokens(httpUrl: string, refreshToken: string): Promise<RefreshOutcome> {
  let response: Response;
  try {
    response = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: REFRESH_TOKEN_MUTATION, variables: { refreshToken } }),
    });
  } catch {
    return { kind: 'unreachable' };
  }
  if (response.status >= 500) return { kind: 'unreachable' };
  let body: GraphQLResponse<RefreshTokenResult>;
  try {
    body = (await response.json()) as GraphQLResponse<RefreshTokenResult>;
  } catch {
    return { kind: 'unreachable' };
  }
  const tokens = body.data?.refreshToken;
  if (tokens && typeof tokens.accessToken === 'string' && typeof tokens.refreshToken === 'string') {
    return { kind: 'refreshed', tokens };
  }
  const internal = body.errors?.some((e) => e.extensions?.code === 'INTERNAL');
  return internal ? { kind: 'unreachable' } : { kind: 'rejected' };
}
