import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** Why a team change was refused; `reason` in the API's extensions. */
export enum MemberErrorCode {
  /** The invited e-mail already belongs to a member of this tenant. */
  ALREADY_MEMBER = 'ALREADY_MEMBER',
  /** The change would leave the tenant without an OWNER. */
  LAST_OWNER = 'LAST_OWNER',
  /** Granting, changing or removing OWNER needs the `admin` scope (an OWNER). */
  OWNER_REQUIRED = 'OWNER_REQUIRED',
  /** The invite token is unknown, expired or already used. */
  INVITE_INVALID = 'INVITE_INVALID',
  /** The invited e-mail already has an account (of another tenant): one login belongs to one tenant. */
  EMAIL_REGISTERED = 'EMAIL_REGISTERED',
}

const API_CODE: Record<MemberErrorCode, ApiErrorCode> = {
  ALREADY_MEMBER: ApiErrorCode.BAD_USER_INPUT,
  LAST_OWNER: ApiErrorCode.FORBIDDEN,
  OWNER_REQUIRED: ApiErrorCode.FORBIDDEN,
  INVITE_INVALID: ApiErrorCode.BAD_USER_INPUT,
  EMAIL_REGISTERED: ApiErrorCode.BAD_USER_INPUT,
};

/** Every refusal of the team service (members, invites). Messages never carry tokens. */
export class MemberError extends CodedError<MemberErrorCode> {
  constructor(code: MemberErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, API_CODE, message, details);
  }
}
