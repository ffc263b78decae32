import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** What went wrong with the identity master keys (server start-up, `identity rotate-master-key`). */
export enum MasterKeyErrorCode {
  /** A key variable is unset, not base64 of 32 bytes, or the old and new keys are equal. */
  KEY_INVALID = 'KEY_INVALID',
  /** A data key was wrapped by a master key this process does not hold (its fingerprint is named). */
  UNKNOWN_MASTER_KEY = 'UNKNOWN_MASTER_KEY',
  /** A wrapped data key does not open under the key its fingerprint names (tampered or corrupt row). */
  DATA_KEY_UNREADABLE = 'DATA_KEY_UNREADABLE',
}

// None of these is the API caller's doing: they are operator problems, so the API shows INTERNAL
// (its message is hidden there); the CLI prints the message itself.
const API_CODES: Readonly<Record<MasterKeyErrorCode, ApiErrorCode>> = {
  KEY_INVALID: ApiErrorCode.INTERNAL,
  UNKNOWN_MASTER_KEY: ApiErrorCode.INTERNAL,
  DATA_KEY_UNREADABLE: ApiErrorCode.INTERNAL,
};

/** Its message and details name fingerprints and tenant ids, never key bytes. */
export class MasterKeyError extends CodedError<MasterKeyErrorCode> {
  constructor(code: MasterKeyErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, API_CODES, message, details);
  }
}
