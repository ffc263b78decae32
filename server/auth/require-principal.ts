import type { GraphQLContext, Principal } from '@trinetra/shared';
import { AuthError, AuthErrorCode } from './auth.errors';

/** The caller, or UNAUTHENTICATED. */
export function requirePrincipal(ctx: GraphQLContext): Principal {
  if (!ctx.principal) throw new AuthError(AuthErrorCode.NOT_SIGNED_IN, 'sign in or send an API key: Authorization: Bearer <token>');
  return ctx.principal;
}
