import type { AuthChecker } from 'type-graphql';
import { type GraphQLContext, hasScope, type Scope } from '@trinetra/shared';
import { AuthError, AuthErrorCode } from './auth.errors';
import { requirePrincipal } from './require-principal';

/**
 * `@Authorized('cameras:read')` on a field: the caller must hold every listed scope (or
 * `admin`). Throws typed errors so anonymous callers get UNAUTHENTICATED and under-scoped
 * ones FORBIDDEN, never a generic failure.
 */
export const scopeAuthChecker: AuthChecker<GraphQLContext, Scope> = ({ context }, required) => {
  const principal = requirePrincipal(context);
  const missing = required.filter((scope) => !hasScope(principal, scope));
  if (missing.length > 0) throw new AuthError(AuthErrorCode.MISSING_SCOPE, `missing scope: ${missing.join(', ')}`, { required: missing });
  return true;
};
