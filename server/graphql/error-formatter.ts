import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ApiErrorCode, AppError } from '@trinetra/shared';
import type { Logger } from '../observability/logger';

const API_CODES = new Set<string>(Object.values(ApiErrorCode));
/** Apollo's own codes for requests the client got wrong; they all become BAD_USER_INPUT. */
const CLIENT_FAULTS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
]);
/** Longest message a client error may carry: graphql-js quotes input values in its messages, so a huge input is never echoed back whole. */
const MAX_MESSAGE_LENGTH = 300;

function clip(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH)}…`;
}

/**
 * Drops what must not reach a client from an error's extensions: the stack trace (unless
 * details are exposed) and `http` (Apollo strips it over HTTP; over graphql-ws it would
 * otherwise leak into the message).
 */
function withoutInternals(extensions: Readonly<Record<string, unknown>>, exposeDetails: boolean): Record<string, unknown> {
  const { stacktrace, http: _http, ...rest } = extensions;
  return exposeDetails && stacktrace !== undefined ? { ...rest, stacktrace } : rest;
}

/**
 * The one mapping from errors to `extensions.code` (STYLE.md rule 4). Module errors carry
 * their API code; client faults keep Apollo's code as `extensions.reason`; anything else is
 * INTERNAL with a generic message, logged with its stack. Stack traces and internal messages
 * (Prisma, Postgres, file paths) reach clients only with `exposeDetails` (EXPOSE_ERROR_DETAILS),
 * in every NODE_ENV.
 */
export function createErrorFormatter(logger: Logger, exposeDetails: boolean, onCode: (code: string) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const existing = formatted.extensions?.['code'];
    const where = formatted.path ? { path: formatted.path } : {};
    let result: GraphQLFormattedError;
    if (original instanceof AppError && original.apiCode !== ApiErrorCode.INTERNAL) {
      result = { message: clip(original.message), ...where, extensions: { ...original.details, code: original.apiCode } };
    } else if (typeof existing === 'string' && API_CODES.has(existing)) {
      result = { ...formatted, message: clip(formatted.message), extensions: withoutInternals(formatted.extensions ?? {}, exposeDetails) };
    } else if (typeof existing === 'string' && CLIENT_FAULTS.has(existing)) {
      result = {
        ...formatted,
        message: clip(formatted.message),
        extensions: { ...withoutInternals(formatted.extensions ?? {}, exposeDetails), code: ApiErrorCode.BAD_USER_INPUT, reason: existing },
      };
    } else {
      logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
      const details = exposeDetails && original instanceof Error ? { detail: original.message, stacktrace: original.stack?.split('\n') } : {};
      result = { message: 'internal error', ...where, extensions: { code: ApiErrorCode.INTERNAL, ...details } };
    }
    onCode(String(result.extensions?.['code'] ?? 'UNKNOWN'));
    return result;
  };
}
