import { ApiErrorCode, AppError } from '@trinetra/shared';

/** Why preparing (converting, caching, checking) a model failed. */
export enum ModelPreparationErrorCode {
  /** The source package or one of its files is not installed. */
  SOURCE_MISSING = 'SOURCE_MISSING',
  /** The TF.js model.json or its weights do not have the expected shape. */
  SOURCE_INVALID = 'SOURCE_INVALID',
  /** The graph uses a TensorFlow op the converter does not map (the op is named). */
  UNSUPPORTED_OP = 'UNSUPPORTED_OP',
  /** An op is mapped but this use of it is not (e.g. a dynamic argument that must be constant). */
  UNSUPPORTED_USAGE = 'UNSUPPORTED_USAGE',
  /** The model name is not in the catalog. */
  UNKNOWN_MODEL = 'UNKNOWN_MODEL',
}

/** The one error type of model preparation; `details.op` / `details.file` name the culprit. */
export class ModelPreparationError extends AppError {
  readonly apiCode = ApiErrorCode.INTERNAL;

  constructor(
    readonly code: ModelPreparationErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, { code, ...details }, options);
  }
}
