import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ApiErrorCode, AppError } from '@trinetra/shared';
import type { Logger } from '../observability/logger';

const API_CODES = new Set<string>(Object.values(ApiErrorCode));
/** Apollo's own codes for requests the client got wrong; they all become BAD_USER_INPUT. */
const CLIENT_FAULTS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND']);

/**
 * The one mapping from errors to `extensions.code` (STYLE.md rule 4). Module errors carry
 * their API code; client faults keep Apollo's code as `extensions.reason`; anything else is
 * INTERNAL with a generic message, logged with its stack, which is shown only in development.
 */
export function createErrorFormatter(logger: Logger, development: boolean, onCode: (code: string) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const existing = formatted.extensions?.['code'];
    let result: GraphQLFormattedError;
    if (original instanceof AppError) {
      result = { message: original.message, ...(formatted.path ? { path: formatted.path } : {}), extensions: { ...original.details, code: original.apiCode } };
    } else if (typeof existing === 'string' && API_CODES.has(existing)) {
      result = formatted;
    } else if (typeof existing === 'string' && CLIENT_FAULTS.has(existing)) {
      result = { ...formatted, extensions: { ...formatted.extensions, code: ApiErrorCode.BAD_USER_INPUT, reason: existing } };
    } else {
      logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
      result = {
        message: 'internal error',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: ApiErrorCode.INTERNAL, ...(development && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}) },
      };
    }
    if (!development && result.extensions && 'stacktrace' in result.extensions) {
      const { stacktrace: _dropped, ...rest } = result.extensions;
      result = { ...result, extensions: rest };
    }
    onCode(String(result.extensions?.['code'] ?? 'UNKNOWN'));
    return result;
  };
}
