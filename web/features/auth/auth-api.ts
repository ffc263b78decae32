/**
 * The auth calls made outside urql: token refresh (which urql's own requests depend on) and
 * sign-out. Both carry the httpOnly refresh cookie (`credentials: 'include'`) and ask for
 * cookie mode, so the refresh token never passes through page scripts.
 */
import { REFRESH_TOKEN_MUTATION, SIGN_OUT_MUTATION, type RefreshTokenResult } from './graphql';
import type { RefreshOutcome } from './session-store';

/** Request header by which the dashboard asks the API to keep its refresh token in an httpOnly cookie. */
export const SESSION_MODE_HEADERS = { 'x-trinetra-session': 'cookie' } as const;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}

function post(httpUrl: string, query: string): Promise<Response> {
  return fetch(httpUrl, {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...SESSION_MODE_HEADERS },
    body: JSON.stringify({ query }),
  });
}

/** Exchanges the refresh cookie at `httpUrl`; distinguishes "refused" from "server unreachable". */
export async function refreshTokens(httpUrl: string): Promise<RefreshOutcome> {
  let response: Response;
  try {
    response = await post(httpUrl, REFRESH_TOKEN_MUTATION);
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
  if (tokens && typeof tokens.accessToken === 'string') return { kind: 'refreshed', accessToken: tokens.accessToken };
  const internal = body.errors?.some((e) => e.extensions?.code === 'INTERNAL');
  return internal ? { kind: 'unreachable' } : { kind: 'rejected' };
}

/** Ends the sign-in on the server: its refresh family is revoked, its sockets close, the cookie is cleared. */
export async function endServerSession(httpUrl: string): Promise<void> {
  try {
    await post(httpUrl, SIGN_OUT_MUTATION);
  } catch (error) {
    // Unreachable: the local session is gone anyway; the cookie expires with its family.
    console.warn('sign-out could not reach the API', error);
  }
}
