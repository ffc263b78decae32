/**
 * The closed set of error codes the API exposes as `extensions.code`.
 * Every module error maps onto exactly one of these.
 */
export enum ApiErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL = 'INTERNAL',
}

/**
 * Base of every error that crosses a module boundary. Each module subclasses it with its
 * own `code` enum (see STYLE.md); `apiCode` says how the API shows it. User mistakes
 * (`BAD_USER_INPUT`, `NOT_FOUND`, ...) are not logged as server faults.
 */
export abstract class AppError extends Error {
  abstract readonly apiCode: ApiErrorCode;
  /** Machine-readable detail (field names, limits); never secrets. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Errors that are the caller's fault, with a fixed API code; shared by all modules. */
export class NotFoundError extends AppError {
  readonly apiCode = ApiErrorCode.NOT_FOUND;
  constructor(entity: string, id: string) {
    super(`${entity} ${id} not found`, { entity, id });
  }
}

export class InvalidInputError extends AppError {
  readonly apiCode = ApiErrorCode.BAD_USER_INPUT;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

export class UnauthenticatedError extends AppError {
  readonly apiCode = ApiErrorCode.UNAUTHENTICATED;
}

export class ForbiddenError extends AppError {
  readonly apiCode = ApiErrorCode.FORBIDDEN;
}

export class RateLimitedError extends AppError {
  readonly apiCode = ApiErrorCode.RATE_LIMITED;
  constructor(message: string, retryAfterMs: number) {
    super(message, { retryAfterMs });
  }
}

/**
 * The base of each module's error type: the module's own string-enum `code`, mapped to an API
 * code by the module's one table (STYLE.md rule 4). Subclasses only name their enum and table.
 * The module code reaches clients one way, for every module: `extensions.reason` (it is put in
 * `details` here, so no subclass adds it itself).
 */
export abstract class CodedError<C extends string> extends AppError {
  readonly apiCode: ApiErrorCode;

  protected constructor(
    readonly code: C,
    apiCodes: Readonly<Record<C, ApiErrorCode>>,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, { reason: code, ...details }, options);
    this.apiCode = apiCodes[code];
  }
}
