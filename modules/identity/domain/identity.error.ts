import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** What went wrong in the identity module, as `extensions.reason`. */
export enum IdentityErrorCode {
  /** A photo decodes but shows no face. */
  NO_FACE = 'NO_FACE',
  /** A photo shows more than one face: enrolment would not know whose. */
  MULTIPLE_FACES = 'MULTIPLE_FACES',
  /** The face (or the photo) is too small to embed reliably. */
  FACE_TOO_SMALL = 'FACE_TOO_SMALL',
  /** The bytes are not a decodable PNG or JPEG. */
  CORRUPT_PHOTO = 'CORRUPT_PHOTO',
  /** Identity is off for the camera, or on without a recorded consent. */
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  /** A person already has the most embeddings allowed. */
  GALLERY_FULL = 'GALLERY_FULL',
}

const API_CODES: Readonly<Record<IdentityErrorCode, ApiErrorCode>> = {
  NO_FACE: ApiErrorCode.BAD_USER_INPUT,
  MULTIPLE_FACES: ApiErrorCode.BAD_USER_INPUT,
  FACE_TOO_SMALL: ApiErrorCode.BAD_USER_INPUT,
  CORRUPT_PHOTO: ApiErrorCode.BAD_USER_INPUT,
  CONSENT_REQUIRED: ApiErrorCode.FORBIDDEN,
  GALLERY_FULL: ApiErrorCode.BAD_USER_INPUT,
};

export class IdentityError extends CodedError<IdentityErrorCode> {
  constructor(code: IdentityErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, API_CODES, message, details);
  }
}
