import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** Codes of {@link IngestCliError}: what went wrong between the CLI and the API. */
export enum IngestCliErrorCode {
  /** The environment is not usable (a bad TRINETRA_API_URL, no TRINETRA_API_KEY). */
  CONFIG_INVALID = 'CONFIG_INVALID',
  /** Nothing answers at the API URL (refused, unknown host, timeout) or it is not a GraphQL endpoint. */
  SERVER_UNREACHABLE = 'SERVER_UNREACHABLE',
  /** The key is unknown, revoked or expired. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The key lacks the scope the operation needs. */
  MISSING_SCOPE = 'MISSING_SCOPE',
  /** The API refused the request (bad input, not found, rate limited). */
  REQUEST_REFUSED = 'REQUEST_REFUSED',
  /** The server failed, or the progress subscription broke off. */
  SERVER_FAILED = 'SERVER_FAILED',
}

const apiCodes: Record<IngestCliErrorCode, ApiErrorCode> = {
  [IngestCliErrorCode.CONFIG_INVALID]: ApiErrorCode.BAD_USER_INPUT,
  [IngestCliErrorCode.SERVER_UNREACHABLE]: ApiErrorCode.INTERNAL,
  [IngestCliErrorCode.UNAUTHENTICATED]: ApiErrorCode.UNAUTHENTICATED,
  [IngestCliErrorCode.MISSING_SCOPE]: ApiErrorCode.FORBIDDEN,
  [IngestCliErrorCode.REQUEST_REFUSED]: ApiErrorCode.BAD_USER_INPUT,
  [IngestCliErrorCode.SERVER_FAILED]: ApiErrorCode.INTERNAL,
};

/** The error of the ingest CLI's API client; its message is what the user reads. */
export class IngestCliError extends CodedError<IngestCliErrorCode> {
  constructor(code: IngestCliErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, apiCodes, message, details, options);
  }
}
