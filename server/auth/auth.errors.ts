import { ApiErrorCode, CodedError } from '@trinetra/shared';

export enum AuthErrorCode {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  TOKEN_INVALID = 'TOKEN_INVALID',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  API_KEY_INVALID = 'API_KEY_INVALID',
  API_KEY_REVOKED = 'API_KEY_REVOKED',
  MISSING_SCOPE = 'MISSING_SCOPE',
  NOT_SIGNED_IN = 'NOT_SIGNED_IN',
}

const API_CODE: Record<AuthErrorCode, ApiErrorCode> = {
  INVALID_CREDENTIALS: ApiErrorCode.UNAUTHENTICATED,
  TOKEN_EXPIRED: ApiErrorCode.UNAUTHENTICATED,
  TOKEN_INVALID: ApiErrorCode.UNAUTHENTICATED,
  REFRESH_TOKEN_REUSED: ApiErrorCode.UNAUTHENTICATED,
  API_KEY_INVALID: ApiErrorCode.UNAUTHENTICATED,
  API_KEY_REVOKED: ApiErrorCode.UNAUTHENTICATED,
  NOT_SIGNED_IN: ApiErrorCode.UNAUTHENTICATED,
  MISSING_SCOPE: ApiErrorCode.FORBIDDEN,
};

/** Every authentication and authorization failure; `code` says which, `apiCode` how the API shows it. */
export class AuthError extends CodedError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, API_CODE, message, details);
  }
}
