import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** Why a tracking (MOT, pose, evaluation) operation failed. */
export enum MotErrorCode {
  /** A `Detections` structure had inconsistent array lengths or bad values. */
  INVALID_DETECTIONS = 'INVALID_DETECTIONS',
  /** A MOTChallenge text file could not be parsed. */
  INVALID_MOT_FILE = 'INVALID_MOT_FILE',
  /** A tracker snapshot did not have the expected shape or version. */
  INVALID_SNAPSHOT = 'INVALID_SNAPSHOT',
  /** Options passed to a tracker, smoother or generator were out of range. */
  INVALID_OPTIONS = 'INVALID_OPTIONS',
  /** The cost matrix handed to the assignment solver was malformed. */
  INVALID_COST_MATRIX = 'INVALID_COST_MATRIX',
  /** Reading or writing a tracker checkpoint failed in the store. */
  CHECKPOINT_FAILED = 'CHECKPOINT_FAILED',
  /** A checkpoint write carried a fencing token that no longer holds the camera's lease. */
  CHECKPOINT_FENCED = 'CHECKPOINT_FENCED',
}

const apiCodeByMotCode: Record<MotErrorCode, ApiErrorCode> = {
  [MotErrorCode.INVALID_DETECTIONS]: ApiErrorCode.BAD_USER_INPUT,
  [MotErrorCode.INVALID_MOT_FILE]: ApiErrorCode.BAD_USER_INPUT,
  [MotErrorCode.INVALID_SNAPSHOT]: ApiErrorCode.INTERNAL,
  [MotErrorCode.INVALID_OPTIONS]: ApiErrorCode.BAD_USER_INPUT,
  [MotErrorCode.INVALID_COST_MATRIX]: ApiErrorCode.INTERNAL,
  [MotErrorCode.CHECKPOINT_FAILED]: ApiErrorCode.INTERNAL,
  [MotErrorCode.CHECKPOINT_FENCED]: ApiErrorCode.INTERNAL,
};

/** The one error type of multi-object tracking, pose post-processing and evaluation. */
export class MotError extends CodedError<MotErrorCode> {
  constructor(code: MotErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, apiCodeByMotCode, message, details, options);
  }
}
