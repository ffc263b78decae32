import { ApiErrorCode, AppError } from '@trinetra/shared';

/** Why an inference backend could not start or run. */
export enum InferenceErrorCode {
  /** The configured model file does not exist. */
  MODEL_FILE_MISSING = 'MODEL_FILE_MISSING',
  /** The file exists but onnxruntime cannot load it, or its inputs/outputs do not fit the adapter. */
  MODEL_INVALID = 'MODEL_INVALID',
  /** The backend configuration is invalid. */
  CONFIG_INVALID = 'CONFIG_INVALID',
  /** A whole batch failed inside onnxruntime (not one bad frame). */
  RUN_FAILED = 'RUN_FAILED',
}

/** The one error type of the inference backends; `details.file` names the model file. */
export class InferenceError extends AppError {
  readonly apiCode = ApiErrorCode.INTERNAL;

  constructor(
    readonly code: InferenceErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, { code, ...details }, options);
  }
}
