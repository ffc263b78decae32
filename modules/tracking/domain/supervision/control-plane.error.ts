import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** Codes of {@link ControlPlaneError}. */
export enum ControlPlaneErrorCode {
  /** A camera id was used before it was registered. */
  UNKNOWN_CAMERA = 'UNKNOWN_CAMERA',
  /** Options or input outside the allowed range. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** A buffer operation that the caller must have prevented (a programming fault). */
  BUFFER_INVARIANT = 'BUFFER_INVARIANT',
  /** The job transport (Redis, BullMQ) failed. */
  TRANSPORT_FAILED = 'TRANSPORT_FAILED',
}

const API_CODES: Record<ControlPlaneErrorCode, ApiErrorCode> = {
  [ControlPlaneErrorCode.UNKNOWN_CAMERA]: ApiErrorCode.NOT_FOUND,
  [ControlPlaneErrorCode.INVALID_ARGUMENT]: ApiErrorCode.BAD_USER_INPUT,
  [ControlPlaneErrorCode.BUFFER_INVARIANT]: ApiErrorCode.INTERNAL,
  [ControlPlaneErrorCode.TRANSPORT_FAILED]: ApiErrorCode.INTERNAL,
};

/** The error type of the frame supervision control plane. */
export class ControlPlaneError extends CodedError<ControlPlaneErrorCode> {
  constructor(code: ControlPlaneErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, API_CODES, message, { ...details, code }, options);
  }
}
