/**
 * Maps GraphQL errors to what a form shows: messages per input field (BAD_USER_INPUT with
 * `extensions.field`, or zod-like `extensions.issues[].path`) and one message for the rest.
 */
import type { CombinedError } from 'urql';

export interface FormErrors {
  /** Message per field name (last segment of the server's path, e.g. `input.sourceUrl` → `sourceUrl`). */
  readonly fields: Readonly<Record<string, string>>;
  /** A message not tied to a field; null when every error belongs to a field. */
  readonly form: string | null;
}

export const NO_FORM_ERRORS: FormErrors = { fields: {}, form: null };

function fieldName(path: unknown): string | null {
  if (typeof path === 'string' && path.length > 0) return path.split('.').at(-1) ?? null;
  if (Array.isArray(path)) {
    const last = path.filter((p): p is string => typeof p === 'string').at(-1);
    return last ?? null;
  }
  return null;
}

function describeCode(code: unknown, message: string): string {
  switch (code) {
    case 'UNAUTHENTICATED': return message || 'Please sign in again.';
    case 'FORBIDDEN': return message || 'You are not allowed to do this.';
    case 'NOT_FOUND': return message || 'Not found.';
    case 'RATE_LIMITED': return message || 'Too many requests; try again shortly.';
    case 'INTERNAL': return 'Something went wrong on the server. Try again.';
    default: return message;
  }
}

export function formErrorsFrom(error: CombinedError | undefined | null): FormErrors {
  if (!error) return NO_FORM_ERRORS;
  if (error.networkError && error.graphQLErrors.length === 0) {
    return { fields: {}, form: 'Cannot reach the server. Check your connection and try again.' };
  }
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const e of error.graphQLErrors) {
    const ext = e.extensions as Record<string, unknown>;
    let placed = false;
    if (ext.code === 'BAD_USER_INPUT') {
      // Issues carry the bare message per field; the top-level message is "field: message".
      if (Array.isArray(ext.issues)) {
        for (const issue of ext.issues as unknown[]) {
          if (typeof issue !== 'object' || issue === null) continue;
          const { field, path, message } = issue as { field?: unknown; path?: unknown; message?: unknown };
          const name = fieldName(field ?? path);
          if (name && typeof message === 'string') {
            fields[name] ??= message;
            placed = true;
          }
        }
      }
      const field = fieldName(ext.field);
      if (field) {
        fields[field] ??= e.message;
        placed = true;
      }
    }
    if (!placed) rest.push(describeCode(ext.code, e.message));
  }
  return { fields, form: rest.length > 0 ? rest.join(' ') : null };
}

/** The `extensions.code` of the first error, if any. */
export function errorCode(error: CombinedError | undefined | null): string | null {
  const code = error?.graphQLErrors[0]?.extensions.code;
  return typeof code === 'string' ? code : null;
}
