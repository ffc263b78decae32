import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** Codes of {@link IngestError}; each maps to one API code. */
export enum IngestErrorCode {
  URL_INVALID = 'URL_INVALID',
  URL_SCHEME_NOT_ALLOWED = 'URL_SCHEME_NOT_ALLOWED',
  URL_ADDRESS_BLOCKED = 'URL_ADDRESS_BLOCKED',
  URL_UNRESOLVABLE = 'URL_UNRESOLVABLE',
  PROBE_FAILED = 'PROBE_FAILED',
  /** A network camera did not answer when its URL was checked at create/update. */
  SOURCE_UNREACHABLE = 'SOURCE_UNREACHABLE',
  DECODE_FAILED = 'DECODE_FAILED',
  SOURCE_STATE = 'SOURCE_STATE',
  MANIFEST_INVALID = 'MANIFEST_INVALID',
  JOB_TRANSITION_INVALID = 'JOB_TRANSITION_INVALID',
  OUTPUT_WRITE_FAILED = 'OUTPUT_WRITE_FAILED',
  /** A media path is outside the tenant's media roots or does not exist: one code for both, so it is no existence oracle. */
  MEDIA_UNAVAILABLE = 'MEDIA_UNAVAILABLE',
  /** The MEDIA_ROOTS setting cannot be parsed (operator error, at start-up). */
  MEDIA_ROOTS_INVALID = 'MEDIA_ROOTS_INVALID',
}

const apiCodes: Record<IngestErrorCode, ApiErrorCode> = {
  [IngestErrorCode.URL_INVALID]: ApiErrorCode.BAD_USER_INPUT,
  [IngestErrorCode.URL_SCHEME_NOT_ALLOWED]: ApiErrorCode.BAD_USER_INPUT,
  [IngestErrorCode.URL_ADDRESS_BLOCKED]: ApiErrorCode.FORBIDDEN,
  [IngestErrorCode.URL_UNRESOLVABLE]: ApiErrorCode.BAD_USER_INPUT,
  [IngestErrorCode.PROBE_FAILED]: ApiErrorCode.BAD_USER_INPUT,
  [IngestErrorCode.SOURCE_UNREACHABLE]: ApiErrorCode.BAD_USER_INPUT,
  [IngestErrorCode.DECODE_FAILED]: ApiErrorCode.INTERNAL,
  [IngestErrorCode.SOURCE_STATE]: ApiErrorCode.INTERNAL,
  [IngestErrorCode.MANIFEST_INVALID]: ApiErrorCode.BAD_USER_INPUT,
  [IngestErrorCode.JOB_TRANSITION_INVALID]: ApiErrorCode.INTERNAL,
  [IngestErrorCode.OUTPUT_WRITE_FAILED]: ApiErrorCode.INTERNAL,
  [IngestErrorCode.MEDIA_UNAVAILABLE]: ApiErrorCode.BAD_USER_INPUT,
  [IngestErrorCode.MEDIA_ROOTS_INVALID]: ApiErrorCode.INTERNAL,
};

/** The one error type of the ingest module (STYLE.md rule 4). Messages never contain credentials. */
export class IngestError extends CodedError<IngestErrorCode> {
  constructor(code: IngestErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, apiCodes, message, details, options);
  }
}
