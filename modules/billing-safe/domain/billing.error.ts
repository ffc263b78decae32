import { ApiErrorCode, CodedError } from '@trinetra/shared';

/** Codes of {@link BillingError}; each maps to one API code. */
export enum BillingErrorCode {
  /** A webhook URL that is not http(s), not a URL, or that no DNS answers for. */
  WEBHOOK_URL_INVALID = 'WEBHOOK_URL_INVALID',
  /** A webhook URL whose host is (or resolves to) an address the SSRF guard refuses. */
  WEBHOOK_URL_BLOCKED = 'WEBHOOK_URL_BLOCKED',
  /** An event type outside the closed set ({@link WEBHOOK_EVENT_TYPES}). */
  WEBHOOK_EVENT_TYPE_UNKNOWN = 'WEBHOOK_EVENT_TYPE_UNKNOWN',
  /** A plan limit (cameras, webhook endpoints) is reached. */
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  /** A tenant with no plan row: a data fault, never a user mistake. */
  PLAN_MISSING = 'PLAN_MISSING',
}

const apiCodes: Record<BillingErrorCode, ApiErrorCode> = {
  [BillingErrorCode.WEBHOOK_URL_INVALID]: ApiErrorCode.BAD_USER_INPUT,
  [BillingErrorCode.WEBHOOK_URL_BLOCKED]: ApiErrorCode.BAD_USER_INPUT,
  [BillingErrorCode.WEBHOOK_EVENT_TYPE_UNKNOWN]: ApiErrorCode.BAD_USER_INPUT,
  [BillingErrorCode.QUOTA_EXCEEDED]: ApiErrorCode.FORBIDDEN,
  [BillingErrorCode.PLAN_MISSING]: ApiErrorCode.INTERNAL,
};

/** The one error type of the billing-safe module (STYLE.md rule 4). Messages never contain secrets. */
export class BillingError extends CodedError<BillingErrorCode> {
  constructor(code: BillingErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, apiCodes, message, details, options);
  }
}
