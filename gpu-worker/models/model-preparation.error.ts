import { ApiErrorCode, CodedError } from '@trinetra/shared';

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
  /** A prepared ONNX file no longer matches the checksum recorded when it was prepared. */
  CHECKSUM_MISMATCH = 'CHECKSUM_MISMATCH',
}

/** Every failure here is the deployment's, never the API caller's. */
const API_CODES: Record<ModelPreparationErrorCode, ApiErrorCode> = {
  [ModelPreparationErrorCode.SOURCE_MISSING]: ApiErrorCode.INTERNAL,
  [ModelPreparationErrorCode.SOURCE_INVALID]: ApiErrorCode.INTERNAL,
  [ModelPreparationErrorCode.UNSUPPORTED_OP]: ApiErrorCode.INTERNAL,
  [ModelPreparationErrorCode.UNSUPPORTED_USAGE]: ApiErrorCode.INTERNAL,
  [ModelPreparationErrorCode.UNKNOWN_MODEL]: ApiErrorCode.INTERNAL,
  [ModelPreparationErrorCode.CHECKSUM_MISMATCH]: ApiErrorCode.INTERNAL,
};

/** The one error type of model preparation; `details.op` / `details.file` name the culprit. */
export class ModelPreparationError extends CodedError<ModelPreparationErrorCode> {
  constructor(code: ModelPreparationErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, API_CODES, message, { code, ...details }, options);
  }
}
