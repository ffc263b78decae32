import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** Why a motion analysis could not start (a result such as NO_EVENT_DETECTED is not an error). */
export enum MotionErrorCode {
  /** The frame rate or the athlete's profile is outside what the analyses accept. */
  INVALID_MOTION_INPUT = 'INVALID_MOTION_INPUT',
  /** A batch output file that does not hold a usable pose series. */
  INVALID_BATCH_FILE = 'INVALID_BATCH_FILE',
  /** Nobody was tracked in the source. */
  NO_PERSON_TRACKED = 'NO_PERSON_TRACKED',
  /** The requested track id is not among the source's tracks. */
  TRACK_NOT_FOUND = 'TRACK_NOT_FOUND',
}

const API_CODES: Readonly<Record<MotionErrorCode, ApiErrorCode>> = {
  [MotionErrorCode.INVALID_MOTION_INPUT]: ApiErrorCode.BAD_USER_INPUT,
  [MotionErrorCode.INVALID_BATCH_FILE]: ApiErrorCode.BAD_USER_INPUT,
  [MotionErrorCode.NO_PERSON_TRACKED]: ApiErrorCode.BAD_USER_INPUT,
  [MotionErrorCode.TRACK_NOT_FOUND]: ApiErrorCode.BAD_USER_INPUT,
};

/** The motion analyses' one error type (STYLE.md rule 4). */
export class MotionError extends CodedError<MotionErrorCode> {
  constructor(code: MotionErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, API_CODES, message, details);
  }
}
