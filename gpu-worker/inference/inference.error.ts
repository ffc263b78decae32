import { ApiErrorCode, CodedError } from '@trinetra/shared';

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

/** Every failure here is the deployment's, never the API caller's. */
const API_CODES: Record<InferenceErrorCode, ApiErrorCode> = {
  [InferenceErrorCode.MODEL_FILE_MISSING]: ApiErrorCode.INTERNAL,
  [InferenceErrorCode.MODEL_INVALID]: ApiErrorCode.INTERNAL,
  [InferenceErrorCode.CONFIG_INVALID]: ApiErrorCode.INTERNAL,
  [InferenceErrorCode.RUN_FAILED]: ApiErrorCode.INTERNAL,
};

/** The one error type of the inference backends; `details.file` names the model file. */
export class InferenceError extends CodedError<InferenceErrorCode> {
  constructor(code: InferenceErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, API_CODES, message, { code, ...details }, options);
  }
}
